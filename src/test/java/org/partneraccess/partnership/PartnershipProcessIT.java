package org.partneraccess.partnership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.mail.internet.MimeMessage;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
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
import org.partneraccess.audit.PartnershipAction;
import org.partneraccess.dev.DevMailServer;
import org.partneraccess.inventory.PartnerIdentity;
import org.partneraccess.inventory.internal.PartnerIdentityRepository;
import org.partneraccess.keycloak.KeycloakAttributes;
import org.partneraccess.keycloak.PartnerClients;
import org.partneraccess.keycloak.PartnerUsers;
import org.partneraccess.machine.MachineFixtures;
import org.partneraccess.partnership.internal.PartnershipRepository;
import org.partneraccess.security.SegregationOfDutiesException;
import org.partneraccess.support.EngineDoors;
import org.partneraccess.support.EngineDoors.Via;
import org.partneraccess.support.ItFixtures;
import org.partneraccess.support.PartnerAccessClient;
import org.partneraccess.support.PartnerAccessTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/** The deployment proof end to end: REST request, sponsor approval in the engine, Keycloak, registry and mail. */
@PartnerAccessTest
class PartnershipProcessIT {

    private static final ObjectMapper JSON = new ObjectMapper();
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
    PartnershipRepository partnerships;
    @Autowired
    PartnerIdentityRepository identities;
    @Autowired
    PartnerUsers partnerUsers;
    @Autowired
    PartnerClients partnerClients;
    @Autowired
    AuditLog audit;
    @Autowired
    org.camunda.bpm.engine.ManagementService management;
    @Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;
    @Autowired
    ItFixtures fixtures;
    @Value("${partner-access.recertification.deadline}")
    Duration recertificationDeadline;

    private EngineDoors doors;

    private org.camunda.bpm.engine.runtime.Job recertificationTimer(String key) {
        var instance = runtime.createProcessInstanceQuery().processInstanceBusinessKey(key)
                .processDefinitionKey(ProcessIds.PARTNERSHIP_PROCESS).singleResult();
        return instance == null ? null : management.createJobQuery().processInstanceId(instance.getId())
                .activityId(ProcessIds.TIMER_RECERTIFICATION_DUE).singleResult();
    }

    @AfterEach
    void clearAuthentication() {
        identity.clearAuthentication();
    }

    @Test
    void approvedRequestProvisionsTheContactInKeycloakAndNotifiesTheSponsor() throws Exception {
        String key = newKey();
        String contact = key + "@partner.example.org";
        HttpResponse<String> created = post("rita.requester", request(key, contact));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(JSON.readTree(created.body()).get("state").asText()).isEqualTo("REQUESTED");

        Task approval = approvalTask(key);
        assertThat(tasks.getIdentityLinksForTask(approval.getId()))
                .anySatisfy(link -> assertThat(link.getUserId()).isEqualTo("sam.sponsor"));
        as("sam.sponsor", "sponsors");
        tasks.complete(approval.getId(), Map.of(Variables.SPONSOR_APPROVED, true));

        await().atMost(Duration.ofSeconds(60))
                .until(() -> partnerships.findById(key).orElseThrow().getState() == LifecycleState.ACTIVE);
        Partnership partnership = partnerships.findById(key).orElseThrow();
        assertThat(partnership.getApprovedBy()).isEqualTo("sam.sponsor");
        // the review date is shown from activation on: the date the recertification timer keeps
        org.camunda.bpm.engine.runtime.Job timer = await().atMost(Duration.ofSeconds(30))
                .until(() -> recertificationTimer(key), java.util.Objects::nonNull);
        assertThat(partnership.getNextReviewAt()).isCloseTo(timer.getDuedate().toInstant(),
                within(2, java.time.temporal.ChronoUnit.MINUTES));

        PartnerIdentity person = identities.findByPartnershipKeyOrderById(key).get(0);
        assertThat(person.getState()).isEqualTo(LifecycleState.ACTIVE);
        assertThat(person.getNextReviewAt()).as("the contact is reviewed with the partnership")
                .isEqualTo(partnership.getNextReviewAt());
        UserRepresentation user = partnerUsers.findUser(contact).orElseThrow();
        assertThat(user.getId()).isEqualTo(person.getKeycloakId());
        assertThat(user.getAttributes().get(KeycloakAttributes.PARTNERSHIP)).containsExactly(key);
        assertThat(user.getAttributes().get(KeycloakAttributes.IDENTITY)).containsExactly(person.getId());
        assertThat(partnerUsers.groupsOfUser(user.getId())).containsExactly(PartnerUsers.partnershipGroupName(key));

        await().atMost(Duration.ofSeconds(30)).until(() -> mailTo("sam.sponsor@example.com", key) != null);
        MimeMessage mail = mailTo("sam.sponsor@example.com", key);
        assertThat(mail.getSubject()).isEqualTo("Partnership " + key + " is active");
        assertThat(mail.getContent().toString()).contains("Approved by: sam.sponsor");

        assertThat(audit.ofPartnership(key)).extracting(AuditEvent::getAction).containsExactly(
                "PARTNERSHIP_REQUESTED", "POLICY_DECIDED", "PARTNERSHIP_APPROVED", "IDENTITY_PROVISIONED", "PARTNERSHIP_ACTIVATED");
        assertThat(audit.firstBrokenEntry()).isNull();
        // the partnership now lives in its active period, waiting for the recertification and contract end timers
        await().atMost(Duration.ofSeconds(30)).until(() -> runtime.createExecutionQuery()
                .processInstanceBusinessKey(key).activityId(ProcessIds.TIMER_RECERTIFICATION_DUE).count() == 1);
    }

    @Test
    void aHighRiskApprovalNamesItsPartnerIsDueInTwoDaysAndIsEscalatedToTheSecurityOfficersWhenOverdue()
            throws Exception {
        String key = newKey();
        Map<String, Object> body = request(key, key + "@partner.example.org");
        // regulated data: risk tier HIGH, at most 90 days
        body.put("dataClasses", List.of("regulated"));
        body.put("endDate", LocalDate.now().plusDays(60).toString());
        HttpResponse<String> created = post("rita.requester", body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        Task approval = approvalTask(key);
        assertThat(approval.getName()).isEqualTo("Approve partnership Acme Logistics GmbH — HIGH");
        assertThat(approval.getDueDate().toInstant()).isCloseTo(java.time.Instant.now().plus(Duration.ofDays(2)),
                within(5, java.time.temporal.ChronoUnit.MINUTES));
        org.camunda.bpm.engine.runtime.Job overdue = management.createJobQuery()
                .processInstanceId(approval.getProcessInstanceId()).timers()
                .activityId("BoundaryEvent_SponsorApprovalOverdue").singleResult();
        assertThat(overdue.getDuedate()).isEqualTo(approval.getDueDate());
        assertThat(overdueMail(key)).as("nothing is overdue yet").isNull();

        management.setJobDuedate(overdue.getId(), new java.util.Date());
        await().atMost(Duration.ofSeconds(60)).until(() -> overdueMail(key) != null);
        String text = overdueMail(key).getContent().toString();
        assertThat(overdueMail(key).getSubject())
                .isEqualTo("Partnership approval overdue: Approve partnership Acme Logistics GmbH — HIGH (" + key + ")");
        assertThat(text).contains("The partnership approval \"Approve partnership Acme Logistics GmbH — HIGH\" is overdue since "
                + java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
                        .withZone(java.time.ZoneOffset.UTC).format(approval.getDueDate().toInstant())
                + "; waiting for sam.sponsor");
        // the approval stays with its sponsor, and the escalation is not repeated
        assertThat(approvalTask(key).getId()).isEqualTo(approval.getId());
        await().atMost(Duration.ofSeconds(30)).until(() -> management.createJobQuery()
                .processInstanceId(approval.getProcessInstanceId()).count() == 0);
        // one mail, however many security officers other tests of this JVM have made (a copy is kept per recipient)
        Set<String> overdueMails = new HashSet<>();
        for (MimeMessage message : DevMailServer.current().receivedMessages()) {
            if (message.getSubject().contains(" overdue: ") && message.getSubject().contains(key)) {
                overdueMails.add(message.getMessageID());
            }
        }
        assertThat(overdueMails).hasSize(1);
    }

    @Test
    void suspensionDisablesThePartnerInKeycloakAndResumptionEnablesIt() throws Exception {
        String key = fixtures.partnership("acme").active();
        String contact = ItFixtures.contactOf(key);

        HttpResponse<String> suspended = postJson("sofia.security", "/api/partnerships/" + key + "/suspension",
                Map.of("reason", "contract under dispute"));
        assertThat(suspended.statusCode()).as(suspended.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> stateOf(key) == LifecycleState.SUSPENDED);
        assertThat(partnerUsers.findUser(contact).orElseThrow().isEnabled()).isFalse();
        assertThat(identities.findByPartnershipKeyOrderById(key)).extracting(PartnerIdentity::getState)
                .containsOnly(LifecycleState.SUSPENDED);
        await().atMost(Duration.ofSeconds(30)).until(() -> mailTo("sofia.security@example.com", key) != null);

        assertThat(postJson("sofia.security", "/api/partnerships/" + key + "/suspension",
                Map.of("reason", "again")).statusCode()).as("nothing to suspend twice").isEqualTo(409);
        assertThat(postJson("rita.requester", "/api/partnerships/" + key + "/resumption",
                Map.of("reason", "settled")).statusCode()).as("requesters cannot resume").isEqualTo(403);

        assertThat(postJson("sofia.security", "/api/partnerships/" + key + "/resumption",
                Map.of("reason", "dispute settled")).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> stateOf(key) == LifecycleState.ACTIVE);
        assertThat(partnerUsers.findUser(contact).orElseThrow().isEnabled()).isTrue();
    }

    @Test
    void terminationRevokesEveryIdentityWithItsReason() throws Exception {
        String key = fixtures.partnership("acme").active();
        String contact = ItFixtures.contactOf(key);

        assertThat(postJson("sam.sponsor", "/api/partnerships/" + key + "/termination",
                Map.of("reason", "contract ended early")).statusCode()).as("only security officers terminate")
                .isEqualTo(403);
        assertThat(stateOf(key)).isEqualTo(LifecycleState.ACTIVE);
        assertThat(postJson("sofia.security", "/api/partnerships/" + key + "/termination",
                Map.of("reason", "contract ended early")).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> stateOf(key) == LifecycleState.REVOKED);
        Partnership revoked = partnerships.findById(key).orElseThrow();
        assertThat(revoked.getStateReason()).isEqualTo("contract ended early");
        assertThat(partnerUsers.findUser(contact).orElseThrow().isEnabled()).isFalse();
        PartnerIdentity person = identities.findByPartnershipKeyOrderById(key).get(0);
        assertThat(person.getState()).isEqualTo(LifecycleState.REVOKED);
        assertThat(person.getRevokedAt()).isNotNull();
        assertThat(audit.ofPartnership(key)).extracting(AuditEvent::getAction)
                .contains("IDENTITY_REVOKED", "PARTNERSHIP_REVOKED");
        await().atMost(Duration.ofSeconds(30)).until(() -> mailTo("ian.owner@example.com", key + " is revoked") != null);
    }

    @Test
    void scopeChangeIsReviewedWhileCurrentAccessStaysAndAppliedOnApproval() throws Exception {
        String key = fixtures.partnership("acme").active();
        String path = "/api/partnerships/" + key + "/scope-changes";
        Map<String, Object> change = Map.of("clientScopes", List.of("invoices.read"), "dataClasses", List.of(),
                "environments", List.of(), "reason", "reconcile invoices as well");

        assertThat(postJson("robert.requester", path, Map.of("clientScopes", List.of("orders.read"),
                "reason", "nothing new")).statusCode()).as("a change must add something").isEqualTo(400);
        HttpResponse<String> requested = postJson("robert.requester", path, change);
        assertThat(requested.statusCode()).as(requested.body()).isEqualTo(202);
        assertThat(postJson("robert.requester", path, change).statusCode()).as("one at a time").isEqualTo(409);
        assertThat(partnerships.findById(key).orElseThrow().getClientScopes()).containsExactly("orders.read");

        Task approval = tasks.createTaskQuery().processInstanceBusinessKey(key)
                .taskDefinitionKey(ProcessIds.TASK_APPROVE_SCOPE_CHANGE_AS_SPONSOR).singleResult();
        as("sam.sponsor", "sponsors");
        tasks.complete(approval.getId(), Map.of("scopeChangeApproved", true));
        identity.clearAuthentication();

        await().atMost(Duration.ofSeconds(30)).until(() -> partnerships.findById(key).orElseThrow()
                .getClientScopes().contains("invoices.read"));
        assertThat(audit.ofPartnership(key)).extracting(AuditEvent::getAction)
                .contains("SCOPE_CHANGE_POLICY_DECIDED", "SCOPE_CHANGE_APPLIED");
        assertThat(stateOf(key)).isEqualTo(LifecycleState.ACTIVE);
    }

    @Test
    void anOverdueScopeChangeApprovalIsMailedToTheSecurityOfficersAndStaysWithTheSponsor() throws Exception {
        String key = fixtures.partnership("acme").active();
        assertThat(postJson("robert.requester", "/api/partnerships/" + key + "/scope-changes",
                Map.of("clientScopes", List.of("invoices.read"), "dataClasses", List.of(), "environments", List.of(),
                        "reason", "reconcile invoices as well")).statusCode()).isEqualTo(202);

        Task approval = tasks.createTaskQuery().processInstanceBusinessKey(key)
                .taskDefinitionKey(ProcessIds.TASK_APPROVE_SCOPE_CHANGE_AS_SPONSOR).singleResult();
        // due within the longest approval time of any risk tier
        assertThat(approval.getDueDate()).isInTheFuture()
                .isBefore(java.util.Date.from(java.time.Instant.now().plus(Duration.ofDays(5)).plusSeconds(60)));
        org.camunda.bpm.engine.runtime.Job overdue = management.createJobQuery()
                .processInstanceId(approval.getProcessInstanceId()).timers()
                .activityId(ProcessIds.BOUNDARY_SCOPE_CHANGE_SPONSOR_APPROVAL_OVERDUE).singleResult();
        assertThat(overdue.getDuedate()).isEqualTo(approval.getDueDate());
        assertThat(overdueMails(key)).as("nothing is overdue yet").isEmpty();

        management.setJobDuedate(overdue.getId(), new java.util.Date());
        await().atMost(Duration.ofSeconds(60)).until(() -> !overdueMails(key).isEmpty());
        assertThat(overdueMails(key).get(0).getSubject())
                .isEqualTo("Scope change approval overdue: Approve scope change of partnership Acme Logistics GmbH (" + key + ")");
        assertThat(overdueMails(key).get(0).getContent().toString())
                .contains("The scope change approval \"Approve scope change of partnership Acme Logistics GmbH\" is overdue since "
                        + java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
                                .withZone(java.time.ZoneOffset.UTC).format(approval.getDueDate().toInstant())
                        + "; waiting for sam.sponsor");
        // the change waits for its sponsor as before; the escalation is not repeated and changes no access
        await().atMost(Duration.ofSeconds(30)).until(() -> management.createJobQuery()
                .processInstanceId(approval.getProcessInstanceId())
                .activityId("Task_NotifyScopeChangeSponsorApprovalOverdue").count() == 0);
        assertThat(tasks.createTaskQuery().processInstanceBusinessKey(key)
                .taskDefinitionKey(ProcessIds.TASK_APPROVE_SCOPE_CHANGE_AS_SPONSOR).singleResult().getId())
                .isEqualTo(approval.getId());
        assertThat(overdueMails(key)).hasSize(1);
        assertThat(partnerships.findById(key).orElseThrow().getClientScopes()).containsExactly("orders.read");
        assertThat(stateOf(key)).isEqualTo(LifecycleState.ACTIVE);
    }

    @Test
    void auditorsReadTheEvidenceOfAnIdentityAndTheVerifiedTrail() throws Exception {
        String key = fixtures.partnership("acme").active();
        String identityId = identities.findByPartnershipKeyOrderById(key).get(0).getId();

        HttpResponse<String> evidence = fixtures.client().get("alice.auditor", "/api/identities/" + identityId + "/evidence");
        assertThat(evidence.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(evidence.body()).findValuesAsText("action")).containsExactly("IDENTITY_PROVISIONED");
        HttpResponse<String> verification = fixtures.client().get("alice.auditor", "/api/audit/verification");
        assertThat(JSON.readTree(verification.body()).get("intact").asBoolean()).isTrue();

        assertThat(fixtures.client().get("rita.requester", "/api/audit/verification").statusCode()).isEqualTo(403);

        JsonNode inventory = JSON.readTree(fixtures.client().get("alice.auditor", "/api/identities?partnership=" + key).body());
        assertThat(inventory.get("total").asLong()).isEqualTo(1);
        JsonNode row = inventory.get("items").get(0);
        assertThat(row.get("id").asText()).isEqualTo(identityId);
        assertThat(row.get("state").asText()).isEqualTo("ACTIVE");
        assertThat(row.get("kind").asText()).isEqualTo("HUMAN");
        assertThat(row.get("approvedBy").asText()).isEqualTo("sam.sponsor");
        assertThat(row.get("purpose").asText()).contains("Primary contact");
        assertThat(JSON.readTree(fixtures.client().get("alice.auditor", "/api/identities?state=REVOKED&partnership=" + key)
                .body()).get("total").asLong()).isZero();
        HttpResponse<String> badFilter = fixtures.client().get("alice.auditor", "/api/identities?state=NOT_A_STATE");
        assertThat(badFilter.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badFilter.body()).get("errors").has("state")).isTrue();
        assertThat(fixtures.client().get("rita.requester", "/api/identities").statusCode()).isEqualTo(403);
        assertThat(fixtures.client().get("sam.sponsor", "/api/identities/" + identityId + "/evidence").statusCode()).isEqualTo(403);
    }

    @Test
    void invalidTriggerBodiesAreRefusedAndUnknownPartnershipsAreNotFound() throws Exception {
        HttpResponse<String> blank = postJson("sofia.security", "/api/partnerships/nope/suspension", Map.of("reason", ""));
        assertThat(blank.statusCode()).isEqualTo(400);
        assertThat(blank.body()).contains("reason");
        assertThat(postJson("sofia.security", "/api/partnerships/no-such-key/suspension",
                Map.of("reason", "x")).statusCode()).isEqualTo(404);
    }

    @Test
    void riskDowngradePutsThePartnershipUnderReviewAtOnce() throws Exception {
        String key = fixtures.partnership("acme").active();
        String path = "/api/partnerships/" + key + "/risk-downgrades";

        assertThat(postJson("rita.requester", path, Map.of("reason", "rating fell")).statusCode()).isEqualTo(403);
        assertThat(postJson("sofia.security", path, Map.of()).statusCode()).as("a reason is required").isEqualTo(400);
        HttpResponse<String> downgraded = postJson("sofia.security", path, Map.of("reason", "vendor rating fell to C"));
        assertThat(downgraded.statusCode()).as(downgraded.body()).isEqualTo(202);

        Partnership underReview = partnerships.findById(key).orElseThrow();
        assertThat(underReview.getState()).isEqualTo(LifecycleState.UNDER_REVIEW);
        assertThat(underReview.getStateReason()).isEqualTo("vendor risk downgraded: vendor rating fell to C");
        Task review = tasks.createTaskQuery().processInstanceBusinessKey(key)
                .taskDefinitionKey(ProcessIds.TASK_REVIEW_AFTER_RISK_DOWNGRADE).singleResult();
        assertThat(review).isNotNull();
        assertThat(tasks.getIdentityLinksForTask(review.getId()))
                .anySatisfy(link -> assertThat(link.getUserId()).isEqualTo("sam.sponsor"));
        assertThat(review.getName()).isEqualTo("Review partnership Acme Logistics GmbH after risk downgrade");

        // the review passes its due date: the security officers are told a review, not an approval, is overdue
        assertThat(overdueMails(key)).isEmpty();
        org.camunda.bpm.engine.runtime.Job overdue = management.createJobQuery()
                .processInstanceId(review.getProcessInstanceId()).timers()
                .activityId(ProcessIds.BOUNDARY_RISK_DOWNGRADE_REVIEW_OVERDUE).singleResult();
        management.setJobDuedate(overdue.getId(), new java.util.Date());
        await().atMost(Duration.ofSeconds(60)).until(() -> !overdueMails(key).isEmpty());
        assertThat(overdueMails(key).get(0).getSubject()).isEqualTo(
                "Partnership review overdue: Review partnership Acme Logistics GmbH after risk downgrade (" + key + ")");
        assertThat(overdueMails(key).get(0).getContent().toString()).contains("The partnership review \"Review partnership"
                + " Acme Logistics GmbH after risk downgrade\" is overdue since "
                + java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(java.time.ZoneOffset.UTC)
                        .format(review.getDueDate().toInstant()) + "; waiting for sam.sponsor");
        assertThat(tasks.createTaskQuery().taskId(review.getId()).count()).as("the review stays open").isEqualTo(1);
        assertThat(stateOf(key)).isEqualTo(LifecycleState.UNDER_REVIEW);
    }

    /**
     * A Camunda administrator keeps partnerships past a missed recertification, through the engine's REST API or
     * Cockpit's session: one partnership's review timer postponed to 2099 before it fires, another's review opened and
     * its deadline postponed, a third's process instance deleted. The reviews fall due and the deadline passes all the
     * same: the registry's sweep suspends all three with the process's own reason, as the system, their people and
     * machines disabled in Keycloak. A running process is told and waits for the resumption, which works as after the
     * process's own deadline and restarts the review date; without its process a partnership is not resumed, but a
     * termination still ends it.
     */
    @ParameterizedTest
    @EnumSource(Via.class)
    void aMissedRecertificationSuspendsThePartnershipWhenTheProcessTimersArePostponed(Via via) throws Exception {
        String reviewPostponed = fixtures.partnership("acme").active();
        String person = fixtures.activePerson(reviewPostponed, "ivy." + reviewPostponed + "@partner.example.org");
        JsonNode machine = activeMachine(reviewPostponed);
        String deadlinePostponed = fixtures.partnership("acme").active();
        String processDeleted = fixtures.partnership("acme").active();
        JsonNode orphanedMachine = activeMachine(processDeleted);

        String reviewTimer = postpone(via, reviewPostponed, ProcessIds.TIMER_RECERTIFICATION_DUE);
        management.setJobDuedate(recertificationTimer(deadlinePostponed).getId(), new java.util.Date());
        await().atMost(Duration.ofSeconds(60)).until(() -> tasks.createTaskQuery()
                .processInstanceBusinessKey(deadlinePostponed).taskDefinitionKey(ProcessIds.TASK_RECERTIFY_AS_SPONSOR)
                .count() == 1);
        assertThat(stateOf(deadlinePostponed)).isEqualTo(LifecycleState.UNDER_REVIEW);
        String deadlineTimer = postpone(via, deadlinePostponed, ProcessIds.BOUNDARY_RECERTIFICATION_OVERDUE);
        HttpResponse<String> deleted = asAdministrator(via, "DELETE", "/process-instance/"
                + processOf(processDeleted).getId() + "?skipCustomListeners=true", null);
        assertThat(deleted.statusCode()).as("the administrator may delete instances (%s): %s", via, deleted.body())
                .isEqualTo(204);
        assertThat(processOf(processDeleted)).isNull();

        // the reviews fall due and their deadline passes without a recertification
        for (String key : List.of(reviewPostponed, deadlinePostponed, processDeleted)) {
            jdbc.update("update partnership set next_review_at = ? where partnership_key = ?", java.time.Instant.now()
                    .minus(recertificationDeadline).minusSeconds(1).atOffset(java.time.ZoneOffset.UTC), key);
        }
        for (String key : List.of(reviewPostponed, deadlinePostponed, processDeleted)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> stateOf(key) == LifecycleState.SUSPENDED);
            assertThat(partnerships.findById(key).orElseThrow().getStateReason()).isEqualTo("recertification missed");
            assertThat(identities.findByPartnershipKeyOrderById(key)).extracting(PartnerIdentity::getState)
                    .containsOnly(LifecycleState.SUSPENDED);
            for (PartnerIdentity each : identities.findByPartnershipKeyOrderById(key)) {
                if (each.getKind() == org.partneraccess.inventory.IdentityKind.HUMAN) {
                    assertThat(partnerUsers.findUser(each.getEmail()).orElseThrow().isEnabled())
                            .as("Keycloak user of %s", each.getEmail()).isFalse();
                } else {
                    assertThat(partnerClients.findClient(each.getKeycloakName()).orElseThrow().isEnabled())
                            .as("Keycloak client of %s", each.getKeycloakName()).isFalse();
                }
            }
            assertThat(audit.ofPartnership(key)).filteredOn(event -> event.getAction().equals("PARTNERSHIP_SUSPENDED"))
                    .extracting(AuditEvent::getActor, AuditEvent::getDetail)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("system", "recertification missed"));
        }
        assertThat(identities.findByPartnershipKeyOrderById(reviewPostponed)).hasSize(3);
        assertThat(audit.firstBrokenEntry()).isNull();
        assertThat(JSON.readTree(fixtures.client().get("alice.auditor", "/api/audit/verification").body()).get("intact")
                .asBoolean()).isTrue();

        // the running processes were told: the postponed timers went with the active period, they wait for resumption
        for (String key : List.of(reviewPostponed, deadlinePostponed)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> runtime.createExecutionQuery().processInstanceBusinessKey(key)
                    .activityId(ProcessIds.RECEIVE_TASK_AWAIT_RESUMPTION).count() == 1);
        }
        assertThat(management.createJobQuery().jobId(reviewTimer).count()).isZero();
        assertThat(management.createJobQuery().jobId(deadlineTimer).count()).isZero();
        for (String key : List.of(reviewPostponed, deadlinePostponed)) {
            assertThat(audit.ofPartnership(key)).extracting(AuditEvent::getAction).as("told by the sweep itself")
                    .containsOnlyOnce("PARTNERSHIP_SUSPENDED").doesNotContain("SUSPENSION_PROCESS_CAUGHT_UP");
        }

        // a resumption works as after the process's own deadline, and restarts the review date: no sweep suspends again
        HttpResponse<String> resumed = fixtures.client().post("sofia.security", "/api/partnerships/" + reviewPostponed
                + "/resumption", Map.of("reason", "sponsor back from leave"));
        assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> stateOf(reviewPostponed) == LifecycleState.ACTIVE
                && recertificationTimer(reviewPostponed) != null);
        Partnership active = partnerships.findById(reviewPostponed).orElseThrow();
        assertThat(active.getNextReviewAt()).isCloseTo(recertificationTimer(reviewPostponed).getDuedate().toInstant(),
                within(2, java.time.temporal.ChronoUnit.MINUTES));
        PartnerIdentity contact = contactOf(reviewPostponed);
        assertThat(contact.getNextReviewAt()).as("the contact is reviewed with the partnership")
                .isEqualTo(active.getNextReviewAt());
        await().atMost(Duration.ofSeconds(60)).until(() -> identities.findByPartnershipKeyOrderById(reviewPostponed)
                .stream().allMatch(each -> each.getState() == LifecycleState.ACTIVE));
        assertThat(partnerUsers.findUser(contact.getEmail()).orElseThrow().isEnabled()).isTrue();
        assertThat(partnerUsers.findUser(identities.findById(person).orElseThrow().getEmail()).orElseThrow().isEnabled())
                .isTrue();
        assertThat(partnerClients.findClient(machine.get("clientId").asText()).orElseThrow().isEnabled()).isTrue();
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> stateOf(reviewPostponed) == LifecycleState.ACTIVE);

        // without its process the partnership is not resumed: refused with the reason and the remedy, audited, and
        // nothing else changes (no sweep tells a deleted process); a termination still ends it, from the registry
        int beforeRefusal = audit.ofPartnership(processDeleted).size();
        HttpResponse<String> notResumed = fixtures.client().post("sofia.security", "/api/partnerships/" + processDeleted
                + "/resumption", Map.of("reason", "sponsor back from leave"));
        assertThat(notResumed.statusCode()).as(notResumed.body()).isEqualTo(409);
        assertThat(notResumed.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(notResumed.body());
        assertThat(problem.get("type").asText())
                .isEqualTo("https://partner-access.org/problems/partnership-without-process");
        assertThat(problem.get("process").asText()).isEqualTo("DELETED");
        assertThat(problem.get("detail").asText()).contains("deleted in the engine",
                "POST /api/partnerships/" + processDeleted + "/termination", "request a new partnership");
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> true);
        assertThat(actionsSince(processDeleted, beforeRefusal))
                .containsExactly(PartnershipAction.RESUMPTION_PROCESS_UNAVAILABLE.name());
        assertThat(audit.latest(processDeleted, PartnershipAction.RESUMPTION_PROCESS_UNAVAILABLE).orElseThrow())
                .extracting(AuditEvent::getActor, AuditEvent::getDetail).containsExactly("sofia.security",
                        "reason=sponsor back from leave; refused, the process instance is deleted: Terminate it (POST"
                                + " /api/partnerships/" + processDeleted + "/termination) and request a new partnership.");
        assertThat(stateOf(processDeleted)).isEqualTo(LifecycleState.SUSPENDED);
        assertThat(identities.findByPartnershipKeyOrderById(processDeleted)).extracting(PartnerIdentity::getState)
                .containsOnly(LifecycleState.SUSPENDED);
        assertEnabled(processDeleted, false);
        HttpResponse<String> terminated = fixtures.client().post("sofia.security", "/api/partnerships/" + processDeleted
                + "/termination", Map.of("reason", "partner gone quiet"));
        assertThat(terminated.statusCode()).as(terminated.body()).isEqualTo(202);
        assertThat(stateOf(processDeleted)).isEqualTo(LifecycleState.REVOKED);
        assertThat(identities.findByPartnershipKeyOrderById(processDeleted)).extracting(PartnerIdentity::getState)
                .containsOnly(LifecycleState.REVOKED);
        assertThat(partnerUsers.findUser(ItFixtures.contactOf(processDeleted)).orElseThrow().isEnabled()).isFalse();
        assertThat(audit.ofPartnership(processDeleted)).filteredOn(event -> event.getAction()
                        .equals("TERMINATION_PROCESS_UNAVAILABLE")).extracting(AuditEvent::getActor)
                .containsExactly("sofia.security");
        assertThat(audit.firstBrokenEntry()).isNull();
    }

    /**
     * A Camunda administrator suspends a partnership's process instance, through the engine's REST API or Cockpit's
     * session, and its review deadline passes: the sweep suspends the partnership, its person and its machine, but
     * cannot tell the held instance. While it is held a resumption is refused, saying why and what to do, and audited;
     * sweeps change nothing more. Once the administrator activates the instance again, the next sweep tells it once:
     * it waits for the resumption (its suspension step suspends nothing twice and sends the suspension notice), and the
     * security officer's resumption re-enables every user and client and restarts the review date.
     */
    @ParameterizedTest
    @EnumSource(Via.class)
    void aPartnershipSweptWhileItsInstanceWasSuspendedWaitsForTheResumptionOnceActivatedAgain(Via via) throws Exception {
        String key = fixtures.partnership("acme").active();
        String person = fixtures.activePerson(key, "ivy." + key + "@partner.example.org");
        JsonNode machine = activeMachine(key);
        String instance = processOf(key).getId();
        String reviewTimer = recertificationTimer(key).getId();
        // the machine's secret hand-over is opened after it is active
        await().atMost(Duration.ofSeconds(30)).until(() -> audit.ofPartnership(key).stream()
                .anyMatch(event -> event.getAction().equals("MACHINE_SECRET_HANDOVER_OPENED")));

        HttpResponse<String> held = asAdministrator(via, "PUT", "/process-instance/" + instance + "/suspended",
                Map.of("suspended", true));
        assertThat(held.statusCode()).as("the administrator may suspend instances (%s): %s", via, held.body())
                .isEqualTo(204);
        assertThat(processOf(key).isSuspended()).isTrue();
        int before = audit.ofPartnership(key).size();

        // the review falls due and its deadline passes without a recertification
        jdbc.update("update partnership set next_review_at = ? where partnership_key = ?", java.time.Instant.now()
                .minus(recertificationDeadline).minusSeconds(1).atOffset(java.time.ZoneOffset.UTC), key);
        await().atMost(Duration.ofSeconds(30)).until(() -> stateOf(key) == LifecycleState.SUSPENDED);
        assertThat(partnerships.findById(key).orElseThrow().getStateReason()).isEqualTo("recertification missed");
        assertThat(identities.findByPartnershipKeyOrderById(key)).hasSize(3).extracting(PartnerIdentity::getState)
                .containsOnly(LifecycleState.SUSPENDED);
        assertEnabled(key, false);
        // the machine's process hears of it from the sweep, the partnership's does not
        await().atMost(Duration.ofSeconds(30)).until(() -> actionsSince(key, before).contains("MACHINE_SUSPENDED"));
        List<String> swept = List.of("IDENTITY_SUSPENDED", "IDENTITY_SUSPENDED", "IDENTITY_SUSPENDED",
                "PARTNERSHIP_SUSPENDED", "MACHINE_SUSPENDED");
        assertThat(actionsSince(key, before)).containsExactlyInAnyOrderElementsOf(swept);

        // while the instance is held nothing takes a resumption: refused with the reason and the remedy, audited
        HttpResponse<String> held409 = fixtures.client().post("sofia.security", "/api/partnerships/" + key + "/resumption",
                Map.of("reason", "sponsor back from leave"));
        assertThat(held409.statusCode()).as(held409.body()).isEqualTo(409);
        JsonNode problem = JSON.readTree(held409.body());
        assertThat(problem.get("type").asText())
                .isEqualTo("https://partner-access.org/problems/partnership-without-process");
        assertThat(problem.get("process").asText()).isEqualTo("SUSPENDED");
        assertThat(problem.get("detail").asText()).contains("suspended in the engine", "activates the instance again");
        assertThat(audit.ofPartnership(key)).filteredOn(event -> event.getAction()
                        .equals(PartnershipAction.RESUMPTION_PROCESS_UNAVAILABLE.name()))
                .extracting(AuditEvent::getActor).containsExactly("sofia.security");

        // sweep after sweep, nothing more while the instance is held
        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> true);
        List<String> refused = new java.util.ArrayList<>(swept);
        refused.add(PartnershipAction.RESUMPTION_PROCESS_UNAVAILABLE.name());
        assertThat(actionsSince(key, before)).containsExactlyInAnyOrderElementsOf(refused);
        assertThat(processOf(key).isSuspended()).isTrue();
        assertThat(management.createJobQuery().jobId(reviewTimer).count()).isOne();
        assertThat(stateOf(key)).isEqualTo(LifecycleState.SUSPENDED);
        assertEnabled(key, false);
        assertThat(mailTo("sofia.security@example.com", key + " is suspended")).isNull();

        HttpResponse<String> activated = asAdministrator(via, "PUT", "/process-instance/" + instance + "/suspended",
                Map.of("suspended", false));
        assertThat(activated.statusCode()).as("the administrator may activate instances (%s): %s", via,
                activated.body()).isEqualTo(204);

        // the next sweep tells it: it leaves its active period (the review timer with it) and waits for the resumption
        await().atMost(Duration.ofSeconds(30)).until(() -> runtime.createExecutionQuery().processInstanceBusinessKey(key)
                .activityId(ProcessIds.RECEIVE_TASK_AWAIT_RESUMPTION).count() == 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> mailTo("sofia.security@example.com", key + " is suspended")
                != null);
        assertThat(mailTo("sofia.security@example.com", key + " is suspended").getContent().toString())
                .contains("Reason: recertification missed");
        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> true);
        assertThat(management.createJobQuery().jobId(reviewTimer).count()).isZero();
        List<String> caughtUp = new java.util.ArrayList<>(refused);
        caughtUp.add("SUSPENSION_PROCESS_CAUGHT_UP");
        assertThat(actionsSince(key, before)).containsExactlyInAnyOrderElementsOf(caughtUp);
        assertThat(audit.ofPartnership(key)).filteredOn(event -> event.getAction().equals("SUSPENSION_PROCESS_CAUGHT_UP"))
                .extracting(AuditEvent::getActor).containsExactly("system");
        assertThat(stateOf(key)).isEqualTo(LifecycleState.SUSPENDED);
        assertThat(identities.findByPartnershipKeyOrderById(key)).extracting(PartnerIdentity::getState)
                .containsOnly(LifecycleState.SUSPENDED);
        assertEnabled(key, false);

        // the security officer's resumption works as after the process's own deadline
        HttpResponse<String> resumed = fixtures.client().post("sofia.security", "/api/partnerships/" + key + "/resumption",
                Map.of("reason", "sponsor back from leave"));
        assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> stateOf(key) == LifecycleState.ACTIVE
                && recertificationTimer(key) != null && identities.findByPartnershipKeyOrderById(key).stream()
                .allMatch(each -> each.getState() == LifecycleState.ACTIVE));
        assertThat(partnerships.findById(key).orElseThrow().getNextReviewAt())
                .isCloseTo(recertificationTimer(key).getDuedate().toInstant(), within(2, java.time.temporal.ChronoUnit.MINUTES));
        assertEnabled(key, true);
        assertThat(identities.findById(person).orElseThrow().getState()).isEqualTo(LifecycleState.ACTIVE);
        assertThat(partnerClients.findClient(machine.get("clientId").asText()).orElseThrow().isEnabled()).isTrue();
        assertThat(audit.ofPartnership(key)).filteredOn(event -> event.getAction().equals("PARTNERSHIP_ACTIVE"))
                .extracting(AuditEvent::getActor, AuditEvent::getDetail)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("sofia.security", "sponsor back from leave"));
        assertThat(audit.ofPartnership(key)).filteredOn(event -> event.getAction().equals("IDENTITY_RESUMED"))
                .hasSize(3);
        assertThat(audit.ofPartnership(key)).extracting(AuditEvent::getAction).containsOnlyOnce(
                "PARTNERSHIP_SUSPENDED", "SUSPENSION_PROCESS_CAUGHT_UP");
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> stateOf(key) == LifecycleState.ACTIVE);
        assertThat(audit.firstBrokenEntry()).isNull();
    }

    /** The audit actions on the partnership (its identities included) after the first {@code skip}. */
    private List<String> actionsSince(String key, int skip) {
        return audit.ofPartnership(key).stream().skip(skip).map(AuditEvent::getAction).toList();
    }

    /** Every Keycloak user and client of the partnership is enabled, or every one disabled. */
    private void assertEnabled(String key, boolean enabled) {
        for (PartnerIdentity each : identities.findByPartnershipKeyOrderById(key)) {
            if (each.getKind() == org.partneraccess.inventory.IdentityKind.HUMAN) {
                assertThat(partnerUsers.findUser(each.getEmail()).orElseThrow().isEnabled())
                        .as("Keycloak user of %s", each.getEmail()).isEqualTo(enabled);
            } else {
                assertThat(partnerClients.findClient(each.getKeycloakName()).orElseThrow().isEnabled())
                        .as("Keycloak client of %s", each.getKeycloakName()).isEqualTo(enabled);
            }
        }
    }

    /**
     * The honest path: a partnership recertified by its sponsor before the deadline keeps its access; the sweep reads
     * the new review date, which the contact shares.
     */
    @Test
    void aPartnershipRecertifiedInTimeIsNotSwept() throws Exception {
        String key = fixtures.partnership("acme").active();
        String contactEmail = ItFixtures.contactOf(key);
        management.setJobDuedate(recertificationTimer(key).getId(), new java.util.Date());
        await().atMost(Duration.ofSeconds(60)).until(() -> tasks.createTaskQuery().processInstanceBusinessKey(key)
                .taskDefinitionKey(ProcessIds.TASK_RECERTIFY_AS_SPONSOR).count() == 1);
        assertThat(stateOf(key)).isEqualTo(LifecycleState.UNDER_REVIEW);

        // the review fell due almost a whole deadline ago: 15 seconds are left
        java.time.Instant cutOff = java.time.Instant.now().plusSeconds(15);
        jdbc.update("update partnership set next_review_at = ? where partnership_key = ?",
                cutOff.minus(recertificationDeadline).atOffset(java.time.ZoneOffset.UTC), key);
        MachineFixtures.complete(tasks, identity, key, ProcessIds.TASK_RECERTIFY_AS_SPONSOR, "sam.sponsor", "sponsors",
                Map.of(Variables.REVIEW_DECISION, "KEEP"));
        assertThat(java.time.Instant.now()).as("recertified before the deadline").isBefore(cutOff);
        Partnership recertified = partnerships.findById(key).orElseThrow();
        assertThat(recertified.getState()).isEqualTo(LifecycleState.ACTIVE);
        assertThat(recertified.getNextReviewAt()).isAfter(java.time.Instant.now().plus(Duration.ofDays(7)));
        await().atMost(Duration.ofSeconds(30)).until(() -> recertificationTimer(key) != null);
        assertThat(recertified.getNextReviewAt()).isCloseTo(recertificationTimer(key).getDuedate().toInstant(),
                within(2, java.time.temporal.ChronoUnit.MINUTES));
        assertThat(contactOf(key).getNextReviewAt())
                .as("the contact's review date moves with the partnership's").isEqualTo(recertified.getNextReviewAt());

        // the old deadline passes, sweep after sweep
        await().atMost(Duration.ofSeconds(30)).until(() -> java.time.Instant.now().isAfter(cutOff.plusSeconds(3)));
        assertThat(stateOf(key)).isEqualTo(LifecycleState.ACTIVE);
        assertThat(contactOf(key).getState()).isEqualTo(LifecycleState.ACTIVE);
        assertThat(partnerUsers.findUser(contactEmail).orElseThrow().isEnabled()).isTrue();
        assertThat(audit.ofPartnership(key)).extracting(AuditEvent::getAction).contains("PARTNERSHIP_RECERTIFIED")
                .doesNotContain("PARTNERSHIP_SUSPENDED");
    }

    private HttpResponse<String> asAdministrator(Via via, String method, String path, Object body) {
        if (doors == null) {
            doors = fixtures.doors();
        }
        return doors.asAdministrator(via, method, path, body);
    }

    /** A Camunda administrator moves a timer of the partnership's process to 2099; returns the job's id. */
    private String postpone(Via via, String key, String activityId) {
        org.camunda.bpm.engine.runtime.Job timer = management.createJobQuery()
                .processInstanceId(processOf(key).getId()).activityId(activityId).singleResult();
        assertThat(timer).as("timer %s", activityId).isNotNull();
        HttpResponse<String> postponed = asAdministrator(via, "PUT", "/job/" + timer.getId() + "/duedate",
                Map.of("duedate", POSTPONED));
        assertThat(postponed.statusCode()).as("the administrator may move timers (%s): %s", via, postponed.body())
                .isEqualTo(204);
        assertThat(management.createJobQuery().jobId(timer.getId()).singleResult().getDuedate())
                .isAfter(java.util.Date.from(java.time.Instant.now().plus(Duration.ofDays(3650))));
        return timer.getId();
    }

    private PartnerIdentity contactOf(String key) {
        return identities.findByPartnershipKeyOrderById(key).stream()
                .filter(each -> ItFixtures.contactOf(key).equals(each.getEmail())).findFirst().orElseThrow();
    }

    private org.camunda.bpm.engine.runtime.ProcessInstance processOf(String key) {
        return runtime.createProcessInstanceQuery().processInstanceBusinessKey(key)
                .processDefinitionKey(ProcessIds.PARTNERSHIP_PROCESS).singleResult();
    }

    /** A low-risk read-only machine of the partnership with a client secret, approved by the policy alone. */
    private JsonNode activeMachine(String key) {
        JsonNode machine = fixtures.activeMachine(key);
        assertThat(partnerClients.findClient(machine.get("clientId").asText()).orElseThrow().isEnabled()).isTrue();
        return machine;
    }

    private LifecycleState stateOf(String key) {
        return partnerships.findById(key).orElseThrow().getState();
    }

    @Test
    void noOneApprovesTheirOwnRequestAndARejectionIsRecorded() throws Exception {
        String key = newKey();
        // sarah is a sponsor, but she asks for this one: the task is offered to the sponsor it names, not to her
        assertThat(post("sarah.sponsor", request(key, key + "@partner.example.org")).statusCode()).isEqualTo(201);
        Task approval = approvalTask(key);

        as("sarah.sponsor", "sponsors", "requesters");
        assertThatThrownBy(() -> tasks.complete(approval.getId(), Map.of(Variables.SPONSOR_APPROVED, true)))
                .isInstanceOf(AuthorizationException.class);
        as("rita.requester", "requesters");
        assertThatThrownBy(() -> tasks.complete(approval.getId(), Map.of(Variables.SPONSOR_APPROVED, true)))
                .isInstanceOf(AuthorizationException.class);
        identity.clearAuthentication();
        assertThatThrownBy(() -> tasks.complete(approval.getId(), Map.of(Variables.SPONSOR_APPROVED, true)))
                .hasRootCauseInstanceOf(SegregationOfDutiesException.class);
        assertThat(tasks.createTaskQuery().taskId(approval.getId()).count()).isEqualTo(1);
        assertThat(partnerships.findById(key).orElseThrow().getState()).isEqualTo(LifecycleState.REQUESTED);

        as("sam.sponsor", "sponsors");
        tasks.complete(approval.getId(), Map.of(Variables.SPONSOR_APPROVED, false,
                Variables.SPONSOR_COMMENT, "purpose does not need payment scopes"));
        Partnership rejected = partnerships.findById(key).orElseThrow();
        assertThat(rejected.getState()).isEqualTo(LifecycleState.REJECTED);
        assertThat(rejected.getStateReason()).isEqualTo("purpose does not need payment scopes");
        assertThat(partnerUsers.findUser(key + "@partner.example.org")).isEmpty();
    }

    @Test
    void invalidRequestNamesEachFieldAndStartsNothing() throws Exception {
        String key = newKey();
        Map<String, Object> bad = new java.util.HashMap<>(request(key, "not-an-email"));
        bad.put("purpose", "too short");
        bad.put("endDate", LocalDate.now().minusDays(1).toString());
        bad.put("sponsor", "nobody.known");
        bad.put("dataClasses", List.of("secret-stuff"));
        HttpResponse<String> response = post("rita.requester", bad);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode errors = JSON.readTree(response.body()).get("errors");
        assertThat(errors.fieldNames()).toIterable()
                .contains("purpose", "endDate", "sponsor", "dataClasses", "contactEmail");
        assertThat(response.body()).doesNotContain("Exception", "org.partneraccess");
        assertThat(runtime.createProcessInstanceQuery().processInstanceBusinessKey(key).count()).isZero();
        assertThat(history.createHistoricProcessInstanceQuery().processInstanceBusinessKey(key).count()).isZero();
        assertThat(partnerships.existsById(key)).isFalse();
        assertThat(partnerUsers.findUser("not-an-email")).isEmpty();
    }

    @Test
    void onlyRequestersMayRequest() throws Exception {
        String key = newKey();
        assertThat(post("alice.auditor", request(key, key + "@partner.example.org")).statusCode()).isEqualTo(403);
        assertThat(partnerships.existsById(key)).isFalse();
    }

    private Map<String, Object> request(String key, String contactEmail) {
        return PartnerAccessClient.validRequest(key, contactEmail);
    }

    private HttpResponse<String> post(String user, Map<String, Object> body) {
        return fixtures.client().post(user, "/api/partnerships", body);
    }

    private HttpResponse<String> postJson(String user, String path, Map<String, ?> body) {
        return fixtures.client().post(user, path, body);
    }

    private Task approvalTask(String key) {
        return tasks.createTaskQuery().processInstanceBusinessKey(key)
                .taskDefinitionKey(ProcessIds.TASK_APPROVE_AS_SPONSOR).singleResult();
    }

    private void as(String user, String... groups) {
        identity.setAuthentication(user, List.of(groups));
    }

    private static MimeMessage mailTo(String recipient, String key) throws Exception {
        for (MimeMessage message : DevMailServer.current().receivedMessages()) {
            if (message.getSubject().contains(key)
                    && List.of(message.getAllRecipients()).stream().anyMatch(a -> a.toString().equals(recipient))) {
                return message;
            }
        }
        return null;
    }

    /**
     * The overdue notices about the partnership the security officers received, oldest first: each once, though the
     * mail server keeps a copy per recipient and other tests of this JVM may have made more security officers.
     */
    private static List<MimeMessage> overdueMails(String key) throws Exception {
        List<MimeMessage> found = new java.util.ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (MimeMessage message : DevMailServer.current().receivedMessages()) {
            if (message.getSubject().contains(" overdue: ") && message.getSubject().contains(key)
                    && List.of(message.getAllRecipients()).stream()
                    .anyMatch(a -> a.toString().equals("sofia.security@example.com"))
                    && seen.add(message.getMessageID())) {
                found.add(message);
            }
        }
        return found;
    }

    private static MimeMessage overdueMail(String key) throws Exception {
        MimeMessage mail = mailTo("sofia.security@example.com", key);
        return mail != null && mail.getSubject().contains(" overdue: ") ? mail : null;
    }

    private static String newKey() {
        return "acme-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
