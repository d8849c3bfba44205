package org.partneraccess.inventory;

import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.Set;

import org.partneraccess.LifecycleState;
import org.partneraccess.RegistryRecord;

/**
 * One row of the inventory: what the identity is, who owns it (owner), why it exists (purpose), who asked for it and
 * who approved it, when it ends or is next reviewed, and when it was last used (a sign-in, the accepted partner terms
 * or a token in the partner realm, from Keycloak's events; empty when never seen).
 *
 * @param endDate the last day of access, as requested; access stops at {@code accessEndsAt}
 * @param invitationPending a person who holds access but has neither accepted the invitation nor signed in yet
 */
public record IdentityView(String id, String partnershipKey, IdentityKind kind, LifecycleState state,
                           String stateReason, String displayName, String keycloakName, String owner,
                           String purpose, String environment, Set<String> clientScopes, LocalDate endDate,
                           String requestedBy, String approvedBy, Instant approvedAt, Instant nextReviewAt,
                           Instant lastUsedAt, Instant revokedAt, Instant accessEndsAt, boolean invitationPending) {

    /** Column names of the CSV export, in the order of {@link #csvRow()}. */
    public static final java.util.List<String> CSV_HEADER = java.util.List.of("id", "partnershipKey", "kind", "state",
            "stateReason", "displayName", "keycloakName", "owner", "purpose", "environment", "clientScopes", "endDate",
            "requestedBy", "approvedBy", "approvedAt", "nextReviewAt", "lastUsedAt", "revokedAt", "accessEndsAt",
            "invitationPending");

    /** Provisioned in Keycloak and not ended: where an invitation can still be open. */
    private static final Set<LifecycleState> PROVISIONED = EnumSet.of(LifecycleState.ACTIVE,
            LifecycleState.UNDER_REVIEW, LifecycleState.SUSPENDED);

    /** A row as stored: the end is the instant access stops. */
    static IdentityView of(String id, String partnershipKey, IdentityKind kind, LifecycleState state,
                           String stateReason, String displayName, String keycloakName, String owner, String purpose,
                           String environment, Set<String> clientScopes, Instant end, String requestedBy,
                           String approvedBy, Instant approvedAt, Instant nextReviewAt, Instant lastUsedAt,
                           Instant revokedAt) {
        return new IdentityView(id, partnershipKey, kind, state, stateReason, displayName, keycloakName, owner,
                purpose, environment, clientScopes, RegistryRecord.lastDay(end), requestedBy, approvedBy, approvedAt,
                nextReviewAt, lastUsedAt, revokedAt, end, invitationPending(kind, state, lastUsedAt));
    }

    /**
     * The lifecycle says ACTIVE once Keycloak holds the account, but a person is onboarded only after accepting the
     * terms from the invitation (or signing in, which needs that first); both are counted as use by the usage sync.
     */
    static boolean invitationPending(IdentityKind kind, LifecycleState state, Instant lastUsedAt) {
        return kind == IdentityKind.HUMAN && PROVISIONED.contains(state) && lastUsedAt == null;
    }

    public Object[] csvRow() {
        return new Object[] {id, partnershipKey, kind, state, stateReason, displayName, keycloakName, owner, purpose,
                environment, clientScopes, endDate, requestedBy, approvedBy, approvedAt, nextReviewAt, lastUsedAt,
                revokedAt, accessEndsAt, invitationPending};
    }
}
