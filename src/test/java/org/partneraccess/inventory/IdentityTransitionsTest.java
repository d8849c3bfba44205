package org.partneraccess.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.partneraccess.LifecycleState;

/** The identity transition table, each pair of states checked: exactly the listed moves are allowed. */
class IdentityTransitionsTest {

    private static final LifecycleState REQUESTED = LifecycleState.REQUESTED;
    private static final LifecycleState APPROVED = LifecycleState.APPROVED;
    private static final LifecycleState ACTIVE = LifecycleState.ACTIVE;
    private static final LifecycleState UNDER_REVIEW = LifecycleState.UNDER_REVIEW;
    private static final LifecycleState SUSPENDED = LifecycleState.SUSPENDED;
    private static final LifecycleState REVOKED = LifecycleState.REVOKED;
    private static final LifecycleState REJECTED = LifecycleState.REJECTED;

    /** Written out by hand, not derived from the table: target state, then the states it may be reached from. */
    private static final Map<LifecycleState, Set<LifecycleState>> EXPECTED = Map.of(
            REQUESTED, EnumSet.noneOf(LifecycleState.class),
            APPROVED, EnumSet.of(REQUESTED, APPROVED),
            ACTIVE, EnumSet.of(APPROVED, ACTIVE, UNDER_REVIEW, SUSPENDED),
            UNDER_REVIEW, EnumSet.of(ACTIVE, UNDER_REVIEW),
            SUSPENDED, EnumSet.of(ACTIVE, UNDER_REVIEW, SUSPENDED),
            REVOKED, EnumSet.of(REQUESTED, APPROVED, ACTIVE, UNDER_REVIEW, SUSPENDED),
            REJECTED, EnumSet.of(REQUESTED, APPROVED, REJECTED));

    @ParameterizedTest(name = "from {0}")
    @EnumSource(LifecycleState.class)
    void everyTransitionOutsideTheTableIsRefused(LifecycleState from) {
        for (LifecycleState to : LifecycleState.values()) {
            assertThat(IdentityTransitions.allowed(from, to)).as(from + " -> " + to)
                    .isEqualTo(EXPECTED.get(to).contains(from));
        }
    }

    @Test
    void nothingLeavesAFinalStateAndNothingReachesAHeldStateWithoutApproval() {
        for (LifecycleState to : LifecycleState.values()) {
            assertThat(IdentityTransitions.allowed(REVOKED, to)).as("REVOKED -> " + to).isFalse();
            if (to != REJECTED) {
                assertThat(IdentityTransitions.allowed(REJECTED, to)).as("REJECTED -> " + to).isFalse();
            }
        }
        for (LifecycleState held : EnumSet.of(ACTIVE, UNDER_REVIEW, SUSPENDED)) {
            assertThat(IdentityTransitions.allowed(REQUESTED, held)).as("REQUESTED -> " + held).isFalse();
        }
        assertThat(IdentityTransitions.allowed(SUSPENDED, UNDER_REVIEW)).as("a suspension is not a review").isFalse();
        assertThat(IdentityTransitions.allowed(ACTIVE, REJECTED)).as("held access ends by revocation").isFalse();
    }

    @Test
    void theTableIsReadOnly() {
        Set<LifecycleState> from = IdentityTransitions.allowedFrom(REVOKED);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> from.add(REVOKED))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(IdentityTransitions.allowedFrom(REVOKED)).isEqualTo(LifecycleState.notEnded());
    }
}
