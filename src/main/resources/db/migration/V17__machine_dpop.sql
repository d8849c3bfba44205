-- Whether the policy requires the machine's access tokens to be bound to a key it holds (DPoP, RFC 9449): provisioning
-- sets Keycloak's own client switch from it and drift compares the client against it. Machines registered before were
-- provisioned without it.
alter table machine_profile add column dpop_bound_tokens boolean default false not null;
