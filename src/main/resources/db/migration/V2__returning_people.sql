-- A person whose access was revoked may be requested again later: a new identity for the same Keycloak user.
-- Only one identity per Keycloak name may hold or await access; the application checks that on request.
alter table partner_identity drop constraint uq_partner_identity_keycloak_name;
create index ix_partner_identity_keycloak_name on partner_identity (kind, keycloak_name);
