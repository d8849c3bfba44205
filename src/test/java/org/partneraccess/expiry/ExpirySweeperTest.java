package org.partneraccess.expiry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.partneraccess.LifecycleState;
import org.partneraccess.ProcessIds;
import org.partneraccess.human.HumanAccessService;
import org.partneraccess.inventory.AccessEndTrigger;
import org.partneraccess.inventory.IdentityKind;
import org.partneraccess.inventory.IdentityProcesses;
import org.partneraccess.inventory.IdentityLifecycles;
import org.partneraccess.machine.MachineAccessService;
import org.partneraccess.partnership.LifecycleTriggers;
import org.partneraccess.revocation.PartnershipAccessService;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * Whom the sweep hands over for a missed recertification, on the registry's schema: people whose review fell due more
 * than the deadline ago and were not recertified since; not a person recertified in time, a suspended or revoked
 * one, nor a partnership's contact (reviewed with the partnership, no review of their own). And which partnerships it
 * suspends: those holding access whose review fell due more than the deadline ago; and whose process it tells again:
 * those suspended for a missed review whose process does not wait for the resumption. And which machines it hands over
 * as unused: those holding access that nothing counted as used since before their owner's review ran out.
 */
class ExpirySweeperTest {

    private static final Duration DEADLINE = Duration.ofDays(14);
    /** Unused for so long, the owner's review included, that the sweep revokes. */
    private static final Duration UNUSED = Duration.ofDays(38);

    private final MachineAccessService machines = mock(MachineAccessService.class);
    private final HumanAccessService humans = mock(HumanAccessService.class);
    private final PartnershipAccessService partnerships = mock(PartnershipAccessService.class);
    private final LifecycleTriggers triggers = mock(LifecycleTriggers.class);
    private JdbcDataSource database;
    private JdbcTemplate jdbc;
    private ExpirySweeper sweeper;

    @BeforeEach
    void registry() {
        database = new JdbcDataSource();
        database.setURL("jdbc:h2:mem:sweep-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(database).locations("classpath:db/migration")
                .table("partner_access_schema_history").load().migrate();
        jdbc = new JdbcTemplate(database);
        jdbc.update("insert into partnership (partnership_key, legal_name, sponsor, business_owner, technical_owner,"
                + " purpose, data_classes, environments, client_scopes, end_date, state, requested_by, created_at,"
                + " updated_at, version) values ('acme', 'Acme', 'sam.sponsor', 'bo', 'to', 'purpose', 'internal',"
                + " 'test', 'orders.read', ?, 'ACTIVE', 'rita.requester', ?, ?, 0)",
                java.time.LocalDate.now().plusYears(1), now(), now());
        when(humans.kind()).thenReturn(IdentityKind.HUMAN);
        when(machines.kind()).thenReturn(IdentityKind.MACHINE);
        when(humans.revokeUnrecertified(anyString(), any())).thenReturn(true);
        when(partnerships.suspendUnrecertified(anyString(), any())).thenReturn(true);
        when(machines.unusedReviewMissedBefore(any())).thenAnswer(call -> call.<Instant>getArgument(0).minus(UNUSED));
        when(machines.revokeUnused(anyString(), any())).thenReturn(true);
        sweeper = sweeper(1000);
    }

    private ExpirySweeper sweeper(int batchSize) {
        return new ExpirySweeper(machines, humans, new IdentityLifecycles(List.of(humans, machines)), partnerships,
                triggers, jdbc,
                new DataSourceTransactionManager(database),
                new ExpiryProperties(Duration.ofSeconds(1), 2, batchSize, Duration.ofMinutes(5)), DEADLINE);
    }

    @AfterEach
    void stop() {
        sweeper.stop();
    }

    @Test
    void onlyPeopleWhoseReviewIsOverdueByMoreThanTheDeadlineAndNotRecertifiedSinceAreRevoked() {
        Instant longAgo = Instant.now().minus(DEADLINE).minusSeconds(60);
        String missed = person("missed", LifecycleState.ACTIVE, longAgo, true);
        String underReview = person("under-review", LifecycleState.UNDER_REVIEW, longAgo, true);
        String recertified = person("recertified", LifecycleState.ACTIVE, Instant.now().plus(Duration.ofDays(90)), true);
        String withinDeadline = person("within-deadline", LifecycleState.UNDER_REVIEW,
                Instant.now().minus(DEADLINE).plusSeconds(60), true);
        String suspended = person("suspended", LifecycleState.SUSPENDED, longAgo, true);
        String revoked = person("revoked", LifecycleState.REVOKED, longAgo, true);
        String contact = person("contact", LifecycleState.ACTIVE, longAgo, false);
        String neverReviewed = person("no-review-date", LifecycleState.ACTIVE, null, true);

        Instant before = Instant.now();
        assertThat(sweeper.sweep()).isEqualTo(2);

        ArgumentCaptor<Instant> dueBy = ArgumentCaptor.forClass(Instant.class);
        verify(humans).revokeUnrecertified(eq(missed), dueBy.capture());
        verify(humans).revokeUnrecertified(eq(underReview), any());
        assertThat(dueBy.getValue()).isBetween(before.minus(DEADLINE), Instant.now().minus(DEADLINE));
        for (String left : new String[] {recertified, withinDeadline, suspended, revoked, contact, neverReviewed}) {
            verify(humans, never()).revokeUnrecertified(eq(left), any());
        }
        verify(humans, never()).expire(anyString());
        verify(machines, never()).expire(anyString());
    }

    @Test
    void aPersonRecertifiedBetweenTheQueryAndTheRevocationIsNotCounted() {
        person("recertified-meanwhile", LifecycleState.UNDER_REVIEW, Instant.now().minus(DEADLINE).minusSeconds(1), true);
        when(humans.revokeUnrecertified(anyString(), any())).thenReturn(false);

        assertThat(sweeper.sweep()).isZero();
        assertThat(jdbc.queryForObject("select revoked from expiry_sweep where name = ?", Integer.class,
                ExpirySweeper.SWEEP)).isZero();
    }

    @Test
    void anEndDateComesFirst() {
        String ended = person("ended", LifecycleState.ACTIVE, Instant.now().minus(DEADLINE).minusSeconds(60), true);
        jdbc.update("update partner_identity set end_date = ? where identity_id = ?",
                Instant.now().minusSeconds(1).atOffset(ZoneOffset.UTC), ended);
        // the end date's revocation ends the row; the review's query then no longer finds it
        org.mockito.Mockito.doAnswer(invocation -> jdbc.update("update partner_identity set state = 'REVOKED' where"
                + " identity_id = ?", (Object) invocation.getArgument(0))).when(humans).expire(anyString());

        assertThat(sweeper.sweep()).isEqualTo(1);
        verify(humans).expire(ended);
        verify(humans, never()).revokeUnrecertified(anyString(), any());
    }

    @Test
    void onlyPartnershipsHoldingAccessWhoseReviewIsOverdueByMoreThanTheDeadlineAreSuspended() {
        Instant longAgo = Instant.now().minus(DEADLINE).minusSeconds(60);
        String missed = partnership("missed", LifecycleState.ACTIVE, longAgo);
        String underReview = partnership("under-review", LifecycleState.UNDER_REVIEW, longAgo);
        String recertified = partnership("recertified", LifecycleState.ACTIVE, Instant.now().plus(Duration.ofDays(90)));
        String withinDeadline = partnership("within-deadline", LifecycleState.UNDER_REVIEW,
                Instant.now().minus(DEADLINE).plusSeconds(60));
        String suspended = partnership("suspended", LifecycleState.SUSPENDED, longAgo);
        String revoked = partnership("revoked", LifecycleState.REVOKED, longAgo);
        String requested = partnership("requested", LifecycleState.REQUESTED, longAgo);
        String neverReviewed = partnership("no-review-date", LifecycleState.ACTIVE, null);

        Instant before = Instant.now();
        assertThat(sweeper.sweep()).isEqualTo(2);

        ArgumentCaptor<Instant> dueBy = ArgumentCaptor.forClass(Instant.class);
        verify(partnerships).suspendUnrecertified(eq(missed), dueBy.capture());
        verify(partnerships).suspendUnrecertified(eq(underReview), any());
        assertThat(dueBy.getValue()).isBetween(before.minus(DEADLINE), Instant.now().minus(DEADLINE));
        for (String left : new String[] {recertified, withinDeadline, suspended, revoked, requested, neverReviewed,
                "acme"}) {
            verify(partnerships, never()).suspendUnrecertified(eq(left), any());
        }
        verify(humans, never()).revokeUnrecertified(anyString(), any());
    }

    @Test
    void aPartnershipThatCannotBeSuspendedNowIsLeftForTheNextSweep() {
        String failing = partnership("keycloak-down", LifecycleState.ACTIVE, Instant.now().minus(DEADLINE).minusSeconds(1));
        String recertifiedMeanwhile = partnership("recertified-meanwhile", LifecycleState.UNDER_REVIEW,
                Instant.now().minus(DEADLINE).minusSeconds(1));
        when(partnerships.suspendUnrecertified(eq(failing), any())).thenThrow(new IllegalStateException("503"));
        when(partnerships.suspendUnrecertified(eq(recertifiedMeanwhile), any())).thenReturn(false);

        assertThat(sweeper.sweep()).isZero();
        assertThat(sweeper.sweep()).as("tried again by the next sweep").isZero();
        verify(partnerships, org.mockito.Mockito.times(2)).suspendUnrecertified(eq(failing), any());
    }

    @Test
    void onlyMachinesHoldingAccessWithNothingCountedAsUseSinceTheirReviewRanOutAreRevoked() {
        Instant longAgo = Instant.now().minus(UNUSED).minusSeconds(60);
        Instant lately = Instant.now().minus(Duration.ofDays(1));
        String unused = machine("unused", LifecycleState.ACTIVE, longAgo, null, null);
        String underReview = machine("under-review", LifecycleState.UNDER_REVIEW, longAgo, longAgo, longAgo);
        String usedLately = machine("used-lately", LifecycleState.ACTIVE, longAgo, lately, null);
        String kept = machine("kept-by-its-owner", LifecycleState.ACTIVE, longAgo, null, lately);
        String resumed = machine("resumed-lately", LifecycleState.ACTIVE, lately, null, null);
        String suspended = machine("suspended", LifecycleState.SUSPENDED, longAgo, null, null);
        String revoked = machine("revoked", LifecycleState.REVOKED, longAgo, null, null);
        String notActiveYet = machine("awaiting-approval", LifecycleState.REQUESTED, null, null, null);

        Instant before = Instant.now();
        assertThat(sweeper.sweep()).isEqualTo(2);

        ArgumentCaptor<Instant> countedBefore = ArgumentCaptor.forClass(Instant.class);
        verify(machines).revokeUnused(eq(unused), countedBefore.capture());
        verify(machines).revokeUnused(eq(underReview), any());
        assertThat(countedBefore.getValue()).isBetween(before.minus(UNUSED), Instant.now().minus(UNUSED));
        for (String left : new String[] {usedLately, kept, resumed, suspended, revoked, notActiveYet}) {
            verify(machines, never()).revokeUnused(eq(left), any());
        }
        verify(machines, never()).expire(anyString());
    }

    /**
     * Past their end date, people and machines are expired each by their own kind's lifecycle; a machine's process is
     * told after the batch that its access ended (revoked already), a person's revokes by its own timer. An unused machine's process is
     * told too.
     */
    @Test
    void eachKindIsExpiredByItsOwnLifecycleAndOnlyTheProcessesThatWaitForItAreTold() {
        String person = person("ended-person", LifecycleState.ACTIVE, Instant.now().plus(Duration.ofDays(30)), true);
        String machine = machine("ended-machine", LifecycleState.ACTIVE, Instant.now(), Instant.now(), null);
        jdbc.update("update partner_identity set end_date = ? where identity_id in (?, ?)",
                Instant.now().minusSeconds(1).atOffset(ZoneOffset.UTC), person, machine);
        String unused = machine("unused", LifecycleState.ACTIVE, Instant.now().minus(UNUSED).minusSeconds(60), null,
                null);
        when(machines.processFollowsEndDateSweep()).thenReturn(true);

        assertThat(sweeper.sweep()).isEqualTo(3);
        verify(humans).expire(person);
        verify(machines).expire(machine);
        verify(triggers).tellIdentity(machine, IdentityProcesses.Message.accessEnds(AccessEndTrigger.ACCESS_ENDED,
                "access end date reached", "system", true));
        verify(triggers).tellIdentity(unused, IdentityProcesses.Message.accessEnds(AccessEndTrigger.UNUSED,
                "unused, its review missed", "system", true));
        verify(triggers, never()).tellIdentity(eq(person), any());
    }

    @Test
    void aMachineKeycloakSawInUseIsNotCounted() {
        machine("used-says-keycloak", LifecycleState.ACTIVE, Instant.now().minus(UNUSED).minusSeconds(1), null, null);
        when(machines.revokeUnused(anyString(), any())).thenReturn(false);

        assertThat(sweeper.sweep()).isZero();
        assertThat(jdbc.queryForObject("select revoked from expiry_sweep where name = ?", Integer.class,
                ExpirySweeper.SWEEP)).isZero();
    }

    /** A machine of partnership "acme": active since, last used and confirmed by its owner at the given instants. */
    private String machine(String name, LifecycleState state, Instant activeSince, Instant lastUsed, Instant confirmed) {
        String id = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        jdbc.update("insert into partner_identity (identity_id, partnership_key, kind, state, display_name,"
                + " keycloak_name, owner, purpose, client_scopes, end_date, requested_by, last_used_at, created_at,"
                + " updated_at, version) values (?, 'acme', 'MACHINE', ?, ?, ?, 'ian.owner', 'purpose', 'orders.read',"
                + " ?, 'rita.requester', ?, ?, ?, 0)", id, state.name(), name, "pa-m-" + id,
                Instant.now().plus(Duration.ofDays(180)).atOffset(ZoneOffset.UTC), utc(lastUsed), now(), now());
        jdbc.update("insert into machine_profile (identity_id, machine_kind, auth_method, data_classes,"
                + " token_lifespan_seconds, rotation_days, active_since, use_confirmed_at, version) values (?, 'WORKLOAD',"
                + " 'SIGNED_JWT', 'internal', 60, 30, ?, ?, 0)", id, utc(activeSince), utc(confirmed));
        return id;
    }

    private static Object utc(Instant at) {
        return at == null ? null : at.atOffset(ZoneOffset.UTC);
    }

    /**
     * A partnership suspended for a missed review while its instance was suspended in the engine runs again in its
     * active period: the sweep hands it over to be told. Not one whose process waits for the resumption already, one
     * suspended for another reason (a security officer's, through its process), nor one holding access.
     */
    @Test
    void theProcessOfAPartnershipSuspendedForAMissedReviewThatDoesNotWaitForTheResumptionIsToldAgain() {
        String untold = suspended("untold", PartnershipAccessService.RECERTIFICATION_MISSED);
        String waiting = suspended("waiting", PartnershipAccessService.RECERTIFICATION_MISSED);
        String byOfficer = suspended("by-officer", "contract under dispute");
        String active = partnership("active", LifecycleState.ACTIVE, Instant.now().plus(Duration.ofDays(90)));
        when(triggers.waitingIn(ProcessIds.PARTNERSHIP_PROCESS, ProcessIds.RECEIVE_TASK_AWAIT_RESUMPTION))
                .thenReturn(Set.of(waiting));
        when(partnerships.tellUnrecertifiedSuspension(anyString())).thenReturn(true);

        assertThat(sweeper.sweep()).as("telling suspends nothing").isZero();
        verify(partnerships).tellUnrecertifiedSuspension(untold);
        for (String left : new String[] {waiting, byOfficer, active, "acme"}) {
            verify(partnerships, never()).tellUnrecertifiedSuspension(left);
        }
        verify(partnerships, never()).suspendUnrecertified(anyString(), any());
    }

    /** Page after page of the registry, with one question to the engine per sweep; a failure stops no other. */
    @Test
    void manySuspendedPartnershipsAreReadPageByPageAndTheEngineIsAskedOnce() {
        List<String> keys = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            keys.add(suspended("missed-" + i, PartnershipAccessService.RECERTIFICATION_MISSED));
        }
        when(partnerships.tellUnrecertifiedSuspension(keys.get(0))).thenThrow(new IllegalStateException("busy"));
        sweeper.stop();
        sweeper = sweeper(2);

        sweeper.sweep();
        for (String key : keys) {
            verify(partnerships).tellUnrecertifiedSuspension(key);
        }
        verify(triggers).waitingIn(ProcessIds.PARTNERSHIP_PROCESS, ProcessIds.RECEIVE_TASK_AWAIT_RESUMPTION);
        sweeper.sweep();
        verify(partnerships, times(2)).tellUnrecertifiedSuspension(keys.get(0));
    }

    @Test
    void withoutAPartnershipSuspendedForAMissedReviewTheEngineIsNotAsked() {
        suspended("by-officer", "contract under dispute");

        sweeper.sweep();
        verify(triggers, never()).waitingIn(anyString(), anyString());
        verify(partnerships, never()).tellUnrecertifiedSuspension(anyString());
    }

    private String suspended(String name, String reason) {
        String key = partnership(name, LifecycleState.SUSPENDED, Instant.now().minus(DEADLINE).minusSeconds(60));
        jdbc.update("update partnership set state_reason = ? where partnership_key = ?", reason, key);
        return key;
    }

    /** A partnership holding no identity, in the given state with the given review date. */
    private String partnership(String name, LifecycleState state, Instant nextReview) {
        String key = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        jdbc.update("insert into partnership (partnership_key, legal_name, sponsor, business_owner, technical_owner,"
                + " purpose, data_classes, environments, client_scopes, end_date, state, requested_by, next_review_at,"
                + " created_at, updated_at, version) values (?, 'Acme', 'sam.sponsor', 'bo', 'to', 'purpose', 'internal',"
                + " 'test', 'orders.read', ?, ?, 'rita.requester', ?, ?, ?, 0)", key,
                java.time.LocalDate.now().plusYears(1), state.name(),
                nextReview == null ? null : nextReview.atOffset(ZoneOffset.UTC), now(), now());
        return key;
    }

    /** A person of partnership "acme"; with a policy decision of their own unless they are its contact. */
    private String person(String name, LifecycleState state, Instant nextReview, boolean ownPolicyDecision) {
        String id = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        jdbc.update("insert into partner_identity (identity_id, partnership_key, kind, state, display_name,"
                + " keycloak_name, owner, purpose, client_scopes, end_date, requested_by, next_review_at, created_at,"
                + " updated_at, version) values (?, 'acme', 'HUMAN', ?, ?, ?, 'sam.sponsor', 'purpose', 'orders.read',"
                + " ?, 'rita.requester', ?, ?, ?, 0)", id, state.name(), name, id + "@partner.example.org",
                Instant.now().plus(Duration.ofDays(180)).atOffset(ZoneOffset.UTC),
                nextReview == null ? null : nextReview.atOffset(ZoneOffset.UTC), now(), now());
        if (ownPolicyDecision) {
            jdbc.update("insert into decision (subject, step, decided_by, outcome, decided_at) values (?, ?, 'policy',"
                    + " '{\"reviewCadenceDays\":90}', ?)", id, HumanAccessService.POLICY_DECIDED, now());
        }
        return id;
    }

    private static Object now() {
        return Instant.now().atOffset(ZoneOffset.UTC);
    }
}
