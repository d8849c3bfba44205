package org.partneraccess.human;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMailUtil;
import jakarta.mail.internet.MimeMessage;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.keycloak.representations.idm.UserRepresentation;
import org.partneraccess.LifecycleState;
import org.partneraccess.ProcessIds;
import org.partneraccess.Variables;
import org.partneraccess.audit.AuditEvent;
import org.partneraccess.audit.AuditLog;
import org.partneraccess.inventory.PartnerIdentity;
import org.partneraccess.inventory.internal.PartnerIdentityRepository;
import org.partneraccess.keycloak.KeycloakAttributes;
import org.partneraccess.keycloak.PartnerUsers;
import org.partneraccess.partnership.PartnershipService;
import org.partneraccess.support.EngineDoors;
import org.partneraccess.support.EngineDoors.Via;
import org.partneraccess.support.IdentitySnapshot;
import org.partneraccess.support.ItFixtures;
import org.partneraccess.support.Mailbox;
import org.partneraccess.support.PartnerAccessTest;
import org.partneraccess.support.PartnerLogin;
import org.partneraccess.support.SponsorApproval;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/** A partner person from request to revocation against the real Keycloak and SMTP server: what the person can do. */
@PartnerAccessTest
class HumanAccessProcessIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LINK = Pattern.compile("(http://\\S+/login-actions/action-token\\S+)");
    private static final String PASSWORD = "Partner-Secret-1";
    /** Where a Camunda administrator moves a timer to keep access alive. */
    private static final String POSTPONED = "2099-01-01T00:00:00.000+0000";

    @Autowired
    TaskService tasks;
    @Autowired
    IdentityService identity;
    @Autowired
    RuntimeService runtime;
    @Autowired
    HistoryService history;
    @Autowired
    ManagementService management;
    @Autowired
    PartnershipService partnerships;
    @Autowired
    PartnerIdentityRepository identities;
    @Autowired
    PartnerUsers partnerUsers;
    @Autowired
    AuditLog audit;
    @Autowired
    ItFixtures fixtures;
    @Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;
    @Value("${partner-access.recertification.deadline}")
    Duration recertificationDeadline;

    private EngineDoors doors;

    @AfterEach
    void clearAuthentication() {
        identity.clearAuthentication();
    }

    @Test
    void personGetsExactlyTheApprovedRolesAttestsBeforeFirstLoginAndLosesAccessAtTheEndDate() throws Exception {
        String key = activePartnership();
        String email = "ada." + key + "@partner.example.org";
        String id = fixtures.requestPerson(key, email, "orders.read");
        assertThat(identities.findById(id).orElseThrow().getState()).isEqualTo(LifecycleState.REQUESTED);
        SponsorApproval.approve(tasks, identity, id);
        fixtures.awaitState(id, LifecycleState.ACTIVE);

        PartnerIdentity person = identities.findById(id).orElseThrow();
        UserRepresentation user = partnerUsers.findUser(email).orElseThrow();
        assertThat(user.getId()).isEqualTo(person.getKeycloakId());
        assertThat(user.isEnabled()).isTrue();
        assertThat(user.getAttributes().get(KeycloakAttributes.IDENTITY)).containsExactly(id);
        assertThat(user.getAttributes().get(KeycloakAttributes.PARTNERSHIP)).containsExactly(key);
        assertThat(user.getRequiredActions()).containsExactly("TERMS_AND_CONDITIONS", "UPDATE_PASSWORD");
        assertThat(partnerUsers.groupsOfUser(user.getId())).containsExactly(PartnerUsers.partnershipGroupName(key));
        assertThat(partnerUsers.partnerRolesOfUser(user.getId())).containsExactly("orders.read");

        // the invitation is Keycloak's own mail: the link leads through the terms, then the password
        await().atMost(Duration.ofSeconds(60)).until(() -> mail(email, null) != null);
        Matcher link = LINK.matcher(GreenMailUtil.getBody(mail(email, null)).replace("=\r\n", "").replace("=3D", "="));
        // it says who invites the person, for whom, why, until when, and what comes next (the partner realm's theme)
        assertThat(mail(email, null).getSubject()).isEqualTo("You are invited to partner access: accept the invitation");
        assertThat(Mailbox.text(mail(email, null))).contains("Hello Ada,")
                .contains("Sam Sponsor (sam.sponsor@example.com) invites you, as a person of Acme Logistics GmbH, to "
                        + "Partner Access partners.")
                .contains("What for: Plans shipments from open orders for the EU warehouses")
                .contains("Your access ends after " + LocalDate.now().plusDays(30))
                .contains("accept the partner terms").contains("Terms and Conditions, Update Password")
                .contains("/login-actions/action-token");
        assertThat(link.find()).as("the invitation carries Keycloak's action link").isTrue();
        PartnerLogin login = new PartnerLogin(fixtures.keycloakUrl());
        assertThat(login.signIn(email, PASSWORD)).as("no password before the invitation").isEqualTo(PartnerLogin.Outcome.REFUSED);
        String pages = login.acceptInvitation(link.group(1), PASSWORD);
        assertThat(pages).contains("name=\"accept\"").contains("name=\"password-new\"");
        UserRepresentation attested = partnerUsers.findUser(email).orElseThrow();
        assertThat(attested.getRequiredActions()).isEmpty();
        assertThat(attested.getAttributes()).containsKey("terms_and_conditions");
        assertThat(new PartnerLogin(fixtures.keycloakUrl()).signIn(email, PASSWORD))
                .isEqualTo(PartnerLogin.Outcome.SIGNED_IN);

        await().atMost(Duration.ofSeconds(60)).until(() -> mail("sam.sponsor@example.com", "Access for Ada") != null);
        assertThat(GreenMailUtil.getBody(mail("sam.sponsor@example.com", "Access for Ada"))).contains("orders.read");

        // the end date arrives
        fire(id, ProcessIds.BOUNDARY_ACCESS_EXPIRED);
        fixtures.awaitState(id, LifecycleState.REVOKED);
        assertThat(identities.findById(id).orElseThrow().getStateReason()).isEqualTo("access end date reached");
        assertThat(partnerUsers.findUser(email).orElseThrow().isEnabled()).isFalse();
        assertThat(partnerUsers.partnerRolesOfUser(user.getId())).isEmpty();
        assertThat(new PartnerLogin(fixtures.keycloakUrl()).signIn(email, PASSWORD))
                .isEqualTo(PartnerLogin.Outcome.REFUSED);
        await().atMost(Duration.ofSeconds(60)).until(() -> mail("sam.sponsor@example.com", "is revoked") != null);
        assertThat(audit.ofIdentity(id)).extracting(AuditEvent::getAction).containsExactly("ACCESS_REQUESTED",
                "POLICY_DECIDED", "ACCESS_APPROVED", "IDENTITY_PROVISIONED", "INVITATION_SENT", "IDENTITY_REVOKED");
        assertThat(audit.firstBrokenEntry()).isNull();
        await().atMost(Duration.ofSeconds(30)).until(() -> processOf(id) == null);
    }

    @Test
    void identityIncidentRevokesThePersonAtOnce() throws Exception {
        String key = activePartnership();
        String email = "bob." + key + "@partner.example.org";
        String id = activePerson(key, email);
        String path = "/api/identities/" + id + "/incidents";
        Map<String, Object> incident = Map.of("reason", "credentials phished", "severity", "HIGH",
                "reporterReference", "SOC-4711");

        assertThat(fixtures.client().post("rita.requester", path, incident).statusCode()).isEqualTo(403);
        assertThat(fixtures.client().post("sofia.security", "/api/identities/no-such-id/incidents", incident).statusCode())
                .isEqualTo(404);
        HttpResponse<String> reported = fixtures.client().post("sofia.security", path, incident);
        assertThat(reported.statusCode()).as(reported.body()).isEqualTo(202);
        fixtures.awaitState(id, LifecycleState.REVOKED);
        assertThat(identities.findById(id).orElseThrow().getStateReason()).isEqualTo("HIGH: credentials phished (SOC-4711)");
        assertThat(partnerUsers.findUser(email).orElseThrow().isEnabled()).isFalse();
        assertThat(audit.ofIdentity(id)).filteredOn(event -> event.getAction().equals("IDENTITY_REVOKED"))
                .extracting(AuditEvent::getActor).containsExactly("sofia.security");
        await().atMost(Duration.ofSeconds(30)).until(() -> processOf(id) == null);
        assertThat(fixtures.client().post("sofia.security", path, incident).statusCode()).as("nothing left to revoke").isEqualTo(409);
    }

    @Test
    void everyPersonFollowsThePartnershipThroughSuspensionResumptionAndTermination() throws Exception {
        String key = activePartnership();
        String email = "cleo." + key + "@partner.example.org";
        String id = activePerson(key, email);

        assertThat(fixtures.client().post("sofia.security", "/api/partnerships/" + key + "/suspension",
                Map.of("reason", "audit finding")).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> waitingAt(id, ProcessIds.RECEIVE_TASK_AWAIT_PARTNERSHIP_RESUMPTION));
        assertThat(identities.findById(id).orElseThrow().getState()).isEqualTo(LifecycleState.SUSPENDED);
        assertThat(partnerUsers.findUser(email).orElseThrow().isEnabled()).isFalse();

        // a long suspension: the review date and its deadline passed meanwhile
        jdbc.update("update partner_identity set next_review_at = ? where identity_id = ?", java.time.Instant.now()
                .minus(recertificationDeadline).minus(Duration.ofDays(30)).atOffset(java.time.ZoneOffset.UTC), id);

        assertThat(fixtures.client().post("sofia.security", "/api/partnerships/" + key + "/resumption",
                Map.of("reason", "finding closed")).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> waitingAt(id, ProcessIds.TIMER_ACCESS_RECERTIFICATION_DUE));
        assertThat(identities.findById(id).orElseThrow().getState()).isEqualTo(LifecycleState.ACTIVE);
        assertThat(partnerUsers.findUser(email).orElseThrow().isEnabled()).isTrue();
        // the process reviews a whole interval after the resumption, and the registry says so: no sweep revokes
        Job review = management.createJobQuery().processInstanceId(processOf(id))
                .activityId(ProcessIds.TIMER_ACCESS_RECERTIFICATION_DUE).singleResult();
        assertThat(identities.findById(id).orElseThrow().getNextReviewAt())
                .isCloseTo(review.getDuedate().toInstant(), within(2, java.time.temporal.ChronoUnit.MINUTES));
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> identities.findById(id).orElseThrow().getState() == LifecycleState.ACTIVE);

        assertThat(fixtures.client().post("sofia.security", "/api/partnerships/" + key + "/termination",
                Map.of("reason", "contract ended early")).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> processOf(id) == null);
        PartnerIdentity revoked = identities.findById(id).orElseThrow();
        assertThat(revoked.getState()).isEqualTo(LifecycleState.REVOKED);
        assertThat(revoked.getStateReason()).isEqualTo("contract ended early");
        assertThat(partnerUsers.findUser(email).orElseThrow().isEnabled()).isFalse();
        assertThat(partnerUsers.partnerRolesOfUser(revoked.getKeycloakId())).isEmpty();
    }

    /**
     * The elevation's grant, run again by a Camunda administrator through either door: {@code /engine-rest} with a
     * token, or Cockpit's session API signed in to the webapp.
     */
    @ParameterizedTest(name = "grant replayed via {0}")
    @EnumSource(Via.class)
    void elevationAddsARoleForItsTimeOnly(Via via) throws Exception {
        String key = activePartnership();
        String email = "dan." + key + "@partner.example.org";
        String id = activePerson(key, email);
        String path = "/api/identities/" + id + "/elevations";

        HttpResponse<String> outside = fixtures.client().post("robert.requester", path,
                Map.of("role", "payments.initiate", "reason", "month-end payment run", "hours", 2));
        assertThat(outside.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(outside.body()).get("errors").has("role")).isTrue();
        assertThat(fixtures.client().post("robert.requester", path,
                Map.of("role", "invoices.read", "reason", "month-end", "hours", 99)).statusCode()).isEqualTo(400);

        HttpResponse<String> asked = fixtures.client().post("robert.requester", path,
                Map.of("role", "invoices.read", "reason", "month-end invoice reconciliation", "hours", 2));
        assertThat(asked.statusCode()).as(asked.body()).isEqualTo(202);
        Task approval = tasks.createTaskQuery().processInstanceBusinessKey(id)
                .taskDefinitionKey(ProcessIds.TASK_APPROVE_ELEVATION).singleResult();
        identity.setAuthentication("sam.sponsor", List.of("sponsors"));
        tasks.complete(approval.getId(), Map.of(Variables.ELEVATION_APPROVED, true));
        identity.clearAuthentication();
        String userId = identities.findById(id).orElseThrow().getKeycloakId();
        await().atMost(Duration.ofSeconds(60)).until(() -> partnerUsers.partnerRolesOfUser(userId).contains("invoices.read"));
        assertThat(partnerUsers.partnerRolesOfUser(userId)).containsExactlyInAnyOrder("orders.read", "invoices.read");

        fire(id, ProcessIds.TIMER_ELEVATION_ENDS);
        await().atMost(Duration.ofSeconds(60)).until(() -> !partnerUsers.partnerRolesOfUser(userId).contains("invoices.read"));
        assertThat(partnerUsers.partnerRolesOfUser(userId)).containsExactly("orders.read");
        // the step's audit entry commits with its job, just after Keycloak has answered
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(audit.ofIdentity(id))
                .extracting(AuditEvent::getAction).contains("ELEVATION_GRANTED", "ELEVATION_ENDED"));

        // a Camunda administrator runs the grant again with another role for 100,000 hours: the grant applies the
        // recorded request only, and only once per approval, so the job fails and Keycloak keeps the person's role
        IdentitySnapshot before = IdentitySnapshot.of(identities, audit, id, id, email);
        HttpResponse<String> replayed = asAdministrator(via, "POST",
                "/process-instance/" + processOf(id) + "/modification", Map.of("skipCustomListeners", true,
                        "instructions", List.of(Map.of("type", "startBeforeActivity",
                                "activityId", ProcessIds.TASK_GRANT_ELEVATION, "variables", Map.of(
                                        HumanAccessVariables.ELEVATION_ROLE, Map.of("value", "shipments.read", "type", "String"),
                                        HumanAccessVariables.ELEVATION_HOURS, Map.of("value", 100_000, "type", "Integer"))))));
        assertThat(replayed.statusCode()).as("the administrator may modify: " + replayed.body()).isIn(200, 204);
        await().atMost(Duration.ofSeconds(60)).until(() -> management.createJobQuery().processInstanceId(processOf(id))
                .activityId(ProcessIds.TASK_GRANT_ELEVATION).withException().count() > 0);
        Job grant = management.createJobQuery().processInstanceId(processOf(id))
                .activityId(ProcessIds.TASK_GRANT_ELEVATION).withException().singleResult();
        assertThat(grant.getExceptionMessage()).contains("Not approved: " + id, "granted already");
        management.setJobRetries(grant.getId(), 0);
        assertThat(partnerUsers.partnerRolesOfUser(userId)).containsExactly("orders.read");
        assertThat(partnerUsers.findUser(email).orElseThrow().isEnabled()).isTrue();
        assertThat(audit.ofIdentity(id)).filteredOn(event -> event.getAction().equals("ELEVATION_GRANTED")).hasSize(1);
        IdentitySnapshot after = IdentitySnapshot.of(identities, audit, id, id, email);
        assertThat(after).as("registry row, audit entries and chain, mails after the replay").isEqualTo(before);
        assertThat(after.auditChainIntact()).isTrue();
    }

    /**
     * A Camunda administrator postpones the person's end-date timer to 2099, through the engine's REST API or Cockpit;
     * the end date passes all the same: the registry's sweep revokes the person, so no access outlives its end because
     * of what was done to the engine.
     */
    @ParameterizedTest
    @EnumSource(Via.class)
    void anEndDateHoldsWhenTheProcessTimerIsPostponed(Via via) throws Exception {
        String key = activePartnership();
        String email = "fay." + via.ordinal() + "." + key + "@partner.example.org";
        String id = activePerson(key, email);
        String end = postpone(via, id, ProcessIds.BOUNDARY_ACCESS_EXPIRED);

        // the end date passes
        jdbc.update("update partner_identity set end_date = ? where identity_id = ?",
                java.time.Instant.now().minusSeconds(1).atOffset(java.time.ZoneOffset.UTC), id);
        fixtures.awaitState(id, LifecycleState.REVOKED);
        PartnerIdentity revoked = identities.findById(id).orElseThrow();
        assertThat(revoked.getStateReason()).isEqualTo("access end date reached");
        assertThat(partnerUsers.findUser(email).orElseThrow().isEnabled()).isFalse();
        assertThat(partnerUsers.partnerRolesOfUser(revoked.getKeycloakId())).isEmpty();
        assertThat(audit.ofIdentity(id)).filteredOn(event -> event.getAction().equals("IDENTITY_REVOKED"))
                .extracting(AuditEvent::getActor).containsExactly("system");
        assertThat(audit.firstBrokenEntry()).isNull();
        assertThat(management.createJobQuery().jobId(end).singleResult().getDuedate())
                .as("the process's own timer is still where the administrator put it").isAfter(new Date());
    }

    /**
     * A Camunda administrator keeps people past a missed recertification, through the engine's REST API or Cockpit:
     * one person's review timer postponed to 2099 before it fires, another's review opened and its deadline postponed,
     * a third's process instance deleted. The review falls due and the deadline passes all the same: the registry's
     * sweep revokes all three with the process's own reason, as the system.
     */
    @ParameterizedTest
    @EnumSource(Via.class)
    void aMissedRecertificationHoldsWhenTheProcessTimersArePostponed(Via via) throws Exception {
        String key = activePartnership();
        String reviewPostponed = activePerson(key, "ivy." + via.ordinal() + "." + key + "@partner.example.org");
        String deadlinePostponed = activePerson(key, "jon." + via.ordinal() + "." + key + "@partner.example.org");
        String processDeleted = activePerson(key, "kim." + via.ordinal() + "." + key + "@partner.example.org");

        String reviewTimer = postpone(via, reviewPostponed, ProcessIds.TIMER_ACCESS_RECERTIFICATION_DUE);
        fire(deadlinePostponed, ProcessIds.TIMER_ACCESS_RECERTIFICATION_DUE);
        await().atMost(Duration.ofSeconds(60)).until(() -> waitingAt(deadlinePostponed, ProcessIds.TASK_RECERTIFY_ACCESS));
        assertThat(identities.findById(deadlinePostponed).orElseThrow().getState()).isEqualTo(LifecycleState.UNDER_REVIEW);
        String deadlineTimer = postpone(via, deadlinePostponed, ProcessIds.BOUNDARY_RECERTIFICATION_OVERDUE);
        HttpResponse<String> deleted = asAdministrator(via, "DELETE", "/process-instance/" + processOf(processDeleted)
                + "?skipCustomListeners=true", null);
        assertThat(deleted.statusCode()).as("the administrator may delete instances (%s): %s", via, deleted.body())
                .isEqualTo(204);
        assertThat(processOf(processDeleted)).isNull();

        // the reviews fall due and their deadline passes without a recertification
        for (String id : List.of(reviewPostponed, deadlinePostponed, processDeleted)) {
            jdbc.update("update partner_identity set next_review_at = ? where identity_id = ?", java.time.Instant.now()
                    .minus(recertificationDeadline).minusSeconds(1).atOffset(java.time.ZoneOffset.UTC), id);
        }
        for (String id : List.of(reviewPostponed, deadlinePostponed, processDeleted)) {
            fixtures.awaitState(id, LifecycleState.REVOKED);
            PartnerIdentity revoked = identities.findById(id).orElseThrow();
            assertThat(revoked.getStateReason()).isEqualTo("not recertified by the deadline");
            UserRepresentation user = partnerUsers.findUser(revoked.getEmail()).orElseThrow();
            assertThat(user.isEnabled()).as("Keycloak user of %s", revoked.getEmail()).isFalse();
            assertThat(partnerUsers.partnerRolesOfUser(user.getId())).isEmpty();
            assertThat(audit.ofIdentity(id)).filteredOn(event -> event.getAction().equals("IDENTITY_REVOKED"))
                    .extracting(AuditEvent::getActor, AuditEvent::getDetail)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("system", "not recertified by the deadline"));
        }
        assertThat(audit.firstBrokenEntry()).isNull();
        // the sweep did it, not the processes: their timers are where the administrator put them
        assertThat(management.createJobQuery().jobId(reviewTimer).singleResult().getDuedate()).isAfter(new Date());
        assertThat(management.createJobQuery().jobId(deadlineTimer).singleResult().getDuedate()).isAfter(new Date());
    }

    /**
     * An administrator writes the review interval the process's timer reads: a century. The process waits that long,
     * but the registry's review date, which the sweep reads, follows the policy's cadence in the decision record.
     */
    @ParameterizedTest
    @EnumSource(Via.class)
    void aReviewIntervalWrittenByAnAdministratorDoesNotMoveTheReviewDate(Via via) throws Exception {
        String key = activePartnership();
        String id = activePerson(key, "ria." + key + "@partner.example.org");
        HttpResponse<String> written = asAdministrator(via, "PUT", "/process-instance/" + processOf(id) + "/variables/"
                + Variables.REVIEW_INTERVAL, Map.of("value", "P36500D", "type", "String"));
        assertThat(written.statusCode()).as("the administrator may write variables (%s): %s", via, written.body())
                .isEqualTo(204);
        fire(id, ProcessIds.TIMER_ACCESS_RECERTIFICATION_DUE);
        await().atMost(Duration.ofSeconds(60)).until(() -> waitingAt(id, ProcessIds.TASK_RECERTIFY_ACCESS));
        java.time.Instant dueBefore = identities.findById(id).orElseThrow().getNextReviewAt();
        org.partneraccess.machine.MachineFixtures.complete(tasks, identity, id, ProcessIds.TASK_RECERTIFY_ACCESS,
                "sam.sponsor", "sponsors", Map.of(Variables.REVIEW_DECISION, "KEEP"));

        await().atMost(Duration.ofSeconds(30)).until(() -> !identities.findById(id).orElseThrow().getNextReviewAt()
                .equals(dueBefore));
        assertThat(identities.findById(id).orElseThrow().getNextReviewAt()).as("the next review, by the policy's cadence")
                .isAfter(java.time.Instant.now().plus(Duration.ofDays(1)))
                .isBefore(java.time.Instant.now().plus(Duration.ofDays(400)));
        Job timer = management.createJobQuery().processInstanceId(processOf(id))
                .activityId(ProcessIds.TIMER_ACCESS_RECERTIFICATION_DUE).singleResult();
        assertThat(timer.getDuedate()).as("the process's own timer, which the sweep does not need")
                .isAfter(Date.from(java.time.Instant.now().plus(Duration.ofDays(36000))));
    }

    /** The honest path: a person recertified before the deadline keeps the access; the sweep reads the new date. */
    @Test
    void aPersonRecertifiedInTimeIsNotSwept() throws Exception {
        String key = activePartnership();
        String email = "lea." + key + "@partner.example.org";
        String id = activePerson(key, email);
        fire(id, ProcessIds.TIMER_ACCESS_RECERTIFICATION_DUE);
        await().atMost(Duration.ofSeconds(60)).until(() -> waitingAt(id, ProcessIds.TASK_RECERTIFY_ACCESS));

        // the review fell due almost a whole deadline ago: 15 seconds are left
        java.time.Instant cutOff = java.time.Instant.now().plusSeconds(15);
        jdbc.update("update partner_identity set next_review_at = ? where identity_id = ?",
                cutOff.minus(recertificationDeadline).atOffset(java.time.ZoneOffset.UTC), id);
        org.partneraccess.machine.MachineFixtures.complete(tasks, identity, id, ProcessIds.TASK_RECERTIFY_ACCESS,
                "sam.sponsor", "sponsors", Map.of(Variables.REVIEW_DECISION, "KEEP"));
        assertThat(java.time.Instant.now()).as("recertified before the deadline").isBefore(cutOff);
        // recorded by the save point's job after the sponsor's decision
        await().atMost(Duration.ofSeconds(10)).until(() -> identities.findById(id).orElseThrow().getNextReviewAt()
                .isAfter(java.time.Instant.now().plus(Duration.ofDays(7))));
        assertThat(identities.findById(id).orElseThrow().getState()).isEqualTo(LifecycleState.ACTIVE);

        // the old deadline passes, sweep after sweep
        await().atMost(Duration.ofSeconds(30)).until(() -> java.time.Instant.now().isAfter(cutOff.plusSeconds(3)));
        assertThat(identities.findById(id).orElseThrow().getState()).isEqualTo(LifecycleState.ACTIVE);
        UserRepresentation user = partnerUsers.findUser(email).orElseThrow();
        assertThat(user.isEnabled()).isTrue();
        assertThat(partnerUsers.partnerRolesOfUser(user.getId())).containsExactly("orders.read");
        assertThat(audit.ofIdentity(id)).extracting(AuditEvent::getAction).contains("IDENTITY_RECERTIFIED")
                .doesNotContain("IDENTITY_REVOKED");
        assertThat(waitingAt(id, ProcessIds.TIMER_ACCESS_RECERTIFICATION_DUE)).as("the next review period").isTrue();
    }

    @Test
    void badRequestsNameTheFieldAndStartNothing() throws Exception {
        String key = activePartnership();
        String taken = "eve." + key + "@partner.example.org";
        activePerson(key, taken);
        String pending = fixtures.partnership("pen").requested();
        Map<String, Map<String, Object>> corpus = new LinkedHashMap<>();
        corpus.put("firstName", with(key, "firstName", ""));
        corpus.put("lastName", with(key, "lastName", "x".repeat(101)));
        corpus.put("email", with(key, "email", "not-an-email"));
        corpus.put("roles", with(key, "roles", List.of("payments.initiate")));
        corpus.put("roles ", with(key, "roles", List.of("DROP TABLE partner_identity;--")));
        corpus.put("roles  ", with(key, "roles", List.of()));
        corpus.put("purpose", with(key, "purpose", "because"));
        corpus.put("endDate", with(key, "endDate", LocalDate.now().minusDays(1).toString()));
        corpus.put("endDate ", with(key, "endDate", LocalDate.now().plusYears(2).toString()));
        corpus.put("email ", with(key, "email", taken));
        corpus.put("partnershipKey", with(pending, "email", "frank@partner.example.org"));
        long processes = history.createHistoricProcessInstanceQuery().processDefinitionKey(ProcessIds.HUMAN_ACCESS_PROCESS).count();
        long rows = identities.count();

        for (Map.Entry<String, Map<String, Object>> bad : corpus.entrySet()) {
            String target = (String) bad.getValue().remove("partnership");
            HttpResponse<String> response = fixtures.client().post("rita.requester", "/api/partnerships/" + target + "/humans",
                    bad.getValue());
            assertThat(response.statusCode()).as(bad.getKey() + ": " + response.body()).isEqualTo(400);
            JsonNode errors = JSON.readTree(response.body()).get("errors");
            assertThat(errors.has(bad.getKey().trim())).as(bad.getKey() + ": " + response.body()).isTrue();
            assertThat(response.body()).doesNotContain("Exception", "org.partneraccess");
        }
        assertThat(fixtures.client().post("rita.requester", "/api/partnerships/no-such-partner/humans", person(key, "g@x.org"))
                .statusCode()).isEqualTo(404);
        assertThat(fixtures.client().post("alice.auditor", "/api/partnerships/" + key + "/humans", person(key, "h@x.org"))
                .statusCode()).isEqualTo(403);
        assertThat(history.createHistoricProcessInstanceQuery().processDefinitionKey(ProcessIds.HUMAN_ACCESS_PROCESS).count())
                .isEqualTo(processes);
        assertThat(identities.count()).isEqualTo(rows);
        assertThat(partnerUsers.findUser("frank@partner.example.org")).isEmpty();
    }

    // ------------------------------------------------------------------ helpers

    /** Active, with the two read scopes a person here may be given. */
    private String activePartnership() {
        return fixtures.partnership("hum").with("clientScopes", List.of("orders.read", "invoices.read")).active();
    }

    /** Active, and the registry shows the review date the recertification timer keeps. */
    private String activePerson(String key, String email) {
        String id = fixtures.activePerson(key, email);
        await().atMost(Duration.ofSeconds(30)).until(() -> waitingAt(id, ProcessIds.TIMER_ACCESS_RECERTIFICATION_DUE));
        Job review = management.createJobQuery().processInstanceId(processOf(id))
                .activityId(ProcessIds.TIMER_ACCESS_RECERTIFICATION_DUE).singleResult();
        assertThat(identities.findById(id).orElseThrow().getNextReviewAt())
                .isCloseTo(review.getDuedate().toInstant(), within(2, java.time.temporal.ChronoUnit.MINUTES));
        return id;
    }

    /** A request naming its partnership in the body, as the validation corpus sends it. */
    private static Map<String, Object> person(String key, String email) {
        Map<String, Object> body = ItFixtures.personRequest(email);
        body.put("partnership", key);
        return body;
    }

    private static Map<String, Object> with(String key, String field, Object value) {
        Map<String, Object> body = person(key, "p" + UUID.randomUUID().toString().substring(0, 6) + "@partner.example.org");
        body.put(field, value);
        return body;
    }

    private HttpResponse<String> asAdministrator(Via via, String method, String path, Object body) {
        if (doors == null) {
            doors = fixtures.doors();
        }
        return doors.asAdministrator(via, method, path, body);
    }

    /** A Camunda administrator moves a timer of the person's process to 2099; returns the job's id. */
    private String postpone(Via via, String id, String activityId) {
        Job timer = management.createJobQuery().processInstanceId(processOf(id)).activityId(activityId).singleResult();
        assertThat(timer).as("timer %s", activityId).isNotNull();
        HttpResponse<String> postponed = asAdministrator(via, "PUT", "/job/" + timer.getId() + "/duedate",
                Map.of("duedate", POSTPONED));
        assertThat(postponed.statusCode()).as("the administrator may move timers (%s): %s", via, postponed.body())
                .isEqualTo(204);
        assertThat(management.createJobQuery().jobId(timer.getId()).singleResult().getDuedate())
                .isAfter(Date.from(java.time.Instant.now().plus(Duration.ofDays(3650))));
        return timer.getId();
    }

    /** Makes a timer of the person's process due now; the job executor fires it. */
    private void fire(String id, String activityId) {
        Job timer = management.createJobQuery().processInstanceId(processOf(id)).activityId(activityId).singleResult();
        assertThat(timer).as("timer %s", activityId).isNotNull();
        management.setJobDuedate(timer.getId(), new Date());
    }

    private String processOf(String id) {
        var instance = runtime.createProcessInstanceQuery().processInstanceBusinessKey(id)
                .processDefinitionKey(ProcessIds.HUMAN_ACCESS_PROCESS).singleResult();
        return instance == null ? null : instance.getId();
    }

    private boolean waitingAt(String id, String activityId) {
        String instance = processOf(id);
        return instance != null && runtime.getActiveActivityIds(instance).contains(activityId);
    }

    private static MimeMessage mail(String recipient, String subject) throws Exception {
        return Mailbox.newest(recipient, subject);
    }
}
