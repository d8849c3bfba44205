package org.partneraccess.drift;

import java.util.List;
import java.util.Set;

/**
 * One difference between the partner realm and the registry.
 *
 * @param key            stable while the difference stays the same: the business key of its review
 * @param object         the Keycloak user, client or client scope
 * @param identityId     the registry identity it belongs to, or the unknown one it names; null when untagged
 * @param partnershipKey the partnership of that identity, or the one the object names
 * @param registryState  the identity's state (and the partnership's when that one ended access), null for orphans
 * @param excess         the roles or scopes beyond approval (excess privilege), or the client's configuration beyond
 *                       provisioning (client configuration)
 * @param reviewers      the staff users who review it; empty: the security officers
 * @param action         what this run did about it
 * @param findingId      the stored finding ({@code drift_finding}) this run recorded it as or found it under, which its
 *                       review acts on; null while it is only read ({@code GET /api/drift}) and not recorded yet
 */
public record DriftFinding(String key, DriftKind kind, KeycloakObject object, String identityId, String partnershipKey,
                           String registryState, String expected, String found, Set<String> excess,
                           List<String> reviewers, String action, String findingId) {

    /** {@code SCOPE}: a client scope; {@code PROVIDER}: an identity provider (a partnership's workload issuer). */
    public enum ObjectType { USER, CLIENT, SCOPE, PROVIDER }

    /**
     * @param name the username, OAuth client id, client scope name or identity provider alias; @param id Keycloak's
     *             internal id
     */
    public record KeycloakObject(ObjectType type, String name, String id, boolean enabled) {
    }

    public DriftFinding {
        excess = excess == null ? Set.of() : Set.copyOf(new java.util.TreeSet<>(excess));
        reviewers = reviewers == null ? List.of() : List.copyOf(reviewers);
    }

    DriftFinding withAction(String done) {
        return new DriftFinding(key, kind, object, identityId, partnershipKey, registryState, expected, found, excess,
                reviewers, done, findingId);
    }

    DriftFinding withFindingId(String id) {
        return new DriftFinding(key, kind, object, identityId, partnershipKey, registryState, expected, found, excess,
                reviewers, action, id);
    }

    /**
     * Where the registry has taken access away (revoked, suspended, ended) it is taken away again in Keycloak at once;
     * everything else is for a person to review.
     */
    boolean correctedAutomatically() {
        return kind == DriftKind.REVOKED_BUT_ACTIVE || registryState != null && registryState.startsWith("REVOKED");
    }
}
