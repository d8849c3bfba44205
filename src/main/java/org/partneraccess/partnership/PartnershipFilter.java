package org.partneraccess.partnership;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Set;

import org.partneraccess.LifecycleState;

/**
 * Which partnerships a listing holds; every part is optional.
 *
 * @param states         any of these states (none: every state)
 * @param expiringBefore end date before this day
 * @param reviewBefore   next recertification before this instant
 */
public record PartnershipFilter(Set<LifecycleState> states, String sponsor, LocalDate expiringBefore,
                                Instant reviewBefore) {

    public PartnershipFilter {
        states = states == null ? Set.of() : Set.copyOf(states);
    }
}
