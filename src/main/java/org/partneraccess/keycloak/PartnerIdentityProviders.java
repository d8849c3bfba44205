package org.partneraccess.keycloak;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.keycloak.representations.idm.IdentityProviderRepresentation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * A partnership's workload issuer as an identity provider of the partner realm: the provider its federated machine
 * clients name, so one switch on it cuts every such client of the partner. Each provider carries the registry ids
 * ({@value KeycloakAttributes#PARTNERSHIP}, {@value KeycloakAttributes#IDENTITY} = the trust's id) in its
 * configuration and is acted on only when they match. Keycloak failures are mapped by {@link KeycloakCalls}.
 *
 * <p>Needs Keycloak's features {@code client-auth-federated} and, for a Kubernetes issuer,
 * {@code kubernetes-service-accounts} (both on by default in 26.7), and the provisioner's
 * {@code manage-identity-providers} role: fine-grained admin permissions do not cover identity providers.
 */
@Service
public class PartnerIdentityProviders {

    private static final Logger log = LoggerFactory.getLogger(PartnerIdentityProviders.class);

    /** Every alias the application gives a partnership's workload issuer starts so. */
    public static final String ALIAS_PREFIX = "pa-t-";
    /** Keycloak's provider ids: its Kubernetes service-account provider and its OpenID Connect provider. */
    static final String KUBERNETES = "kubernetes";
    static final String OIDC = "oidc";
    /** Keycloak's SPIFFE provider: a preview, present only when the server runs with the feature {@code spiffe}. */
    static final String SPIFFE = "spiffe";

    /**
     * What the partner's issuer is: a Kubernetes cluster's service-account issuer, any OpenID Connect issuer, or a
     * SPIFFE trust domain (its bundle endpoint publishing the keys of its JWT-SVIDs).
     */
    public enum Kind { KUBERNETES, OIDC, SPIFFE }

    /**
     * A partnership's workload issuer. A Kubernetes issuer's keys are found through its discovery document
     * ({@code <issuer>/.well-known/openid-configuration}); an OIDC issuer's at its JWKS URL, or, for an issuer whose
     * one signing key is held inline ({@code publicKey}, an RSA public key as base64 DER: the revocation drill's
     * synthetic issuer), nowhere: Keycloak then fetches nothing.
     */
    public record WorkloadIssuer(String partnershipKey, String trustId, Kind kind, String issuer, String jwksUrl,
                                 String publicKey) {

        public WorkloadIssuer {
            Objects.requireNonNull(partnershipKey, "partnershipKey");
            Objects.requireNonNull(trustId, "trustId");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(issuer, "issuer");
            boolean hasJwksUrl = jwksUrl != null && !jwksUrl.isBlank();
            boolean hasKey = publicKey != null && !publicKey.isBlank();
            if (kind == Kind.OIDC && hasJwksUrl == hasKey) {
                throw new IllegalArgumentException("an OIDC workload issuer needs its JWKS URL or its public key, not both");
            }
            if (kind != Kind.OIDC && hasKey) {
                throw new IllegalArgumentException("only an OIDC workload issuer's key may be held inline");
            }
            if (kind == Kind.SPIFFE && !hasJwksUrl) {
                throw new IllegalArgumentException("a SPIFFE trust domain needs its bundle endpoint");
            }
        }

        public WorkloadIssuer(String partnershipKey, String trustId, Kind kind, String issuer, String jwksUrl) {
            this(partnershipKey, trustId, kind, issuer, jwksUrl, null);
        }

        public String alias() {
            return PartnerIdentityProviders.alias(partnershipKey);
        }
    }

    private final KeycloakCalls keycloak;

    PartnerIdentityProviders(KeycloakCalls keycloak) {
        this.keycloak = keycloak;
    }

    /** The alias of a partnership's identity provider: one per partnership, derived from its key. */
    public static String alias(String partnershipKey) {
        return ALIAS_PREFIX + partnershipKey;
    }

    /**
     * Creates the partnership's identity provider, enabled, unless it exists already for this trust (a retried job);
     * one of another trust is refused (409), never taken over.
     */
    public void ensure(WorkloadIssuer issuer) {
        String operation = "create identity provider " + issuer.alias();
        Optional<IdentityProviderRepresentation> existing = find(issuer.alias());
        if (existing.isPresent()) {
            requireBound(existing.get(), operation, issuer.trustId());
            return;
        }
        Optional<String> created = keycloak.create(operation,
                () -> keycloak.realm().identityProviders().create(provisioned(issuer)));
        if (created.isEmpty()) {
            // created meanwhile: ours only if it carries this trust
            requireBound(find(issuer.alias()).orElseThrow(() -> new KeycloakRejectedException(operation
                    + " conflicts with an existing provider", 409, null)), operation, issuer.trustId());
            return;
        }
        log.info("Created identity provider {} for trust {} of partnership {}", issuer.alias(), issuer.trustId(),
                issuer.partnershipKey());
    }

    /** Disables the provider: every federated client naming it is refused a token from now on. */
    public void disable(String partnershipKey, String trustId) {
        setEnabled(partnershipKey, trustId, false);
    }

    /** Enables the provider again (a resumption); its clients are enabled by their own step. */
    public void enable(String partnershipKey, String trustId) {
        setEnabled(partnershipKey, trustId, true);
    }

    /**
     * Deletes the partnership's provider if it is bound to this trust (the revocation drill's, once verified: a real
     * trust's provider is only disabled and kept for investigation); gone already is fine.
     */
    public void delete(String partnershipKey, String trustId) {
        String alias = alias(partnershipKey);
        String operation = "delete identity provider " + alias;
        Optional<IdentityProviderRepresentation> provider = find(alias);
        if (provider.isEmpty()) {
            return;
        }
        requireBound(provider.get(), operation, trustId);
        keycloak.run(operation, () -> keycloak.realm().identityProviders().get(alias).remove());
    }

    /**
     * Whether the partner realm's Keycloak has this kind of provider at all: a preview one (SPIFFE) is there only when
     * the server runs with its feature. Read from the provider types the server lists, not from the type's own
     * endpoint, which Keycloak 26.7 answers with a 500 for SPIFFE (it cannot serialize that provider's factory).
     */
    public boolean offers(Kind kind) {
        String providerId = providerId(kind);
        List<Map<String, String>> types = keycloak.call("read identity provider types",
                () -> keycloak.serverInfo().getInfo().getIdentityProviders());
        return types != null && types.stream().anyMatch(type -> providerId.equals(type.get("id")));
    }

    public Optional<IdentityProviderRepresentation> find(String alias) {
        return keycloak.optional("read identity provider " + alias,
                () -> keycloak.realm().identityProviders().get(alias).toRepresentation());
    }

    /** Every identity provider of the partner realm, for the drift reconciliation. */
    public List<IdentityProviderRepresentation> list() {
        return keycloak.call("list identity providers", () -> keycloak.realm().identityProviders().findAll());
    }

    /** Writes the provider back as the trust approved it, keeping its enabled switch (drift correction). */
    public void setBackToProvisioning(WorkloadIssuer issuer, boolean enabled) {
        String operation = "restore identity provider " + issuer.alias();
        IdentityProviderRepresentation current = keycloak.call(operation,
                () -> keycloak.realm().identityProviders().get(issuer.alias()).toRepresentation());
        requireBound(current, operation, issuer.trustId());
        IdentityProviderRepresentation provisioned = provisioned(issuer);
        provisioned.setInternalId(current.getInternalId());
        provisioned.setEnabled(enabled);
        keycloak.run(operation, () -> keycloak.realm().identityProviders().get(issuer.alias()).update(provisioned));
    }

    /** Disables a provider no approved trust justifies (drift correction); its configuration stays for investigation. */
    public void disableUnregistered(IdentityProviderRepresentation provider) {
        IdentityProviderRepresentation current = keycloak.call("read identity provider " + provider.getAlias(),
                () -> keycloak.realm().identityProviders().get(provider.getAlias()).toRepresentation());
        current.setEnabled(false);
        keycloak.run("disable identity provider " + provider.getAlias(),
                () -> keycloak.realm().identityProviders().get(provider.getAlias()).update(current));
    }

    /**
     * What the provider holds beyond what the trust approved: another provider type, issuer or JWKS URL, shown on a
     * login page, or linked to a login flow; empty when it is as provisioned. Its enabled switch is judged by the
     * caller, which knows the trust's state.
     */
    public static List<String> beyondProvisioning(IdentityProviderRepresentation found, WorkloadIssuer issuer) {
        IdentityProviderRepresentation provisioned = provisioned(issuer);
        Map<String, String> config = found.getConfig() == null ? Map.of() : found.getConfig();
        java.util.List<String> beyond = new java.util.ArrayList<>();
        if (!provisioned.getProviderId().equals(found.getProviderId())) {
            beyond.add("providerId " + found.getProviderId());
        }
        for (String key : List.of("issuer", "jwksUrl", "useJwksUrl", "publicKeySignatureVerifier", "validateSignature",
                "supportsClientAssertions", "trustDomain", "bundleEndpoint")) {
            if (!Objects.equals(provisioned.getConfig().get(key), config.get(key))) {
                beyond.add(key);
            }
        }
        if (!Boolean.TRUE.equals(found.isHideOnLogin()) && !"true".equals(config.get("hideOnLoginPage"))) {
            beyond.add("shownOnLogin");
        }
        if (Boolean.TRUE.equals(found.isLinkOnly()) != Boolean.TRUE.equals(provisioned.isLinkOnly())) {
            beyond.add("linkOnly");
        }
        return beyond;
    }

    /** Whether a provider carries the registry ids of this trust. */
    public static boolean isBound(IdentityProviderRepresentation provider, String trustId) {
        Map<String, String> config = provider.getConfig();
        return config != null && trustId != null && trustId.equals(config.get(KeycloakAttributes.IDENTITY));
    }

    /** The partnership a provider is tagged with, if any. */
    public static Optional<String> partnershipOf(IdentityProviderRepresentation provider) {
        return Optional.ofNullable(provider.getConfig()).map(config -> config.get(KeycloakAttributes.PARTNERSHIP));
    }

    private void setEnabled(String partnershipKey, String trustId, boolean enabled) {
        String alias = alias(partnershipKey);
        String operation = (enabled ? "enable" : "disable") + " identity provider " + alias;
        // read-modify-write: a partial representation would clear its configuration
        IdentityProviderRepresentation provider = keycloak.call(operation,
                () -> keycloak.realm().identityProviders().get(alias).toRepresentation());
        requireBound(provider, operation, trustId);
        provider.setEnabled(enabled);
        keycloak.run(operation, () -> keycloak.realm().identityProviders().get(alias).update(provider));
    }

    /**
     * The provider as approved: a trust relationship for client assertions only, hidden from every login page and
     * linked to no login flow, so no person can sign in through it; for an OIDC issuer, signatures checked against the
     * keys at its JWKS URL.
     */
    private static IdentityProviderRepresentation provisioned(WorkloadIssuer issuer) {
        IdentityProviderRepresentation rep = new IdentityProviderRepresentation();
        rep.setAlias(issuer.alias());
        rep.setDisplayName("Workload issuer of partnership " + issuer.partnershipKey());
        rep.setProviderId(providerId(issuer.kind()));
        rep.setEnabled(true);
        rep.setHideOnLogin(true);
        rep.setLinkOnly(true);
        rep.setTrustEmail(false);
        rep.setStoreToken(false);
        Map<String, String> config = new HashMap<>();
        if (issuer.kind() == Kind.SPIFFE) {
            config.put("trustDomain", issuer.issuer());
            config.put("bundleEndpoint", issuer.jwksUrl());
        } else {
            config.put("issuer", issuer.issuer());
        }
        if (issuer.kind() == Kind.OIDC) {
            if (issuer.publicKey() != null) {
                config.put("useJwksUrl", "false");
                config.put("publicKeySignatureVerifier", issuer.publicKey());
            } else {
                config.put("jwksUrl", issuer.jwksUrl());
                config.put("useJwksUrl", "true");
            }
            config.put("validateSignature", "true");
            config.put("supportsClientAssertions", "true");
        }
        config.put(KeycloakAttributes.PARTNERSHIP, issuer.partnershipKey());
        config.put(KeycloakAttributes.IDENTITY, issuer.trustId());
        rep.setConfig(config);
        return rep;
    }

    private static String providerId(Kind kind) {
        return switch (kind) {
            case KUBERNETES -> KUBERNETES;
            case OIDC -> OIDC;
            case SPIFFE -> SPIFFE;
        };
    }

    private static void requireBound(IdentityProviderRepresentation provider, String operation, String trustId) {
        if (!isBound(provider, trustId)) {
            throw new KeycloakRejectedException(operation + ": refused, the provider is not bound to trust " + trustId
                    + " (its " + KeycloakAttributes.IDENTITY + " setting differs)", 409, null);
        }
    }
}
