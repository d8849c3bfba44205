package org.partneraccess;

import java.util.EnumSet;
import java.util.Set;

/** The states of a partnership and of each of its identities, in lifecycle order. */
public enum LifecycleState {
    REQUESTED, APPROVED, ACTIVE, UNDER_REVIEW, SUSPENDED, REVOKED, REJECTED;

    /** Holding or awaiting access: everything a revocation has to reach. */
    public static Set<LifecycleState> notEnded() {
        return EnumSet.of(REQUESTED, APPROVED, ACTIVE, UNDER_REVIEW, SUSPENDED);
    }
}
