-- Which Keycloak account each staff user name stands for, pinned the first time the name signs in, calls the API or is
-- named (a sponsor, an owner). Staff are compared by user name everywhere; the pin keeps a name one person: an account
-- renamed (same Keycloak id, new name) or re-created under an old name (same name, new id) is refused.
create table staff_account_pin (
    username    varchar(255) not null primary key,
    keycloak_id varchar(64)  not null,
    pinned_at   timestamp with time zone not null,
    constraint uq_staff_account_pin_keycloak_id unique (keycloak_id)
);
