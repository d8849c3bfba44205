-- The machine track: what a partner machine is besides its registry row, and one-time secret hand-overs.
create table machine_profile (
    identity_id             varchar(40)   not null primary key references partner_identity (identity_id),
    machine_kind            varchar(20)   not null,
    auth_method             varchar(20)   not null,
    jwks_url                varchar(2000),
    -- public keys only (a JWKS); validation refuses private key parts
    jwks                    varchar(16000),
    data_classes            varchar(200)  not null,
    token_lifespan_seconds  integer       not null,
    rotation_days           integer       not null,
    risk_tier               varchar(20),
    -- inactivity is counted from the latest of: last token, activation or resumption, the owner's confirmation
    active_since            timestamp with time zone,
    use_confirmed_at        timestamp with time zone,
    last_rotated_at         timestamp with time zone,
    elevated_scopes         varchar(1000),
    elevation_reason        varchar(1000),
    version                 bigint        not null
);

-- a secret is handed over once: the owner presents the one-time token mailed to them (only its hash is kept here)
-- together with their own staff login; the secret itself is read from Keycloak at that moment and stored nowhere
create table machine_secret_ticket (
    ticket_id      varchar(40)   not null primary key,
    identity_id    varchar(40)   not null references partner_identity (identity_id),
    token_hash     varchar(64)   not null,
    purpose        varchar(20)   not null,
    created_at     timestamp with time zone not null,
    expires_at     timestamp with time zone not null,
    retrieved_at   timestamp with time zone,
    retrieved_by   varchar(100),
    closed_at      timestamp with time zone,
    version        bigint        not null,
    constraint uq_machine_secret_ticket_token unique (token_hash)
);
create index ix_machine_secret_ticket_identity on machine_secret_ticket (identity_id);
