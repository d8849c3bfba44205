package org.partneraccess.human;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.partneraccess.LifecycleState;
import org.partneraccess.audit.AuditLog;
import org.partneraccess.audit.IdentityAction;
import org.partneraccess.decision.Decisions;
import org.partneraccess.inventory.IdentityKind;
import org.partneraccess.inventory.IdentityRegistry;
import org.partneraccess.inventory.IdentityStates;
import org.partneraccess.inventory.PartnerIdentity;
import org.partneraccess.keycloak.PartnerUsers;

/**
 * The registry's side of a missed recertification: the sweep's revocation acts only on a person whose review is still
 * overdue when it runs, through the one revocation path, as the system, with the process's reason; a resumption
 * restarts the review interval as the process does.
 */
class RecertificationDeadlineTest {

    private static final String ID = "5f1c0e1e-person";
    private static final String KEYCLOAK_ID = "kc-user-1";

    private final IdentityRegistry identities = mock(IdentityRegistry.class);
    private final PartnerUsers partnerUsers = mock(PartnerUsers.class);
    private final AuditLog audit = mock(AuditLog.class);
    private final Decisions decisions = mock(Decisions.class);
    private final IdentityStates states = mock(IdentityStates.class);
    private final HumanAccessService humans = new HumanAccessService(identities, null, null, partnerUsers, null, null, audit,
            null, decisions, null, null, states, new HumanIdentityAccess(partnerUsers));
    private final Instant dueBy = Instant.now().minus(Duration.ofDays(14));
    private PartnerIdentity person;

    @BeforeEach
    void activePerson() {
        person = new PartnerIdentity(ID, "acme", IdentityKind.HUMAN, "Ada Partner", "ada@partner.example.org",
                "ada@partner.example.org", "sam.sponsor", "Plans shipments", null, Set.of("orders.read"),
                Instant.now().plus(Duration.ofDays(180)), "rita.requester");
        person.provisioned(KEYCLOAK_ID);
        when(identities.find(ID)).thenReturn(Optional.of(person));
        // the registry's conditional step, on the one row
        when(states.revoke(eq(ID), anyString(), any(Instant.class))).thenAnswer(invocation -> {
            if (!LifecycleState.notEnded().contains(person.getState())) {
                return IdentityStates.Step.ALREADY_THERE;
            }
            person.revoke(invocation.getArgument(1), invocation.getArgument(2));
            return IdentityStates.Step.MOVED;
        });
    }

    @Test
    void aPersonRecertifiedInTimeIsLeftAlone() {
        // the sponsor kept the person: the next review is an interval away
        person.setNextReviewAt(Instant.now().plus(Duration.ofDays(90)));

        assertThat(humans.revokeUnrecertified(ID, dueBy)).isFalse();
        assertThat(person.getState()).isEqualTo(LifecycleState.ACTIVE);
        verifyNoInteractions(partnerUsers, audit);
    }

    @Test
    void aReviewDueLessThanTheDeadlineAgoIsLeftAlone() {
        person.moveTo(LifecycleState.UNDER_REVIEW, "periodic recertification");
        person.setNextReviewAt(dueBy.plusSeconds(1));

        assertThat(humans.revokeUnrecertified(ID, dueBy)).isFalse();
        assertThat(person.getState()).isEqualTo(LifecycleState.UNDER_REVIEW);
        verifyNoInteractions(partnerUsers, audit);
    }

    @Test
    void aReviewMissedByMoreThanTheDeadlineRevokesAsTheSystemWithTheProcesssReason() {
        person.moveTo(LifecycleState.UNDER_REVIEW, "periodic recertification");
        person.setNextReviewAt(dueBy.minusSeconds(1));

        assertThat(humans.revokeUnrecertified(ID, dueBy)).isTrue();
        assertThat(person.getState()).isEqualTo(LifecycleState.REVOKED);
        assertThat(person.getStateReason()).isEqualTo("not recertified by the deadline")
                .isEqualTo(HumanAccessService.RECERTIFICATION_MISSED);
        verify(partnerUsers).disableUser(KEYCLOAK_ID, ID);
        verify(partnerUsers).logoutUser(KEYCLOAK_ID);
        verify(partnerUsers).revokePartnerRoles(KEYCLOAK_ID);
        verify(audit).record("system", IdentityAction.IDENTITY_REVOKED, "acme", ID, "not recertified by the deadline");
    }

    @Test
    void aSuspendedOrEndedPersonIsLeftToItsOwnPath() {
        person.setNextReviewAt(dueBy.minus(Duration.ofDays(30)));
        person.moveTo(LifecycleState.SUSPENDED, "audit finding");
        assertThat(humans.revokeUnrecertified(ID, dueBy)).isFalse();

        person.revoke("contract ended early", Instant.now());
        assertThat(humans.revokeUnrecertified(ID, dueBy)).isFalse();
        assertThat(person.getStateReason()).isEqualTo("contract ended early");
        verifyNoInteractions(partnerUsers, audit);
    }

    @Test
    void aResumptionRestartsTheReviewIntervalFromThePolicysCadence() {
        Instant resumed = Instant.now();
        person.setNextReviewAt(dueBy.minus(Duration.ofDays(30)));
        when(decisions.nextReview(ID, HumanAccessService.POLICY_DECIDED, resumed))
                .thenReturn(Optional.of(resumed.plus(Duration.ofDays(90))));

        humans.resumed(ID, resumed);
        assertThat(person.getNextReviewAt()).isEqualTo(resumed.plus(Duration.ofDays(90)));
    }

    @Test
    void aPartnershipsContactKeepsThePartnershipsReviewDate() {
        Instant partnershipsReview = Instant.now().plus(Duration.ofDays(60));
        person.setNextReviewAt(partnershipsReview);
        when(decisions.nextReview(ID, HumanAccessService.POLICY_DECIDED, dueBy)).thenReturn(Optional.empty());

        humans.resumed(ID, dueBy);
        assertThat(person.getNextReviewAt()).isEqualTo(partnershipsReview);
    }
}
