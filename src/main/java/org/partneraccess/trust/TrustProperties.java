package org.partneraccess.trust;

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
 */
@ConfigurationProperties(prefix = "partner-access.trust")
public record TrustProperties(@DefaultValue("false") boolean loopbackIssuersAllowed,
                              @DefaultValue({}) List<String> issuerAllowedHosts) {
}
