-- Inventory at scale, usage from Keycloak's events, and who acted in the audit trail.

-- Every inventory filter reads its rows in the default order (end date, then id) straight from an index, so a page
-- of a filtered listing is a short index range, not a scan and sort of the whole table. The single-column indexes
-- these replace are their prefixes (the partnership one also serves the foreign key).
drop index ix_partner_identity_end_date;
drop index ix_partner_identity_partnership;
drop index ix_partner_identity_owner;
create index ix_partner_identity_end_date on partner_identity (end_date, identity_id);
create index ix_partner_identity_state_end_date on partner_identity (state, end_date, identity_id);
create index ix_partner_identity_partnership on partner_identity (partnership_key, end_date, identity_id);
create index ix_partner_identity_owner on partner_identity (owner, end_date, identity_id);
-- reviews due or overdue (dashboard, reviewBefore filter)
create index ix_partner_identity_next_review on partner_identity (next_review_at);
-- the usage job finds a person's identities by Keycloak user id
create index ix_partner_identity_keycloak_id on partner_identity (keycloak_id);

create index ix_partnership_sponsor on partnership (sponsor, partnership_key);
create index ix_partnership_next_review on partnership (next_review_at);

-- How far the usage job has read Keycloak's login events; one row per event source, locked while a run reads.
create table usage_cursor (
    source            varchar(40)   not null primary key,
    read_until        timestamp with time zone,
    updated_at        timestamp with time zone
);
insert into usage_cursor (source) values ('partner-realm-logins');

-- Who acted: STAFF (a staff user), PARTNER (a partner person or machine), SYSTEM (the application or a timer),
-- POLICY (the access policy). Rows written before this migration get the kind derived from their actor, but their
-- hash (hash_version 1) does not cover it; rows written from now on (hash_version 2) hash the kind with the rest.
alter table audit_event add column actor_kind varchar(10);
alter table audit_event add column hash_version integer default 1 not null;
update audit_event set actor_kind = case actor when 'system' then 'SYSTEM' when 'policy' then 'POLICY' else 'STAFF' end;
alter table audit_event alter column actor_kind set not null;
