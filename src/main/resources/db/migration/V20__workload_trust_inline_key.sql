-- A workload trust whose issuer's one signing key is held inline instead of behind a JWKS URL: the revocation drill's
-- synthetic issuer, so that Keycloak fetches nothing and the drill needs no network. An RSA public key, base64 DER.
alter table workload_trust add column public_key varchar(2000);
