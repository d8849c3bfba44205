package org.partneraccess.trust;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * A partnership's request to trust its workload issuer.
 *
 * @param kind    {@code KUBERNETES} (a cluster's service-account issuer; Keycloak reads its discovery document) or
 *                {@code OIDC} (any OpenID Connect issuer, with its JWKS URL or by its discovery document alone)
 * @param issuer  the issuer exactly as its tokens carry it in {@code iss}; an https URL
 * @param jwksUrl where an OIDC issuer publishes its public keys; without it, the JWKS URL its discovery document
 *                names when the trust is approved; not for a Kubernetes issuer
 */
public record WorkloadTrustRequest(@NotBlank String kind, @NotBlank @Size(max = 2000) String issuer,
                                   @Size(max = 2000) String jwksUrl) {
}
