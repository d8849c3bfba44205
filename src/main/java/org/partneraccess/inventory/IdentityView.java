package org.partneraccess.inventory;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Set;

import org.partneraccess.LifecycleState;
import org.partneraccess.RegistryRecord;

/**
 * One row of the inventory: what the identity is, who owns it (owner), why it exists (purpose), who asked for it and
 * who approved it, when it ends or is next reviewed, and when it was last used (a sign-in or token in the partner
 * realm, from Keycloak's events; empty when never seen).
 *
 * @param endDate the last day of access, as requested; access stops at {@code accessEndsAt}
 */
public record IdentityView(String id, String partnershipKey, IdentityKind kind, LifecycleState state,
                           String stateReason, String displayName, String keycloakName, String owner,
                           String purpose, String environment, Set<String> clientScopes, LocalDate endDate,
                           String requestedBy, String approvedBy, Instant approvedAt, Instant nextReviewAt,
                           Instant lastUsedAt, Instant revokedAt, Instant accessEndsAt) {

    /** Column names of the CSV export, in the order of {@link #csvRow()}. */
    public static final java.util.List<String> CSV_HEADER = java.util.List.of("id", "partnershipKey", "kind", "state",
            "stateReason", "displayName", "keycloakName", "owner", "purpose", "environment", "clientScopes", "endDate",
            "requestedBy", "approvedBy", "approvedAt", "nextReviewAt", "lastUsedAt", "revokedAt", "accessEndsAt");

    /** A row as stored: the end is the instant access stops. */
    static IdentityView of(String id, String partnershipKey, IdentityKind kind, LifecycleState state,
                           String stateReason, String displayName, String keycloakName, String owner, String purpose,
                           String environment, Set<String> clientScopes, Instant end, String requestedBy,
                           String approvedBy, Instant approvedAt, Instant nextReviewAt, Instant lastUsedAt,
                           Instant revokedAt) {
        return new IdentityView(id, partnershipKey, kind, state, stateReason, displayName, keycloakName, owner,
                purpose, environment, clientScopes, RegistryRecord.lastDay(end), requestedBy, approvedBy, approvedAt,
                nextReviewAt, lastUsedAt, revokedAt, end);
    }

    public Object[] csvRow() {
        return new Object[] {id, partnershipKey, kind, state, stateReason, displayName, keycloakName, owner, purpose,
                environment, clientScopes, endDate, requestedBy, approvedBy, approvedAt, nextReviewAt, lastUsedAt,
                revokedAt, accessEndsAt};
    }
}
