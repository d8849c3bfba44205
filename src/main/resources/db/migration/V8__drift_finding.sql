-- Every drift finding the reconciliation acted on: what it found on which Keycloak object, and what became of it.
-- A review process carries only the finding's id (its business key); the review reads the finding from here and writes
-- the decision and its outcome back. The identity and partnership are as the object named them: an orphan may name
-- ones the registry does not know, so there is no foreign key.
create table drift_finding (
    finding_id         varchar(40)    not null primary key,
    -- stable while the difference stays the same (kind, identity or object, what was found): one review at a time
    finding_key        varchar(500)   not null,
    kind               varchar(30)    not null,
    object_type        varchar(10)    not null,
    keycloak_id        varchar(100)   not null,
    keycloak_name      varchar(255)   not null,
    identity_id        varchar(255),
    partnership_key    varchar(255),
    registry_state     varchar(100),
    expected           varchar(2000),
    found              varchar(2000),
    excess             varchar(2000),
    reviewers          varchar(1000),
    detected_at        timestamp with time zone not null,
    -- OPEN, ACCEPTED, CORRECTED or GONE (no longer there when it was to be corrected, or not a partner identity)
    status             varchar(20)    not null,
    review_process_id  varchar(64),
    decision           varchar(10),
    decided_by         varchar(255),
    decided_at         timestamp with time zone,
    review_comment     varchar(1000),
    outcome            varchar(2000),
    closed_at          timestamp with time zone,
    version            bigint         not null
);
create index ix_drift_finding_key on drift_finding (finding_key, status);
create index ix_drift_finding_status on drift_finding (status, kind);
