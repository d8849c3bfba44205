package org.partneraccess.inventory;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import org.partneraccess.LifecycleState;

/**
 * The one table of how a partner identity's state may move: for each target state, the states it may be reached from.
 * {@link IdentityStates} applies it as a conditional update, so a step cannot lose to a concurrent writer.
 */
public final class IdentityTransitions {

    private static final Map<LifecycleState, Set<LifecycleState>> FROM = new EnumMap<>(LifecycleState.class);

    static {
        FROM.put(LifecycleState.REQUESTED, EnumSet.noneOf(LifecycleState.class)); // only created so
        FROM.put(LifecycleState.APPROVED, EnumSet.of(LifecycleState.REQUESTED, LifecycleState.APPROVED));
        // provisioned, recertified, resumed; ACTIVE again for a repeated step, which still moves the version
        FROM.put(LifecycleState.ACTIVE, EnumSet.of(LifecycleState.APPROVED, LifecycleState.ACTIVE,
                LifecycleState.UNDER_REVIEW, LifecycleState.SUSPENDED));
        FROM.put(LifecycleState.UNDER_REVIEW, EnumSet.of(LifecycleState.ACTIVE, LifecycleState.UNDER_REVIEW));
        FROM.put(LifecycleState.SUSPENDED, EnumSet.of(LifecycleState.ACTIVE, LifecycleState.UNDER_REVIEW,
                LifecycleState.SUSPENDED));
        FROM.put(LifecycleState.REVOKED, EnumSet.copyOf(LifecycleState.notEnded()));
        // a rejection ends only a request that holds no access yet (see LifecycleState#rejectable)
        FROM.put(LifecycleState.REJECTED, EnumSet.copyOf(LifecycleState.rejectable()));
    }

    private IdentityTransitions() {
    }

    /** The states from which an identity may move to {@code to}. */
    public static Set<LifecycleState> allowedFrom(LifecycleState to) {
        return Collections.unmodifiableSet(FROM.get(to));
    }

    public static boolean allowed(LifecycleState from, LifecycleState to) {
        return FROM.get(to).contains(from);
    }
}
