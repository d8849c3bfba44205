-- The audit trail is a hash chain: each entry names its predecessor's hash, so appends must follow one another.
-- Every append locks this one row first; appends from several job threads or application nodes then wait for each
-- other instead of both naming the same predecessor (which the unique previous_hash refused, failing one of them).
create table audit_chain_lock (
    id integer primary key
);
insert into audit_chain_lock (id) values (1);
