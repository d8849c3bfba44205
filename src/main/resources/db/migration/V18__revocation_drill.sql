-- The revocation drill: one row per drill with what it measured (from the report to the verification holding), and one
-- row a node locks to take a drill's turn, so that two nodes do not run the same turn.
create table revocation_drill (
    drill_id            varchar(40)   not null primary key,
    partnership_key     varchar(40)   not null,
    started_at          timestamp with time zone not null,
    reported_at         timestamp with time zone,
    accepted_at         timestamp with time zone,
    verified_at         timestamp with time zone,
    duration_ms         bigint,
    outcome             varchar(20)   not null,
    people              integer       not null,
    machines            integer       not null,
    tokens_checked      integer       not null,
    tokens_inactive     integer       not null,
    credentials_checked integer       not null,
    credentials_refused integer       not null,
    detail              varchar(2000)
);
create index ix_revocation_drill_started on revocation_drill (started_at);

create table revocation_drill_turn (
    name              varchar(40)   not null primary key,
    last_started_at   timestamp with time zone
);
insert into revocation_drill_turn (name) values ('revocation-drill');
