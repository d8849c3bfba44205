package org.partneraccess.inventory;

import java.time.Instant;
import java.util.List;

/**
 * What each identity kind does beyond Keycloak's side ({@link IdentityAccess}) when the sweep or the partnership acts
 * on people and machines alike: the registry's step, the evidence and the process of its kind. Defined once per kind
 * by its access service; callers look it up by kind through {@link IdentityLifecycles} instead of asking the kind.
 */
public interface IdentityLifecycle {

    IdentityKind kind();

    /** The process each identity of the kind runs, its business key the identity's id. */
    String processDefinitionKey();

    /**
     * Ends the identity's access because its end date passed: Keycloak's side through its {@link IdentityAccess}, the
     * registry's step and the audit entry of its kind. Safe to repeat.
     */
    void expire(String identityId);

    /**
     * Whether the identity's process is told (IdentityAccessEnds, revoked already) once the expiry sweep has ended its
     * access; not when the process's own end-date timer, due at the same time, ends it.
     */
    boolean processFollowsEndDateSweep();

    /**
     * After the partnership's resumption took the identity's registry step and Keycloak's: whatever else of its kind
     * starts again from {@code at}.
     */
    void resumed(String identityId, Instant at);

    /**
     * Who answers for the identity, such as a drift finding on it: its own named owner, or the people who answer for
     * its partnership ({@code partnershipOwners}: sponsor, business and technical owner), by its kind. Blank names and
     * repeats are the caller's to drop.
     */
    List<String> answerableFor(PartnerIdentity identity, List<String> partnershipOwners);
}
