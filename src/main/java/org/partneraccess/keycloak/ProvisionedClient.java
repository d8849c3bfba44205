package org.partneraccess.keycloak;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import org.keycloak.representations.idm.ClientRepresentation;
import org.partneraccess.keycloak.PartnerClients.AuthMethod;
import org.partneraccess.keycloak.PartnerClients.Credential;

/**
 * How a partner machine client works, as provisioning sets it ({@link PartnerClients#ensureMachineClient}) and drift
 * compares it ({@link #beyondProvisioning}): confidential, client credentials only (no browser, password, device,
 * CIBA or token-exchange grant, no redirect URI), no full scope, no protocol mapper, the registered authenticator with
 * its public keys, and Keycloak's own switch for DPoP-bound access tokens as the policy decided (off: a client may
 * still present a proof and get a bound token).
 */
public final class ProvisionedClient {

    /** Keycloak's client switch "Require DPoP bound tokens": a token request without a DPoP proof is refused. */
    public static final String DPOP_BOUND_ACCESS_TOKENS = "dpop.bound.access.tokens";
    static final String OIDC = "openid-connect";
    static final String ACCESS_TOKEN_LIFESPAN = "access.token.lifespan";
    static final String CLIENT_SECRET = "client-secret";
    private static final String CLIENT_JWT = "client-jwt";
    private static final String USE_JWKS_URL = "use.jwks.url";
    private static final String JWKS_URL = "jwks.url";
    private static final String USE_JWKS_STRING = "use.jwks.string";
    private static final String JWKS_STRING = "jwks.string";
    private static final String SIGNING_ALG = "token.endpoint.auth.signing.alg";
    /** Keycloak's federated client authenticator (feature {@code client-auth-federated}) and its two client settings. */
    static final String FEDERATED_JWT = "federated-jwt";
    static final String FEDERATED_ISSUER = "jwt.credential.issuer";
    static final String FEDERATED_SUBJECT = "jwt.credential.sub";
    /** Where a client-jwt client's public keys are and how its assertions are signed: its credential. */
    static final List<String> KEY_ATTRIBUTES = List.of(USE_JWKS_URL, JWKS_URL, USE_JWKS_STRING, JWKS_STRING,
            SIGNING_ALG, FEDERATED_ISSUER, FEDERATED_SUBJECT);
    /** Grants Keycloak switches on per client by attribute: a machine client has none of them. */
    static final List<String> GRANT_ATTRIBUTES = List.of("oauth2.device.authorization.grant.enabled",
            "oidc.ciba.grant.enabled", "standard.token.exchange.enabled");
    static final String MAPPER = "mapper ";
    static final String AUTHENTICATOR = "authenticator ";
    static final String PUBLIC_KEYS = "publicKeys";

    private ProvisionedClient() {
    }

    /** Sets the provisioned configuration on {@code rep}; see the class. */
    static void configure(ClientRepresentation rep, Credential credential, boolean dpopBoundTokens) {
        AuthMethod method = credential == null ? null : credential.method();
        String jwksUrl = method == null ? null : credential.jwksUrl();
        String jwks = method == null ? null : credential.jwks();
        rep.setProtocol(OIDC);
        rep.setPublicClient(false);
        rep.setBearerOnly(false);
        rep.setServiceAccountsEnabled(true);
        rep.setStandardFlowEnabled(false);
        rep.setImplicitFlowEnabled(false);
        rep.setDirectAccessGrantsEnabled(false);
        rep.setFrontchannelLogout(false);
        rep.setConsentRequired(false);
        rep.setFullScopeAllowed(false);
        rep.setRedirectUris(List.of());
        Map<String, String> attributes = attributesOf(rep);
        GRANT_ATTRIBUTES.forEach(grant -> attributes.put(grant, "false"));
        attributes.put(DPOP_BOUND_ACCESS_TOKENS, String.valueOf(dpopBoundTokens));
        if (method == AuthMethod.SIGNED_JWT) {
            rep.setClientAuthenticatorType(CLIENT_JWT);
            if (blank(jwks)) {
                attributes.put(USE_JWKS_URL, "true");
                attributes.put(JWKS_URL, jwksUrl);
            } else {
                attributes.put(USE_JWKS_URL, "false");
                attributes.put(USE_JWKS_STRING, "true");
                attributes.put(JWKS_STRING, jwks);
            }
            attributes.put(SIGNING_ALG, "RS256");
        } else if (method == AuthMethod.FEDERATED) {
            // Keycloak finds the client by these two: the provider that verified the JWT and the JWT's subject
            rep.setClientAuthenticatorType(FEDERATED_JWT);
            attributes.put(FEDERATED_ISSUER, credential.federatedProvider());
            attributes.put(FEDERATED_SUBJECT, credential.workloadSubject());
        } else {
            rep.setClientAuthenticatorType(CLIENT_SECRET);
        }
    }

    /**
     * What a partner machine client holds beyond the configuration provisioning gave it (see {@link #configure}),
     * each difference named the same way every time: {@code publicClient}, {@code standardFlow}, {@code implicitFlow},
     * {@code directAccessGrants}, {@code fullScope}, a grant attribute set to {@code true}, {@code redirectUris},
     * {@code authenticator <type>}, {@code publicKeys}, and {@code mapper <id>} for each protocol mapper (provisioning
     * creates none), and {@value #DPOP_BOUND_ACCESS_TOKENS} where the switch differs from {@code dpopBoundTokens}
     * (unset is off). Scopes and the token lifespan are judged on their own. A null {@code method} leaves the
     * authenticator unjudged, a null {@code dpopBoundTokens} the switch.
     */
    public static Set<String> beyondProvisioning(ClientRepresentation found, AuthMethod method, String jwksUrl,
                                                 String jwks, Boolean dpopBoundTokens) {
        return beyondProvisioning(found, method == null ? null : Credential.of(method, jwksUrl, jwks), dpopBoundTokens);
    }

    /** {@link #beyondProvisioning(ClientRepresentation, AuthMethod, String, String, Boolean)} for any credential. */
    public static Set<String> beyondProvisioning(ClientRepresentation found, Credential credential,
                                                 Boolean dpopBoundTokens) {
        AuthMethod method = credential == null ? null : credential.method();
        Set<String> beyond = new TreeSet<>();
        Map<String, String> attributes = found.getAttributes() == null ? Map.of() : found.getAttributes();
        if (Boolean.TRUE.equals(found.isPublicClient())) {
            beyond.add("publicClient");
        }
        if (Boolean.TRUE.equals(found.isStandardFlowEnabled())) {
            beyond.add("standardFlow");
        }
        if (Boolean.TRUE.equals(found.isImplicitFlowEnabled())) {
            beyond.add("implicitFlow");
        }
        if (Boolean.TRUE.equals(found.isDirectAccessGrantsEnabled())) {
            beyond.add("directAccessGrants");
        }
        if (Boolean.TRUE.equals(found.isFullScopeAllowed())) {
            beyond.add("fullScope");
        }
        GRANT_ATTRIBUTES.stream().filter(grant -> "true".equalsIgnoreCase(attributes.get(grant))).forEach(beyond::add);
        if (found.getRedirectUris() != null && !found.getRedirectUris().isEmpty()) {
            beyond.add("redirectUris");
        }
        // both ways: switched off, a stolen token works without the key; switched on, the partner's flow breaks
        if (dpopBoundTokens != null
                && dpopBoundTokens != "true".equalsIgnoreCase(attributes.get(DPOP_BOUND_ACCESS_TOKENS))) {
            beyond.add(DPOP_BOUND_ACCESS_TOKENS);
        }
        if (method != null) {
            ClientRepresentation provisioned = new ClientRepresentation();
            configure(provisioned, credential, Boolean.TRUE.equals(dpopBoundTokens));
            if (!provisioned.getClientAuthenticatorType().equals(found.getClientAuthenticatorType())) {
                beyond.add(AUTHENTICATOR + found.getClientAuthenticatorType());
            } else if (method != AuthMethod.CLIENT_SECRET && KEY_ATTRIBUTES.stream().anyMatch(name ->
                    !Objects.equals(keyAttribute(provisioned, name), keyAttribute(found, name)))) {
                beyond.add(PUBLIC_KEYS);
            }
        }
        if (found.getProtocolMappers() != null) {
            // by id: a mapper's name is free text
            found.getProtocolMappers().forEach(mapper -> beyond.add(MAPPER + mapper.getId()));
        }
        return beyond;
    }

    /**
     * Sets {@code found} back to the provisioned configuration in the settings named (as {@link #beyondProvisioning}
     * names them; protocol mappers aside, which are deleted one by one).
     */
    static void restore(ClientRepresentation found, Credential credential, boolean dpopBoundTokens,
                        Set<String> settings) {
        AuthMethod method = credential == null ? null : credential.method();
        ClientRepresentation provisioned = new ClientRepresentation();
        configure(provisioned, credential, dpopBoundTokens);
        Map<String, String> attributes = attributesOf(found);
        for (String difference : settings) {
            switch (difference) {
                case "publicClient" -> found.setPublicClient(provisioned.isPublicClient());
                case "standardFlow" -> found.setStandardFlowEnabled(provisioned.isStandardFlowEnabled());
                case "implicitFlow" -> found.setImplicitFlowEnabled(provisioned.isImplicitFlowEnabled());
                case "directAccessGrants" -> found.setDirectAccessGrantsEnabled(
                        provisioned.isDirectAccessGrantsEnabled());
                case "fullScope" -> found.setFullScopeAllowed(provisioned.isFullScopeAllowed());
                case "redirectUris" -> found.setRedirectUris(provisioned.getRedirectUris());
                default -> {
                    if (GRANT_ATTRIBUTES.contains(difference) || difference.equals(DPOP_BOUND_ACCESS_TOKENS)) {
                        attributes.put(difference, provisioned.getAttributes().get(difference));
                    } else if (method != null && (difference.equals(PUBLIC_KEYS)
                            || difference.startsWith(AUTHENTICATOR))) {
                        found.setClientAuthenticatorType(provisioned.getClientAuthenticatorType());
                        KEY_ATTRIBUTES.forEach(name -> {
                            String value = provisioned.getAttributes().get(name);
                            if (value == null) {
                                attributes.remove(name);
                            } else {
                                attributes.put(name, value);
                            }
                        });
                    }
                }
            }
        }
    }

    /** A key attribute as Keycloak reads it: an unset switch is off. */
    private static String keyAttribute(ClientRepresentation client, String name) {
        String value = client.getAttributes() == null ? null : client.getAttributes().get(name);
        return value == null && name.startsWith("use.") ? "false" : value;
    }

    static Map<String, String> attributesOf(ClientRepresentation client) {
        if (client.getAttributes() == null) {
            client.setAttributes(new HashMap<>());
        }
        return client.getAttributes();
    }

    static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
