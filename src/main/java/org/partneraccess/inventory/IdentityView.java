package org.partneraccess.inventory;

import java.time.Instant;
import java.util.Set;

import org.partneraccess.LifecycleState;

/**
 * One row of the inventory: what the identity is, who owns it (owner), why it exists (purpose), who asked for it and
 * who approved it, when it ends or is next reviewed, and when it was last used (a sign-in or token in the partner
 * realm, from Keycloak's events; empty when never seen).
 */
public record IdentityView(String id, String partnershipKey, IdentityKind kind, LifecycleState state,
                           String stateReason, String displayName, String keycloakName, String owner,
                           String purpose, String environment, Set<String> clientScopes, Instant endDate,
                           String requestedBy, String approvedBy, Instant approvedAt, Instant nextReviewAt,
                           Instant lastUsedAt, Instant revokedAt) {

    /** Column names of the CSV export, in the order of {@link #csvRow()}. */
    public static final java.util.List<String> CSV_HEADER = java.util.List.of("id", "partnershipKey", "kind", "state",
            "stateReason", "displayName", "keycloakName", "owner", "purpose", "environment", "clientScopes", "endDate",
            "requestedBy", "approvedBy", "approvedAt", "nextReviewAt", "lastUsedAt", "revokedAt");

    public Object[] csvRow() {
        return new Object[] {id, partnershipKey, kind, state, stateReason, displayName, keycloakName, owner, purpose,
                environment, clientScopes, endDate, requestedBy, approvedBy, approvedAt, nextReviewAt, lastUsedAt,
                revokedAt};
    }
}
