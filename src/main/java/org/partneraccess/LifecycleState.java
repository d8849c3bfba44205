package org.partneraccess;

import java.util.EnumSet;
import java.util.Set;

/** The states of a partnership and of each of its identities, in lifecycle order. */
public enum LifecycleState {
    REQUESTED, APPROVED, ACTIVE, UNDER_REVIEW, SUSPENDED, REVOKED, REJECTED;

    /** Ended for good: a revoked or rejected record never holds access again (a new request starts a new one). */
    public boolean isFinal() {
        return this == REVOKED || this == REJECTED;
    }

    /** The one rule for every registry row: nothing leaves a final state. */
    public boolean mayMoveTo(LifecycleState next) {
        return !isFinal() || next == this;
    }

    /**
     * What a rejection may end: a request not yet holding access (or rejected already, for a repeated step). Access
     * that is held ends by revocation, which also reaches Keycloak.
     */
    public static Set<LifecycleState> rejectable() {
        return EnumSet.of(REQUESTED, APPROVED, REJECTED);
    }

    /** Holding or awaiting access: everything a revocation has to reach. */
    public static Set<LifecycleState> notEnded() {
        return EnumSet.of(REQUESTED, APPROVED, ACTIVE, UNDER_REVIEW, SUSPENDED);
    }
}
