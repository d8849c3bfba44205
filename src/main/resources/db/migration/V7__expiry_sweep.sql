-- One row per sweep: locked while a node sweeps (another node's sweep meanwhile skips its turn), and what it last did.
create table expiry_sweep (
    name              varchar(40)   not null primary key,
    last_swept_at     timestamp with time zone,
    revoked           integer
);
insert into expiry_sweep (name) values ('machine-end-dates');
