-- One row per reconciliation: locked by a run (one at a time across nodes), and when it last ran.
create table drift_run (
    name              varchar(40)   not null primary key,
    last_run_at       timestamp with time zone,
    findings          integer
);
insert into drift_run (name) values ('partner-realm');
