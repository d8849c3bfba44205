package org.partneraccess.inventory;

import java.time.Instant;

import org.partneraccess.LifecycleState;

/**
 * Keycloak's side of an identity's access actions, defined once per kind (a person's user, a machine's client): every
 * path that suspends, resumes or revokes an identity (the incident cut-off, the partnership's bulk actions, the expiry
 * sweep, drift correction, the identity processes) calls this, so each action has one meaning. The registry's step
 * ({@link IdentityStates}) and the audit entry stay with the caller, whose transaction and evidence differ. Every
 * call is safe to repeat and acts only on an object that carries the identity.
 */
public interface IdentityAccess {

    /**
     * The identity and the Keycloak object to act on: {@code keycloakId} when known (the registry's, or the object a
     * drift finding names), else the object found by {@code keycloakName} that carries the identity, which provisioning
     * may have created before the registry recorded it.
     */
    record Target(String identityId, String keycloakId, String keycloakName) {

        public static Target of(PartnerIdentity identity) {
            return new Target(identity.getId(), identity.getKeycloakId(), identity.getKeycloakName());
        }

        /** The same identity, acted on at this Keycloak object. */
        public Target at(String objectId) {
            return new Target(identityId, objectId, keycloakName);
        }
    }

    /** Whether a credential may be in other hands (an incident, a client found usable again after its revocation). */
    enum Exposure {
        /** access ends; what it was reached with is not suspected */
        NONE,
        /** a shared secret is replaced as well (the new one forgotten), and that the old one is refused is proven */
        SUSPECTED
    }

    /**
     * What a revocation found; the proof flags are null where they do not apply (no shared secret, not suspected).
     *
     * @param secretReplaced       the client's shared secret was replaced
     * @param oldSecretRefused     the secret held before is refused afterwards
     * @param earlierTokenInactive a token taken with it just before is inactive afterwards
     */
    record Revocation(boolean secretReplaced, Boolean oldSecretRefused, Boolean earlierTokenInactive) {

        public static final Revocation PLAIN = new Revocation(false, null, null);

        /** No proof failed: nothing taken before the revocation still works. */
        public boolean proven() {
            return !Boolean.FALSE.equals(oldSecretRefused) && !Boolean.FALSE.equals(earlierTokenInactive);
        }
    }

    /**
     * What Keycloak shows of an identity's object now: a person's user with its sessions, a machine's client with its
     * not-before (each null for the other kind).
     */
    record Shown(boolean exists, boolean enabled, Integer sessions, Instant notBefore) {

        public static final Shown GONE = new Shown(false, false, null, null);

        /** Nothing it was given works any more: the object gone, or disabled without a session. */
        public boolean cutOff() {
            return !exists || !enabled && (sessions == null || sessions == 0);
        }
    }

    IdentityKind kind();

    /** Read live from Keycloak by the object's name, so evidence shows Keycloak's state, not the registry's. */
    Shown shown(String keycloakName);

    /** Keycloak lets the identity in no longer, and what it issued until now stops working; it may be resumed. */
    void suspend(Target target);

    /** Keycloak lets the identity in again, with exactly what was approved. The caller has taken its registry step. */
    void resume(Target target);

    /** As {@link #suspend}, and whatever the identity held is taken away for good. */
    Revocation revoke(Target target, Exposure exposure);

    /**
     * An identity process's revocation when its access ends: nothing is called again for an identity the registry holds
     * {@code REVOKED} already, because only a path that made these calls, and kept their evidence, moves it there (the
     * incident cut-off and the partnership's revocation tell the processes afterwards); Keycloak is checked by the
     * revocation's verification and by drift detection, not by doing it twice.
     */
    default Revocation revokeUnlessRevoked(PartnerIdentity identity, Exposure exposure) {
        return identity.getState() == LifecycleState.REVOKED ? Revocation.PLAIN : revoke(Target.of(identity), exposure);
    }

    /** Keycloak's object of the identity is deleted, if it carries the identity (a drill's synthetic identity). */
    void delete(Target target);
}
