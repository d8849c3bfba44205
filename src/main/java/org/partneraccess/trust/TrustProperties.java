package org.partneraccess.trust;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where a partnership's workload issuer may be: the same check as a machine's JWKS URL (Keycloak fetches the issuer's
 * discovery document and keys), with a development switch of its own.
 *
 * @param loopbackIssuersAllowed accept issuers and JWKS URLs on the loopback interface, http too (development and
 *                               tests, where the partner's issuer is emulated locally)
 * @param issuerAllowedHosts     hosts accepted although they are at a private, loopback or link-local address
 * @param discoveryTimeout       how long reading an OIDC issuer's discovery document may take, all in all
 * @param discoveryMaxBytes      the largest discovery document read; a larger one is refused
 * @param spiffe                 SPIFFE trust domains (a preview feature of Keycloak): off unless switched on here
 */
@ConfigurationProperties(prefix = "partner-access.trust")
public record TrustProperties(@DefaultValue("false") boolean loopbackIssuersAllowed,
                              @DefaultValue({}) List<String> issuerAllowedHosts,
                              @DefaultValue("5s") Duration discoveryTimeout,
                              @DefaultValue("65536") int discoveryMaxBytes,
                              @DefaultValue Spiffe spiffe) {

    /**
     * @param enabled offer SPIFFE trust domains ({@code partner-access.trust.spiffe.enabled}); Keycloak marks its SPIFFE
     *                provider preview, so the partner realm's Keycloak must also run with the feature {@code spiffe}
     *                ({@code KC_FEATURES}); a request is refused while it does not
     */
    public record Spiffe(@DefaultValue("false") boolean enabled) {
    }
}
