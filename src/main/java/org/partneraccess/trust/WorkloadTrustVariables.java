package org.partneraccess.trust;

import org.partneraccess.Variables;

/**
 * Process variable names of a partnership's workload trust review ({@code WorkloadTrustProcess}) and its form; the
 * requester, partnershipKey and the security officer's decision are shared ({@link Variables}).
 */
public final class WorkloadTrustVariables {

    // ---- a partnership's workload trust (shown to the security officer; the registry row is the authority) ----
    public static final String TRUST_KIND = "trustKind";
    public static final String TRUST_ISSUER = "trustIssuer";
    public static final String TRUST_JWKS_URL = "trustJwksUrl";

    private WorkloadTrustVariables() {
    }
}
