-- The audit trail becomes one hash chain per partnership (entries without one in a chain of their own), so appends of
-- unrelated partnerships never wait for each other. New entries (hash version 3) name their chain and their position
-- in it, and their hash covers both. The entries written before stay as they are: one closed legacy segment (no chain,
-- no position), verified in id order as before, whose head is recorded here once.
alter table audit_event add column chain_key varchar(40);
alter table audit_event add column chain_position bigint;
-- chains start at the same genesis hash, so predecessor hashes are unique per chain only
alter table audit_event drop constraint uq_audit_event_previous_hash;
alter table audit_event add constraint uq_audit_event_chain_position unique (chain_key, chain_position);

-- Where each chain ends: an append locks its own chain's row and moves it on, in the same transaction as its entries.
create table audit_chain_head (
    chain_key         varchar(40)   not null primary key,
    chain_position    bigint        not null,
    hash              varchar(64)   not null,
    entry_id          bigint
);

-- The head of the closed legacy segment; the first checkpoint signs it.
create table audit_legacy_segment (
    id                integer       not null primary key,
    chain_position    bigint        not null,
    hash              varchar(64)   not null,
    entry_id          bigint        not null
);
insert into audit_legacy_segment (id, chain_position, hash, entry_id)
select 1, (select count(*) from audit_event), e.hash, e.id from audit_event e
where e.id = (select max(id) from audit_event);

-- The single lock every append used to take.
drop table audit_chain_lock;

-- Signed checkpoints over all chains' heads: the statement (sequence, time, legacy head, digest of the heads) signed
-- with the receipts' key, kept as the file auditors download.
create table audit_checkpoint (
    sequence          bigint        not null primary key,
    issued_at         timestamp with time zone not null,
    heads_digest      varchar(64)   not null,
    signed            varchar(20000) not null
);
-- The heads the newest checkpoint signed (their digest is in its statement).
create table audit_checkpoint_head (
    chain_key         varchar(40)   not null primary key,
    chain_position    bigint        not null,
    hash              varchar(64)   not null,
    entry_id          bigint        not null
);
