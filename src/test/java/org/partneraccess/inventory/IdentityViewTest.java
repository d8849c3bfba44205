package org.partneraccess.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.partneraccess.LifecycleState;
import org.partneraccess.RegistryRecord;

/** What the API, the dashboard and the CSV export show of a stored identity row. */
class IdentityViewTest {

    private static final Instant USED = Instant.parse("2026-12-01T09:00:00Z");

    @Test
    void theEndDateIsTheLastDayRequestedWhileAccessStopsAtTheStoredInstant() {
        LocalDate requested = LocalDate.of(2027, 3, 15);
        Instant written = RegistryRecord.endOfDay(requested);
        Instant readBack = Instant.parse("2027-03-16T00:00:00Z");

        assertThat(RegistryRecord.lastDay(written)).isEqualTo(requested);
        IdentityView view = row(IdentityKind.HUMAN, LifecycleState.ACTIVE, readBack, USED);
        assertThat(view.endDate()).isEqualTo(requested);
        assertThat(view.accessEndsAt()).isEqualTo(readBack);
        assertThat(view.csvRow()).contains(requested, readBack);
        assertThat(RegistryRecord.lastDay(null)).isNull();
    }

    @Test
    void aProvisionedPersonNeverSeenInThePartnerRealmHasAnInvitationPending() {
        Instant end = Instant.parse("2027-03-16T00:00:00Z");
        for (LifecycleState state : Set.of(LifecycleState.ACTIVE, LifecycleState.UNDER_REVIEW,
                LifecycleState.SUSPENDED)) {
            assertThat(row(IdentityKind.HUMAN, state, end, null).invitationPending()).as(state.name()).isTrue();
            assertThat(row(IdentityKind.HUMAN, state, end, USED).invitationPending()).as(state.name()).isFalse();
        }
        // not invited yet, or ended: nothing pending
        for (LifecycleState state : Set.of(LifecycleState.REQUESTED, LifecycleState.APPROVED, LifecycleState.REVOKED,
                LifecycleState.REJECTED)) {
            assertThat(row(IdentityKind.HUMAN, state, end, null).invitationPending()).as(state.name()).isFalse();
        }
        // a machine gets no invitation
        assertThat(row(IdentityKind.MACHINE, LifecycleState.ACTIVE, end, null).invitationPending()).isFalse();
    }

    private static IdentityView row(IdentityKind kind, LifecycleState state, Instant end, Instant lastUsedAt) {
        return IdentityView.of("id-1", "acme", kind, state, null, "Ada", "ada", "sam.sponsor", "purpose", null,
                Set.of("orders.read"), end, "rita.requester", "sam.sponsor", USED, null, lastUsedAt, null);
    }
}
