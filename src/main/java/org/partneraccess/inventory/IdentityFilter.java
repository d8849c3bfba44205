package org.partneraccess.inventory;

import java.time.Instant;
import java.util.Set;

import org.partneraccess.LifecycleState;

/**
 * Which identities an inventory listing holds; every part is optional.
 *
 * @param states         any of these states (none: every state)
 * @param expiringBefore end date before this instant
 * @param reviewBefore   next recertification before this instant (overdue when it is now)
 */
public record IdentityFilter(Set<LifecycleState> states, IdentityKind kind, String partnership, String owner,
                             Instant expiringBefore, Instant reviewBefore) {

    public IdentityFilter {
        states = states == null ? Set.of() : Set.copyOf(states);
    }

    public static IdentityFilter all() {
        return new IdentityFilter(null, null, null, null, null, null);
    }
}
