-- Tokens the application itself takes from the partner realm to prove a cut-off (a token with the old secret): their
-- ids only, never the tokens. Keycloak records such a token like any other; usage evidence must not count it as the
-- partner's use.
create table token_probe (
    token_id   varchar(100) not null primary key,
    client_id  varchar(255) not null,
    probed_at  timestamp with time zone not null
);
