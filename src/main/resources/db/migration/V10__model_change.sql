-- Models (BPMN, DMN, forms) a process owner deployed: kept here, not deployed, until a security officer other than
-- the deployer approves them; then the application deploys exactly these bytes (their hashes are in the audit chain).
create table model_change (
    change_id          varchar(40)   not null primary key,
    deployment_name    varchar(255)  not null,
    submitted_by       varchar(255)  not null,
    submitted_at       timestamp with time zone not null,
    summary            varchar(20000) not null,
    -- PENDING, APPROVED, REJECTED or EXPIRED
    status             varchar(20)   not null,
    decided_by         varchar(255),
    decided_at         timestamp with time zone,
    decision_comment   varchar(1000),
    deployment_id      varchar(64),
    version            bigint        not null
);
create table model_change_resource (
    change_id          varchar(40)   not null references model_change (change_id),
    resource_name      varchar(255)  not null,
    content            varchar(1000000) not null,
    sha256             varchar(64)   not null,
    primary key (change_id, resource_name)
);
