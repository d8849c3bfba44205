package org.partneraccess.partnership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
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
import org.keycloak.representations.idm.UserRepresentation;
import org.partneraccess.LifecycleState;
import org.partneraccess.ProcessIds;
import org.partneraccess.Variables;
import org.partneraccess.audit.AuditEvent;
import org.partneraccess.audit.AuditLog;
import org.partneraccess.dev.DevMailServer;
import org.partneraccess.inventory.PartnerIdentity;
import org.partneraccess.inventory.PartnerIdentityRepository;
import org.partneraccess.keycloak.KeycloakAttributes;
import org.partneraccess.keycloak.KeycloakGateway;
import org.partneraccess.security.SegregationOfDutiesException;
import org.partneraccess.support.PartnerAccessClient;
import org.partneraccess.support.PartnerAccessTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The deployment proof end to end: REST request, sponsor approval in the engine, Keycloak, registry and mail. */
@PartnerAccessTest
class PartnershipProcessIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;
    @Value("${partner-access.keycloak.url}")
    String keycloakUrl;
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
    KeycloakGateway keycloak;
    @Autowired
    AuditLog audit;
    @Autowired
    org.camunda.bpm.engine.ManagementService management;

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
        UserRepresentation user = keycloak.findUser(contact).orElseThrow();
        assertThat(user.getId()).isEqualTo(person.getKeycloakId());
        assertThat(user.getAttributes().get(KeycloakAttributes.PARTNERSHIP)).containsExactly(key);
        assertThat(user.getAttributes().get(KeycloakAttributes.IDENTITY)).containsExactly(person.getId());
        assertThat(keycloak.groupsOfUser(user.getId())).containsExactly(KeycloakGateway.partnershipGroupName(key));

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
        assertThat(text).contains("Approval of Approve partnership Acme Logistics GmbH — HIGH is overdue since "
                + java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
                        .withZone(java.time.ZoneOffset.UTC).format(approval.getDueDate().toInstant())
                + "; waiting for sam.sponsor");
        // the approval stays with its sponsor, and the escalation is not repeated
        assertThat(approvalTask(key).getId()).isEqualTo(approval.getId());
        await().atMost(Duration.ofSeconds(30)).until(() -> management.createJobQuery()
                .processInstanceId(approval.getProcessInstanceId()).count() == 0);
        int overdueMails = 0;
        for (MimeMessage message : DevMailServer.current().receivedMessages()) {
            overdueMails += message.getSubject().startsWith("Approval overdue") && message.getSubject().contains(key)
                    ? 1 : 0;
        }
        assertThat(overdueMails).isEqualTo(1);
    }

    @Test
    void suspensionDisablesThePartnerInKeycloakAndResumptionEnablesIt() throws Exception {
        String key = newKey();
        String contact = key + "@partner.example.org";
        activate(key, contact);

        HttpResponse<String> suspended = postJson("sofia.security", "/api/partnerships/" + key + "/suspension",
                Map.of("reason", "contract under dispute"));
        assertThat(suspended.statusCode()).as(suspended.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> stateOf(key) == LifecycleState.SUSPENDED);
        assertThat(keycloak.findUser(contact).orElseThrow().isEnabled()).isFalse();
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
        assertThat(keycloak.findUser(contact).orElseThrow().isEnabled()).isTrue();
    }

    @Test
    void terminationRevokesEveryIdentityWithItsReason() throws Exception {
        String key = newKey();
        String contact = key + "@partner.example.org";
        activate(key, contact);

        assertThat(postJson("sam.sponsor", "/api/partnerships/" + key + "/termination",
                Map.of("reason", "contract ended early")).statusCode()).as("only security officers terminate")
                .isEqualTo(403);
        assertThat(stateOf(key)).isEqualTo(LifecycleState.ACTIVE);
        assertThat(postJson("sofia.security", "/api/partnerships/" + key + "/termination",
                Map.of("reason", "contract ended early")).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> stateOf(key) == LifecycleState.REVOKED);
        Partnership revoked = partnerships.findById(key).orElseThrow();
        assertThat(revoked.getStateReason()).isEqualTo("contract ended early");
        assertThat(keycloak.findUser(contact).orElseThrow().isEnabled()).isFalse();
        PartnerIdentity person = identities.findByPartnershipKeyOrderById(key).get(0);
        assertThat(person.getState()).isEqualTo(LifecycleState.REVOKED);
        assertThat(person.getRevokedAt()).isNotNull();
        assertThat(audit.ofPartnership(key)).extracting(AuditEvent::getAction)
                .contains("IDENTITY_REVOKED", "PARTNERSHIP_REVOKED");
        await().atMost(Duration.ofSeconds(30)).until(() -> mailTo("ian.owner@example.com", key + " is revoked") != null);
    }

    @Test
    void scopeChangeIsReviewedWhileCurrentAccessStaysAndAppliedOnApproval() throws Exception {
        String key = newKey();
        activate(key, key + "@partner.example.org");
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
    void auditorsReadTheEvidenceOfAnIdentityAndTheVerifiedTrail() throws Exception {
        String key = newKey();
        activate(key, key + "@partner.example.org");
        String identityId = identities.findByPartnershipKeyOrderById(key).get(0).getId();

        HttpResponse<String> evidence = client().get("alice.auditor", "/api/identities/" + identityId + "/evidence");
        assertThat(evidence.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(evidence.body()).findValuesAsText("action")).containsExactly("IDENTITY_PROVISIONED");
        HttpResponse<String> verification = client().get("alice.auditor", "/api/audit/verification");
        assertThat(JSON.readTree(verification.body()).get("intact").asBoolean()).isTrue();

        assertThat(client().get("rita.requester", "/api/audit/verification").statusCode()).isEqualTo(403);

        JsonNode inventory = JSON.readTree(client().get("alice.auditor", "/api/identities?partnership=" + key).body());
        assertThat(inventory.get("total").asLong()).isEqualTo(1);
        JsonNode row = inventory.get("items").get(0);
        assertThat(row.get("id").asText()).isEqualTo(identityId);
        assertThat(row.get("state").asText()).isEqualTo("ACTIVE");
        assertThat(row.get("kind").asText()).isEqualTo("HUMAN");
        assertThat(row.get("approvedBy").asText()).isEqualTo("sam.sponsor");
        assertThat(row.get("purpose").asText()).contains("Primary contact");
        assertThat(JSON.readTree(client().get("alice.auditor", "/api/identities?state=REVOKED&partnership=" + key)
                .body()).get("total").asLong()).isZero();
        HttpResponse<String> badFilter = client().get("alice.auditor", "/api/identities?state=NOT_A_STATE");
        assertThat(badFilter.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badFilter.body()).get("errors").has("state")).isTrue();
        assertThat(client().get("rita.requester", "/api/identities").statusCode()).isEqualTo(403);
        assertThat(client().get("sam.sponsor", "/api/identities/" + identityId + "/evidence").statusCode()).isEqualTo(403);
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
        String key = newKey();
        activate(key, key + "@partner.example.org");
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
    }

    private void activate(String key, String contact) throws Exception {
        assertThat(post("rita.requester", request(key, contact)).statusCode()).isEqualTo(201);
        as("sam.sponsor", "sponsors");
        tasks.complete(approvalTask(key).getId(), Map.of(Variables.SPONSOR_APPROVED, true));
        identity.clearAuthentication();
        await().atMost(Duration.ofSeconds(60)).until(() -> stateOf(key) == LifecycleState.ACTIVE);
        await().atMost(Duration.ofSeconds(30)).until(() -> runtime.createExecutionQuery()
                .processInstanceBusinessKey(key).activityId(ProcessIds.TIMER_RECERTIFICATION_DUE).count() == 1);
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
        assertThat(keycloak.findUser(key + "@partner.example.org")).isEmpty();
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
        assertThat(keycloak.findUser("not-an-email")).isEmpty();
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
        return client().post(user, "/api/partnerships", body);
    }

    private HttpResponse<String> postJson(String user, String path, Map<String, ?> body) {
        return client().post(user, path, body);
    }

    private PartnerAccessClient client() {
        return new PartnerAccessClient(port, keycloakUrl);
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

    private static MimeMessage overdueMail(String key) throws Exception {
        MimeMessage mail = mailTo("sofia.security@example.com", key);
        return mail != null && mail.getSubject().startsWith("Approval overdue") ? mail : null;
    }

    private static String newKey() {
        return "acme-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
