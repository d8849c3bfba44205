package org.partneraccess.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.extension.keycloak.KeycloakIdentityProviderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.partneraccess.LifecycleState;
import org.partneraccess.ProcessIds;
import org.partneraccess.Variables;
import org.partneraccess.inventory.IdentityKind;
import org.partneraccess.inventory.internal.PartnerIdentityRepository;
import org.partneraccess.keycloak.KeycloakUnavailableException;
import org.partneraccess.machine.MachineFixtures;
import org.partneraccess.partnership.PartnershipService;
import org.partneraccess.security.StaffDirectory;
import org.partneraccess.support.EngineDoors;
import org.partneraccess.support.EngineDoors.Via;
import org.partneraccess.support.FrozenKeycloak;
import org.partneraccess.support.ItFixtures;
import org.partneraccess.support.Mailbox;
import org.partneraccess.support.PartnerAccessClient;
import org.partneraccess.support.PartnerAccessTest;
import org.partneraccess.support.SponsorApproval;
import org.partneraccess.support.Tokens;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Keycloak accepts connections and never answers (frozen) while a requester registers a machine and asks for a
 * partnership: each request is answered 503 with a problem document and Retry-After within the read timeout
 * ({@code partner-access.keycloak.read-timeout}, 5 s, which the staff realm's identity plugin is held to as well) and
 * changes nothing; once Keycloak answers again, the same requests succeed. The engine's two doors ({@code /engine-rest}
 * and Tasklist's session API) answer the same way, in the engine REST API's error shape.
 */
@PartnerAccessTest
@ExtendWith(OutputCaptureExtension.class)
class IdentityProviderOutageIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A few read timeouts: a request that waited for Keycloak without limit would never end. */
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(30);
    /** Two read timeouts: each of the engine's requests below asks the staff realm once. */
    private static final Duration ENGINE_ANSWER_WITHIN = Duration.ofSeconds(10);

    @Autowired
    ItFixtures fixtures;
    @Autowired
    PartnerIdentityRepository identities;
    @Autowired
    PartnershipService partnerships;
    @Autowired
    HistoryService history;
    @Autowired
    ProcessEngine engine;
    @Autowired
    StaffDirectory staff;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TaskService tasks;
    @Autowired
    IdentityService identity;

    @Test
    void whileKeycloakDoesNotAnswerRequestsAreRefusedWith503AndChangeNothingThenTheSameRequestsSucceed(
            CapturedOutput output) throws Exception {
        String key = fixtures.activePartnership();
        Map<String, Object> machine = new LinkedHashMap<>(
                MachineFixtures.registration("CLIENT_SECRET", null, "orders.read"));
        String workload = "Outage sync " + UUID.randomUUID().toString().substring(0, 8);
        machine.put("workloadName", workload);
        String newKey = "outage-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> partnership = PartnerAccessClient.validRequest(newKey, ItFixtures.contactOf(newKey));
        PartnerAccessClient client = fixtures.client();
        // tokens taken and validated now: the application keeps the staff realm's keys once it has checked a token
        String requester = Tokens.staff(fixtures.keycloakUrl(), "rita.requester");
        assertThat(client.getWithToken(requester, "/api/partnerships/" + key).statusCode()).isNotEqualTo(401);
        // the machine's owner was looked up a moment ago, so the identity plugin answers from its cache and the staff
        // realm's admin client is the first to wait for Keycloak; the partnership's sponsor is asked through the plugin
        assertThat(staff.exists("ian.owner")).isTrue();
        String machines = "/api/partnerships/" + key + "/machines";

        try (FrozenKeycloak frozen = FrozenKeycloak.freeze()) {
            HttpResponse<String> registered = assertTimeoutPreemptively(ANSWER_WITHIN,
                    () -> client.postWithToken(requester, machines, machine));
            assertUnavailable(registered);

            identityPluginCache().clearCache();
            HttpResponse<String> requested = assertTimeoutPreemptively(ANSWER_WITHIN,
                    () -> client.postWithToken(requester, "/api/partnerships", partnership));
            assertUnavailable(requested);
        }

        assertThat(identities.findByPartnershipKeyOrderById(key)).as("no machine in the registry")
                .noneMatch(identity -> identity.getKind() == IdentityKind.MACHINE);
        assertThat(history.createHistoricProcessInstanceQuery().processDefinitionKey(ProcessIds.MACHINE_ACCESS_PROCESS)
                .variableValueEquals(Variables.PARTNERSHIP_KEY, key).count()).as("no machine process").isZero();
        assertThat(jdbc.queryForObject("select count(*) from audit_event where partnership_key = ?"
                + " and action like 'MACHINE%'", Long.class, key)).as("no audit entry of a machine").isZero();
        assertThat(partnerships.find(newKey)).as("no partnership in the registry").isEmpty();
        assertThat(history.createHistoricProcessInstanceQuery().processInstanceBusinessKey(newKey).count())
                .as("no partnership process").isZero();
        assertThat(jdbc.queryForObject("select count(*) from audit_event where partnership_key = ?",
                Long.class, newKey)).as("no audit entry of the partnership").isZero();
        fixtures.awaitReceiptsSent();
        assertThat(Mailbox.naming(workload, newKey)).as("no mail").isEmpty();
        assertThat(warningsOf(output, "POST " + machines)).as(output.getOut()).hasSize(1)
                .allMatch(line -> line.contains("search staff user ian.owner failed: Keycloak not reachable"));
        assertThat(warningsOf(output, "POST /api/partnerships")).hasSize(1)
                .allMatch(line -> line.contains("staff realm lookup failed"));
        assertThat(output.getAll()).as("no token in the log").doesNotContain(requester);

        HttpResponse<String> registeredNow = client.postWithToken(requester, machines, machine);
        assertThat(registeredNow.statusCode()).as(registeredNow.body()).isEqualTo(201);
        HttpResponse<String> requestedNow = client.postWithToken(requester, "/api/partnerships", partnership);
        assertThat(requestedNow.statusCode()).as(requestedNow.body()).isEqualTo(201);
    }

    /**
     * A security officer approves a production partnership through {@code /engine-rest}, then through Tasklist's session
     * API: the step that records the approval asks the staff realm whether she is one, in the transaction of her
     * completion. Her group's task list asks the identity plugin for her groups. Each answers 503 with Retry-After, the
     * task stays open and the registry, the audit trail and the mailbox stay as they were; once Keycloak answers, the
     * same requests succeed.
     */
    @Test
    void whileKeycloakDoesNotAnswerTheEnginesDoorsAnswer503AndChangeNothingThenTheSameRequestsSucceed(
            CapturedOutput output) throws Exception {
        // writes in production: HIGH risk, so a security officer approves too, within 90 days
        String key = fixtures.partnership("outage-engine").with("environments", List.of("test", "production"))
                .with("clientScopes", List.of("orders.read", "orders.write"))
                .with("endDate", LocalDate.now().plusDays(80).toString()).requested();
        SponsorApproval.approve(tasks, identity, key);
        await().atMost(Duration.ofSeconds(60)).until(() -> officersTask(key) != null);
        String task = officersTask(key).getId();
        String officer = "sofia.security";
        EngineDoors doors = fixtures.doors();
        // her token and her Tasklist session taken now, as she holds them when Keycloak stops answering
        HttpResponse<String> claimed = doors.call(Via.ENGINE_REST, officer, "POST", "/task/" + task + "/claim",
                Map.of("userId", officer));
        assertThat(claimed.statusCode()).as(claimed.body()).isEqualTo(204);
        doors.signIn(officer);
        Map<String, Object> approval = Map.of("variables", Map.of(
                Variables.SECURITY_OFFICER_APPROVED, Map.of("value", true),
                Variables.SECURITY_OFFICER_COMMENT, Map.of("value", "Production access reviewed with the sponsor")));
        String complete = "/task/" + task + "/complete";
        String submitForm = "/task/" + task + "/submit-form";
        String groupTasks = "/task?candidateUser=" + officer;
        fixtures.awaitReceiptsSent();
        long audited = audited(key);
        List<String> mails = Mailbox.naming(key);

        try (FrozenKeycloak frozen = FrozenKeycloak.freeze()) {
            assertEngineUnavailable(frozenCall(doors, Via.ENGINE_REST, "POST", complete, approval));
            assertEngineUnavailable(frozenCall(doors, Via.TASKLIST_SESSION, "POST", submitForm, approval));
            assertEngineUnavailable(frozenCall(doors, Via.ENGINE_REST, "GET", groupTasks, null));
            assertEngineUnavailable(frozenCall(doors, Via.TASKLIST_SESSION, "GET", groupTasks, null));
        }

        assertThat(officersTask(key)).as("the task is still open, hers").isNotNull()
                .satisfies(open -> assertThat(open.getAssignee()).isEqualTo(officer));
        assertThat(partnerships.find(key)).as("the registry row").hasValueSatisfying(partnership ->
                assertThat(partnership.getState()).isEqualTo(LifecycleState.REQUESTED));
        assertThat(jdbc.queryForObject("select count(*) from decision where subject = ? and step = ?", Long.class,
                key, ProcessIds.TASK_APPROVE_AS_SECURITY_OFFICER)).as("no decision recorded").isZero();
        assertThat(audited(key)).as("no audit entry").isEqualTo(audited);
        fixtures.awaitReceiptsSent();
        assertThat(Mailbox.naming(key)).as("no mail").isEqualTo(mails);
        String engineRest = "/engine-rest";
        String tasklist = EngineDoors.TASKLIST_ENGINE;
        for (String request : List.of("POST " + engineRest + complete, "POST " + tasklist + submitForm,
                "GET " + engineRest + "/task", "GET " + tasklist + "/task")) {
            assertThat(warningsOf(output, request)).as(request).hasSize(1);
        }
        assertThat(warningsOf(output, "POST " + engineRest + complete))
                .allMatch(line -> line.contains("staff realm lookup failed"));
        assertThat(output.getOut()).as("the outage is no engine error").doesNotContain("ENGINE-16004");

        HttpResponse<String> listedNow = doors.call(Via.TASKLIST_SESSION, officer, "GET", groupTasks, null);
        assertThat(listedNow.statusCode()).as(listedNow.body()).isEqualTo(200);
        HttpResponse<String> completedNow = doors.call(Via.ENGINE_REST, officer, "POST", complete, approval);
        assertThat(completedNow.statusCode()).as(completedNow.body()).isEqualTo(204);
        assertThat(officersTask(key)).isNull();
        assertThat(partnerships.find(key).orElseThrow().getState()).isNotEqualTo(LifecycleState.REQUESTED);
    }

    private Task officersTask(String key) {
        return tasks.createTaskQuery().processInstanceBusinessKey(key)
                .taskDefinitionKey(ProcessIds.TASK_APPROVE_AS_SECURITY_OFFICER).singleResult();
    }

    private long audited(String key) {
        return jdbc.queryForObject("select count(*) from audit_event where partnership_key = ?", Long.class, key);
    }

    /** A call through one of the engine's doors while Keycloak is frozen, the identity plugin's cache emptied. */
    private HttpResponse<String> frozenCall(EngineDoors doors, Via via, String method, String path, Object body) {
        identityPluginCache().clearCache();
        return assertTimeoutPreemptively(ENGINE_ANSWER_WITHIN,
                () -> doors.call(via, "sofia.security", method, path, body));
    }

    /** The engine REST API's error shape, {@code type} and {@code message}, naming nothing of the inside. */
    private static void assertEngineUnavailable(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.uri() + ": " + response.body()).isEqualTo(503);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/json"));
        assertThat(response.headers().firstValue("Retry-After"))
                .hasValue(KeycloakUnavailableException.RETRY_AFTER_SECONDS);
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.get("type").asText()).isEqualTo("IdentityProviderUnavailable");
        assertThat(error.get("message").asText()).contains("did not answer", "not completed");
        assertThat(response.body()).doesNotContain("Exception", "org.partneraccess", "http://", "localhost");
    }

    private static void assertUnavailable(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/problem+json"));
        assertThat(response.headers().firstValue("Retry-After")).hasValue(KeycloakUnavailableException.RETRY_AFTER_SECONDS);
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("type").asText()).isEqualTo(ApiProblemHandler.IDENTITY_PROVIDER_UNAVAILABLE.toString());
        assertThat(problem.get("status").asInt()).isEqualTo(503);
        assertThat(problem.get("detail").asText()).contains("did not answer", "not completed");
        assertThat(response.body()).doesNotContain("Exception", "org.partneraccess", "http://");
    }

    /** The identity plugin's cache of staff lookups, which answers for a minute what it was asked before. */
    private KeycloakIdentityProviderFactory identityPluginCache() {
        ProcessEngineConfigurationImpl configuration =
                (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();
        return (KeycloakIdentityProviderFactory) configuration.getIdentityProviderSessionFactory();
    }

    /** The application's warnings that this request was answered 503. */
    private static List<String> warningsOf(CapturedOutput output, String request) {
        return output.getOut().lines().filter(line -> line.contains("WARN") && line.contains(request + " answered 503"))
                .toList();
    }
}
