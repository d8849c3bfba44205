-- A partnership's workload trust: its workload issuer (a Kubernetes cluster's service-account issuer or an OIDC issuer),
-- requested, decided by the policy, approved by a security officer and then an identity provider of the partner realm.
-- One open trust per partnership: open_partnership_key holds the key while the trust is requested or in force and is
-- cleared when it ends (rejected, revoked), so the unique index allows one open trust and any number of ended ones.
create table workload_trust (
    trust_id              varchar(40)   not null primary key,
    partnership_key       varchar(40)   not null references partnership (partnership_key),
    open_partnership_key  varchar(40),
    kind                  varchar(20)   not null,
    issuer                varchar(2000) not null,
    jwks_url              varchar(2000),
    state                 varchar(20)   not null,
    state_reason          varchar(1000),
    requested_by          varchar(100)  not null,
    approved_by           varchar(200),
    approved_at           timestamp with time zone,
    next_review_at        timestamp with time zone,
    created_at            timestamp with time zone not null,
    updated_at            timestamp with time zone not null,
    version               bigint        not null
);
create unique index ux_workload_trust_open on workload_trust (open_partnership_key);
create index ix_workload_trust_partnership on workload_trust (partnership_key);

-- A federated machine names only its workload subject (e.g. system:serviceaccount:orders:sync); the identity provider
-- is its partnership's trust.
alter table machine_profile add column workload_subject varchar(300);
