package org.partneraccess.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.partneraccess.LifecycleState;
import org.partneraccess.ProcessIds;
import org.partneraccess.Variables;
import org.partneraccess.audit.AuditEvent;
import org.partneraccess.dev.DevMailServer;
import org.partneraccess.dev.ManagedKeycloak;
import org.partneraccess.inventory.AccessEndTrigger;
import org.partneraccess.inventory.IdentityKind;
import org.partneraccess.inventory.PartnerIdentity;
import org.partneraccess.inventory.internal.PartnerIdentityRepository;
import org.partneraccess.keycloak.PartnerClients;
import org.partneraccess.keycloak.PartnerUsers;
import org.partneraccess.keycloak.TokenProbe;
import org.partneraccess.partnership.PartnershipService;
import org.partneraccess.security.StaffDirectory;
import org.partneraccess.security.StaffGroups;
import org.partneraccess.support.EngineDoors;
import org.partneraccess.support.EngineDoors.Via;
import org.partneraccess.support.FrozenKeycloak;
import org.partneraccess.support.ItFixtures;
import org.partneraccess.support.KeycloakAdmin;
import org.partneraccess.support.Mailbox;
import org.partneraccess.support.PartnerAccessTest;
import org.partneraccess.support.PartnerLogin;
import org.partneraccess.support.Tokens;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A partner with 20 people and 10 machines holding sessions and tokens is cut off by one incident report; afterwards
 * every check of the verification holds in Keycloak, seen from outside as a partner and a resource server would.
 */
@PartnerAccessTest
class IncidentRevocationIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PEOPLE = 20;
    private static final int MACHINES = 10;
    private static final int SIGNED_IN = 5;
    private static final String PASSWORD = "Partner-Secret-1";
    private static final String OFFICER_MAIL = "sofia.security@example.com";

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
    PartnerClients partnerClients;
    @Autowired
    Keycloak admin;
    @Autowired
    TokenProbe probe;
    @Autowired
    StaffDirectory staff;
    @Autowired
    org.partneraccess.audit.AuditLog audit;
    @Autowired
    ItFixtures fixtures;
    @Autowired
    io.micrometer.core.instrument.MeterRegistry metrics;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PlatformTransactionManager transactions;
    @Value("${partner-access.recertification.deadline}")
    Duration recertificationDeadline;
    @Value("${partner-access.keycloak.partner-realm}")
    String partnerRealm;

    @Test
    void everyPersonAndMachineIsCutOffAndTheCutOffIsProven() throws Exception {
        String key = activePartnership();
        List<String> people = new ArrayList<>();
        for (int i = 0; i < PEOPLE; i++) {
            people.add(person(key, "p" + i + "." + key + "@partner.example.org"));
        }
        Map<String, String> secrets = new LinkedHashMap<>();
        for (int i = 0; i < MACHINES; i++) {
            String clientId = key + "-workload-" + i;
            fixtures.provisionedMachine(key, clientId);
            secrets.put(clientId, partnerClients.currentSecret(clientId).orElseThrow());
        }
        // before the incident: people signed in, machines holding tokens, all of them accepted
        List<String> earlierTokens = new ArrayList<>();
        for (String email : people.subList(0, SIGNED_IN)) {
            earlierTokens.add(new PartnerLogin(fixtures.keycloakUrl()).accessToken(email, PASSWORD).orElseThrow());
        }
        secrets.forEach((clientId, secret) -> earlierTokens.add(probe.clientCredentials(clientId, secret).orElseThrow()));
        assertThat(earlierTokens).allMatch(probe::active);

        Map<String, Long> callsBefore = keycloakCalls();
        HttpResponse<String> reported = fixtures.client().post("sofia.security", "/api/partnerships/" + key + "/incidents",
                Map.of("reason", "partner network compromised", "severity", "CRITICAL", "reporterReference", "SOC-1"));
        assertThat(reported.statusCode()).as(reported.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(90)).until(() -> verification(key) != null);
        // the people's and machines' processes follow the cut-off without calling Keycloak for them again
        List<String> instances = runtime.createProcessInstanceQuery()
                .processDefinitionKeyIn(ProcessIds.HUMAN_ACCESS_PROCESS, ProcessIds.MACHINE_ACCESS_PROCESS)
                .variableValueEquals(org.partneraccess.Variables.PARTNERSHIP_KEY, key).list().stream()
                .map(org.camunda.bpm.engine.runtime.ProcessInstance::getId).toList();
        await().atMost(Duration.ofSeconds(90)).until(() -> instances.stream()
                .allMatch(id -> management.createJobQuery().processInstanceId(id).executable().count() == 0));
        Map<String, Long> callsAfter = keycloakCalls();
        assertThat(callsAfter.getOrDefault(LOGOUT, 0L) - callsBefore.getOrDefault(LOGOUT, 0L))
                .as("each person logged out once").isEqualTo(PEOPLE + 1);
        assertThat(callsAfter.getOrDefault(NEW_SECRET, 0L) - callsBefore.getOrDefault(NEW_SECRET, 0L))
                .as("each machine's secret replaced once").isEqualTo(MACHINES);

        JsonNode verification = verification(key);
        assertThat(verification.get("result").asText()).startsWith("verified: users=" + (PEOPLE + 1)
                + " (enabled 0, with sessions 0); clients=" + MACHINES + " (enabled 0); registry open=0");
        assertThat(partnerships.get(key).getState()).isEqualTo(LifecycleState.SUSPENDED);
        assertThat(identities.findByPartnershipKeyOrderById(key)).extracting(PartnerIdentity::getState)
                .containsOnly(LifecycleState.REVOKED);
        for (String email : people) {
            UserRepresentation user = partnerUsers.findUser(email).orElseThrow();
            assertThat(user.isEnabled()).as(email).isFalse();
            assertThat(partnerUsers.sessionCount(user.getId())).as(email).isZero();
        }
        assertThat(earlierTokens).noneMatch(probe::active);
        secrets.forEach((clientId, secret) -> {
            assertThat(partnerClients.findClient(clientId).orElseThrow().isEnabled()).as(clientId).isFalse();
            assertThat(probe.clientCredentials(clientId, secret)).as("old secret of " + clientId).isEmpty();
        });
        assertThat(new PartnerLogin(fixtures.keycloakUrl()).signIn(people.get(0), PASSWORD))
                .isEqualTo(PartnerLogin.Outcome.REFUSED);
        assertThat(runtime.createIncidentQuery().incidentType(UnrevokedAccessAlarm.INCIDENT_TYPE).count()).isZero();

        HttpResponse<String> again = fixtures.client().post("sofia.security", "/api/partnerships/" + key + "/incidents",
                Map.of("reason", "partner network compromised", "severity", "CRITICAL"));
        assertThat(again.statusCode()).as("a second report changes nothing").isEqualTo(409);
        assertThat(partnerships.get(key).getState()).isEqualTo(LifecycleState.SUSPENDED);
    }

    /**
     * The ordinary case: the people's and machines' processes of an active partnership are told of the incident once,
     * by the verification (their jobs would otherwise queue ahead of it), not by the cut-off as well: a machine told
     * twice would lose its retention, and the owners would be mailed twice.
     */
    @Test
    void anIncidentTellsEachPersonsAndMachinesProcessOnce() throws Exception {
        Partner partner = partnerWithProcesses("t");
        String key = partner.key();

        assertThat(reportAndAwaitVerdict(key)).startsWith(VERIFIED_CONTACT_PERSON_AND_MACHINE);
        assertRevokedInRegistryAndKeycloak(key);
        assertEachProcessToldOnce(partner);
    }

    /**
     * A partnership that is suspended already when the incident comes: the sweep suspended it for a missed review while
     * a Camunda administrator held its process instance, so its people and machines wait suspended while the instance,
     * activated again, runs its active period and takes the report before the next sweep catches it up. The cut-off
     * does not move the partnership then; its people's and machines' processes are told all the same, once.
     */
    @Test
    void anIncidentOnAnAlreadySuspendedPartnershipEndsItsPeoplesAndMachinesProcesses() throws Exception {
        Partner partner = partnerWithProcesses("w");
        String key = partner.key();
        String instance = partnershipInstance(key);
        EngineDoors doors = fixtures.doors();
        HttpResponse<String> held = doors.call(Via.ENGINE_REST, EngineDoors.ADMINISTRATOR, "PUT",
                "/process-instance/" + instance + "/suspended", Map.of("suspended", true));
        assertThat(held.statusCode()).as(held.body()).isEqualTo(204);

        // the review falls due and its deadline passes: the sweep suspends the partnership, its person and its machine
        jdbc.update("update partnership set next_review_at = ? where partnership_key = ?", Instant.now()
                .minus(recertificationDeadline).minusSeconds(1).atOffset(ZoneOffset.UTC), key);
        await().atMost(Duration.ofSeconds(30)).until(() -> partnerships.get(key).getState() == LifecycleState.SUSPENDED);
        awaitWaitingIn(partner.person(), ProcessIds.RECEIVE_TASK_AWAIT_PARTNERSHIP_RESUMPTION);
        awaitWaitingIn(partner.machine(), ProcessIds.RECEIVE_TASK_AWAIT_MACHINE_RESUMPTION);
        assertThat(identities.findByPartnershipKeyOrderById(key)).extracting(PartnerIdentity::getState)
                .containsOnly(LifecycleState.SUSPENDED);

        // activated again, the instance runs its active period: no sweep catches it up before the report
        try (AutoCloseable sweepHeld = holdTheSweep()) {
            HttpResponse<String> activated = doors.call(Via.ENGINE_REST, EngineDoors.ADMINISTRATOR, "PUT",
                    "/process-instance/" + instance + "/suspended", Map.of("suspended", false));
            assertThat(activated.statusCode()).as(activated.body()).isEqualTo(204);
            assertThat(runtime.createExecutionQuery().processInstanceId(instance)
                    .activityId(ProcessIds.TIMER_RECERTIFICATION_DUE).count()).as("still in its active period").isOne();
            assertThat(reportAndAwaitVerdict(key)).startsWith(VERIFIED_CONTACT_PERSON_AND_MACHINE);
        }
        assertThat(partnerships.get(key).getStateReason()).as("suspended before the incident")
                .isEqualTo(PartnershipAccessService.RECERTIFICATION_MISSED);
        assertRevokedInRegistryAndKeycloak(key);
        assertEachProcessToldOnce(partner);
    }

    /**
     * A partnership a security officer suspended: its person and machine still hold credentials (disabled, not revoked:
     * a resumption would enable them again). Its process takes the report in the resumption wait, cuts them off and
     * verifies it in Keycloak as in the active period, tells each identity process once, and waits for the resumption
     * again; the dashboard lists it as suspended by an incident.
     */
    @Test
    void anIncidentOnAPartnershipSuspendedThroughTheApiRevokesAndVerifiesWhatItsPeopleAndMachinesHold()
            throws Exception {
        Partner partner = partnerWithProcesses("s");
        String key = partner.key();
        String instance = suspendThroughTheApi(partner);

        assertThat(reportAndAwaitVerdict(key)).startsWith(VERIFIED_CONTACT_PERSON_AND_MACHINE);

        assertThat(partnerships.get(key).getState()).isEqualTo(LifecycleState.SUSPENDED);
        assertRevokedInRegistryAndKeycloak(key);
        assertThat(jdbc.queryForList("select action from audit_event where partnership_key = ? and actor = ?",
                String.class, key, "sofia.security")).contains("INCIDENT_REPORTED", "IDENTITY_CUT_OFF")
                .doesNotContain("INCIDENT_PROCESS_UNAVAILABLE");
        assertEachProcessToldOnce(partner);
        await().atMost(Duration.ofSeconds(30)).until(() -> runtime.createExecutionQuery().processInstanceId(instance)
                .activityId(ProcessIds.RECEIVE_TASK_AWAIT_RESUMPTION).count() == 1);
        // what the dashboard's "suspended by a partner incident" list reads: the cut-off after the suspension
        assertThat(startOf(instance, "Task_CutOffAllAccess")).isAfterOrEqualTo(startOf(instance, "Task_SuspendPartnership"));
        String auditBefore = jdbc.queryForObject("select count(*) from audit_event where partnership_key = ?",
                String.class, key);
        HttpResponse<String> again = fixtures.client().post("sofia.security", "/api/partnerships/" + key
                + "/incidents", Map.of("reason", "partner network compromised", "severity", "CRITICAL"));
        assertThat(again.statusCode()).as("nothing left to cut off: " + again.body()).isEqualTo(409);
        assertThat(jdbc.queryForObject("select count(*) from audit_event where partnership_key = ?", String.class, key))
                .as("a refused report changes nothing").isEqualTo(auditBefore);
        assertThat(passedThrough(instance, "Task_CutOffAllAccess")).isOne();
    }

    private static final String LOGOUT = "POST /admin/realms/{realm}/users/{id}/logout";
    private static final String NEW_SECRET = "POST /admin/realms/{realm}/clients/{id}/client-secret";

    /** Keycloak calls so far by method and URI template (the application's own request metric). */
    private Map<String, Long> keycloakCalls() {
        Map<String, Long> calls = new java.util.TreeMap<>();
        metrics.find("partner.access.keycloak.requests").timers().forEach(timer -> calls.merge(
                timer.getId().getTag("method") + " " + timer.getId().getTag("uri"), timer.count(), Long::sum));
        return calls;
    }

    @Test
    void aSecuritySystemReportsWithClientCredentialsAndNothingElseMay() throws Exception {
        String key = activePartnership();
        String email = person(key, "q." + key + "@partner.example.org");
        Map<String, Object> incident = Map.of("reason", "impossible travel alert", "severity", "HIGH");
        String path = "/api/partnerships/" + key + "/incidents";

        assertThat(fixtures.client().post("rita.requester", path, incident).statusCode()).isEqualTo(403);
        JsonNode token = Tokens.request(fixtures.keycloakUrl(), "staff", Map.of("grant_type", "client_credentials",
                "client_id", "partner-access-incident-reporter",
                "client_secret", ManagedKeycloak.current().secret(ManagedKeycloak.INCIDENT_REPORTER_SECRET_ENV)));
        String siem = token.get("access_token").asText();
        assertThat(fixtures.client().postWithToken(siem, "/api/partnerships/" + key + "/termination", Map.of("reason", "x"))
                .statusCode()).as("reporting incidents is all it may do").isEqualTo(403);
        HttpResponse<String> reported = fixtures.client().postWithToken(siem, path, incident);
        assertThat(reported.statusCode()).as(reported.body()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(60)).until(() -> verification(key) != null);
        assertThat(partnerUsers.findUser(email).orElseThrow().isEnabled()).isFalse();
        assertThat(identities.findByPartnershipKeyOrderById(key)).extracting(PartnerIdentity::getState)
                .containsOnly(LifecycleState.REVOKED);
    }

    /**
     * A Camunda administrator suspends the partnership's process instance, so no process can take a report: the
     * incident is cut off all the same, at once, from the registry, and the audit says the process was unavailable.
     * The administrator works through either door: {@code /engine-rest} with a token, or Cockpit's session API.
     */
    @ParameterizedTest(name = "suspended via {0}")
    @EnumSource(Via.class)
    void anIncidentIsCutOffWhenAnAdministratorSuspendedThePartnershipsProcess(Via via) throws Exception {
        anIncidentIsCutOffDespite(Tampering.SUSPEND_INSTANCE, via);
    }

    /** The same when the administrator deleted the partnership's process instance, skipping its listeners. */
    @ParameterizedTest(name = "deleted via {0}")
    @EnumSource(Via.class)
    void anIncidentIsCutOffWhenAnAdministratorDeletedThePartnershipsProcess(Via via) throws Exception {
        anIncidentIsCutOffDespite(Tampering.DELETE_INSTANCE, via);
    }

    /**
     * The same when the administrator suspended the cut-off step itself (its job definition, as Cockpit offers): the
     * process takes the report, but its cut-off would wait for the step; the report cuts off from the registry at once.
     * Once the step runs again, the process finds nothing left and its verification holds.
     */
    @ParameterizedTest(name = "cut-off step suspended via {0}")
    @EnumSource(Via.class)
    void anIncidentIsCutOffWhenAnAdministratorSuspendedTheCutOffStep(Via via) throws Exception {
        anIncidentIsCutOffDespite(Tampering.SUSPEND_STEP, via);
    }

    private void anIncidentIsCutOffDespite(Tampering tampering, Via via) throws Exception {
        String key = activePartnership();
        String email = person(key, "r." + key + "@partner.example.org");
        String earlierToken = new PartnerLogin(fixtures.keycloakUrl()).accessToken(email, PASSWORD).orElseThrow();
        String clientId = key + "-workload-s";
        fixtures.provisionedMachine(key, clientId);
        String secret = partnerClients.currentSecret(clientId).orElseThrow();
        String instance = partnershipInstance(key);

        try (Tampered tampered = tamper(via, tampering, instance, "Task_CutOffAllAccess")) {
            HttpResponse<String> reported = fixtures.client().post("sofia.security", "/api/partnerships/" + key + "/incidents",
                    Map.of("reason", "partner network compromised", "severity", "CRITICAL"));
            assertThat(reported.statusCode()).as(reported.body()).isEqualTo(202);
            // cut off when the answer came, by the report itself, not later by a job
            assertThat(JSON.readTree(reported.body()).get("unrevoked")).as("cut off by the report: " + reported.body())
                    .isNotNull().isEmpty();
            UserRepresentation user = partnerUsers.findUser(email).orElseThrow();
            assertThat(user.isEnabled()).isFalse();
            assertThat(partnerUsers.sessionCount(user.getId())).isZero();
            // the cut-off is a person's revocation as every path does it: no role is left behind
            assertThat(partnerUsers.partnerRolesOfUser(user.getId())).as("the person's roles").isEmpty();
            assertThat(probe.active(earlierToken)).as("the person's earlier token").isFalse();
            assertThat(new PartnerLogin(fixtures.keycloakUrl()).signIn(email, PASSWORD))
                    .isEqualTo(PartnerLogin.Outcome.REFUSED);
            assertThat(partnerClients.findClient(clientId).orElseThrow().isEnabled()).isFalse();
            assertThat(probe.clientCredentials(clientId, secret)).as("the old secret").isEmpty();
            assertThat(identities.findByPartnershipKeyOrderById(key)).extracting(PartnerIdentity::getState)
                    .containsOnly(LifecycleState.REVOKED);
            assertThat(partnerships.get(key).getState()).isEqualTo(LifecycleState.SUSPENDED);
            assertThat(audit.ofPartnership(key)).extracting(AuditEvent::getAction)
                    .contains("INCIDENT_PROCESS_UNAVAILABLE", "IDENTITY_CUT_OFF");
            assertThat(audit.ofPartnership(key)).filteredOn(event -> event.getAction().equals("IDENTITY_CUT_OFF"))
                    .extracting(AuditEvent::getActor).containsOnly("sofia.security");
            assertThat(audit.ofPartnership(key)).filteredOn(event -> event.getAction().equals("IDENTITY_CUT_OFF"))
                    .hasSize(identities.findByPartnershipKeyOrderById(key).size());
            assertThat(audit.firstBrokenEntry()).as("the audit chain").isNull();
            assertThat(Mailbox.newest(OFFICER_MAIL, "Incident on " + key)).as("no alarm: nothing was left unrevoked").isNull();
            // the evidence the process's verification gives, from Keycloak, when the answer came
            assertThat(verification(key)).as("verified by the report").isNotNull();
            assertThat(verification(key).get("result").asText()).startsWith("verified: users=2 (enabled 0, with sessions 0)");

            HttpResponse<String> again = fixtures.client().post("sofia.security", "/api/partnerships/" + key + "/incidents",
                    Map.of("reason", "partner network compromised", "severity", "CRITICAL"));
            assertThat(again.statusCode()).as("a second report changes nothing: " + again.body()).isEqualTo(409);
        }
        if (tampering == Tampering.SUSPEND_STEP) {
            await().atMost(Duration.ofSeconds(60)).until(() -> verification(key) != null);
            assertThat(verification(key).get("result").asText()).startsWith("verified: ");
            assertThat(partnerships.get(key).getState()).isEqualTo(LifecycleState.SUSPENDED);
            assertThat(audit.ofPartnership(key)).filteredOn(event -> event.getAction().equals("IDENTITY_CUT_OFF"))
                    .as("cut off once").hasSize(identities.findByPartnershipKeyOrderById(key).size());
            assertThat(audit.firstBrokenEntry()).as("the audit chain").isNull();
        }
    }

    /**
     * The report cuts off by itself while a Camunda administrator holds the cut-off step, and tells the people's and
     * machines' processes then; once the step runs again and its verification follows, they are not told a second
     * time: the machine keeps its disabled client for the retention, and each owner hears of it once.
     */
    @Test
    void anIncidentCutOffByTheReportTellsEachProcessOnceWhenTheHeldStepRunsAgain() throws Exception {
        Partner partner = partnerWithProcesses("x");
        String key = partner.key();
        String instance = partnershipInstance(key);

        java.util.Date reportedAt;
        try (Tampered tampered = tamper(Via.ENGINE_REST, Tampering.SUSPEND_STEP, instance,
                ProcessIds.TASK_CUT_OFF_ALL_ACCESS)) {
            reportedAt = new java.util.Date();
            HttpResponse<String> reported = fixtures.client().post("sofia.security", "/api/partnerships/" + key
                    + "/incidents", Map.of("reason", "partner network compromised", "severity", "CRITICAL"));
            assertThat(reported.statusCode()).as(reported.body()).isEqualTo(202);
            assertThat(JSON.readTree(reported.body()).get("unrevoked")).as("cut off by the report").isNotNull().isEmpty();
            // the machine's process has followed the report's cut-off before the step runs again
            awaitWaitingIn(partner.machine(), ProcessIds.GATEWAY_AWAIT_RETENTION);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> verification(key) != null);
        assertThat(verification(key).get("result").asText()).startsWith(VERIFIED_CONTACT_PERSON_AND_MACHINE);
        assertRevokedInRegistryAndKeycloak(key);
        assertEachProcessToldOnce(partner, reportedAt);
    }

    /**
     * A suspended partnership whose cut-off step an administrator holds: its process takes the report in the resumption
     * wait, but would wait for the step; the report cuts its people and machines off from the registry at once, and the
     * held step, once it runs, finds nothing left and verifies it.
     */
    @Test
    void anIncidentOnASuspendedPartnershipIsCutOffWhenAnAdministratorSuspendedTheCutOffStep() throws Exception {
        Partner partner = partnerWithProcesses("h");
        String key = partner.key();
        String instance = suspendThroughTheApi(partner);

        try (Tampered tampered = tamper(Via.ENGINE_REST, Tampering.SUSPEND_STEP, instance,
                ProcessIds.TASK_CUT_OFF_ALL_ACCESS)) {
            HttpResponse<String> reported = fixtures.client().post("sofia.security", "/api/partnerships/" + key
                    + "/incidents", Map.of("reason", "partner network compromised", "severity", "CRITICAL"));
            assertThat(reported.statusCode()).as(reported.body()).isEqualTo(202);
            assertThat(JSON.readTree(reported.body()).get("unrevoked")).as("cut off by the report: " + reported.body())
                    .isNotNull().isEmpty();
            assertThat(identities.findByPartnershipKeyOrderById(key)).extracting(PartnerIdentity::getState)
                    .containsOnly(LifecycleState.REVOKED);
            assertThat(audit.ofPartnership(key)).extracting(AuditEvent::getAction)
                    .contains("INCIDENT_PROCESS_UNAVAILABLE", "IDENTITY_CUT_OFF");
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> verification(key) != null);
        assertThat(verification(key).get("result").asText()).startsWith(VERIFIED_CONTACT_PERSON_AND_MACHINE);
        assertThat(partnerships.get(key).getState()).isEqualTo(LifecycleState.SUSPENDED);
        assertRevokedInRegistryAndKeycloak(key);
        assertThat(audit.firstBrokenEntry()).as("the audit chain").isNull();
    }

    /**
     * The same for one person whose own process an administrator deleted, skipping its listeners, through either
     * door: the identity incident is cut off from the registry at once.
     */
    @ParameterizedTest(name = "deleted via {0}")
    @EnumSource(Via.class)
    void anIdentityIncidentIsCutOffWhenItsProcessIsGone(Via via) throws Exception {
        anIdentityIncidentIsCutOffDespite(Tampering.DELETE_INSTANCE, via);
    }

    /** The same when the administrator suspended the person's revocation step (its job definition). */
    @ParameterizedTest(name = "revocation step suspended via {0}")
    @EnumSource(Via.class)
    void anIdentityIncidentIsCutOffWhenAnAdministratorSuspendedItsRevocationStep(Via via) throws Exception {
        anIdentityIncidentIsCutOffDespite(Tampering.SUSPEND_STEP, via);
    }

    private void anIdentityIncidentIsCutOffDespite(Tampering tampering, Via via) throws Exception {
        String key = activePartnership();
        String email = "s." + key + "@partner.example.org";
        String id = personWithProcess(key, email);
        String earlierToken = new PartnerLogin(fixtures.keycloakUrl()).accessToken(email, PASSWORD).orElseThrow();
        String instance = runtime.createProcessInstanceQuery().processInstanceBusinessKey(id)
                .processDefinitionKey(ProcessIds.HUMAN_ACCESS_PROCESS).singleResult().getId();

        try (Tampered tampered = tamper(via, tampering, instance, "Task_RevokeAfterAccessEnds")) {
            HttpResponse<String> reported = fixtures.client().post("sofia.security", "/api/identities/" + id + "/incidents",
                    Map.of("reason", "credentials phished", "severity", "HIGH"));
            assertThat(reported.statusCode()).as(reported.body()).isEqualTo(202);
            assertThat(JSON.readTree(reported.body()).path("revoked").asBoolean()).as("cut off by the report: "
                    + reported.body()).isTrue();
            UserRepresentation user = partnerUsers.findUser(email).orElseThrow();
            assertThat(user.isEnabled()).isFalse();
            assertThat(partnerUsers.sessionCount(user.getId())).isZero();
            assertThat(probe.active(earlierToken)).as("the person's earlier token").isFalse();
            assertThat(new PartnerLogin(fixtures.keycloakUrl()).signIn(email, PASSWORD))
                    .isEqualTo(PartnerLogin.Outcome.REFUSED);
            PartnerIdentity revoked = identities.findById(id).orElseThrow();
            assertThat(revoked.getState()).isEqualTo(LifecycleState.REVOKED);
            assertThat(revoked.getStateReason()).isEqualTo("incident: HIGH: credentials phished");
            assertThat(partnerships.get(key).getState()).as("one person's incident").isEqualTo(LifecycleState.ACTIVE);
            assertThat(audit.ofIdentity(id)).extracting(AuditEvent::getAction)
                    .contains("INCIDENT_PROCESS_UNAVAILABLE", "IDENTITY_CUT_OFF");
            assertThat(audit.ofIdentity(id)).filteredOn(event -> event.getAction().equals("IDENTITY_CUT_OFF"))
                    .extracting(AuditEvent::getActor).containsExactly("sofia.security");
            assertThat(audit.firstBrokenEntry()).as("the audit chain").isNull();

            HttpResponse<String> again = fixtures.client().post("sofia.security", "/api/identities/" + id + "/incidents",
                    Map.of("reason", "credentials phished", "severity", "HIGH"));
            assertThat(again.statusCode()).as("nothing left to revoke: " + again.body()).isEqualTo(409);
        }
        if (tampering == Tampering.SUSPEND_STEP) {
            // the step runs once resumed: it finds the person revoked, keeps the incident's reason and ends the process
            await().atMost(Duration.ofSeconds(60)).until(() -> runtime.createProcessInstanceQuery()
                    .processInstanceId(instance).count() == 0);
            assertThat(identities.findById(id).orElseThrow().getStateReason()).isEqualTo("incident: HIGH: credentials phished");
            assertThat(partnerUsers.findUser(email).orElseThrow().isEnabled()).isFalse();
            assertThat(audit.firstBrokenEntry()).as("the audit chain").isNull();
        }
    }

    /**
     * One person whose process an administrator deleted, reported while Keycloak does not answer: nothing will try
     * again, so the report says so and the security officers are mailed, naming the person, before the answer.
     */
    @Test
    void anIdentityIncidentNoProcessCanRetryWhileKeycloakDoesNotAnswerIsMailedToTheOfficers() throws Exception {
        String key = activePartnership();
        String id = personWithProcess(key, "t." + key + "@partner.example.org");
        String officer = officerBeforeTheFreeze();
        String instance = runtime.createProcessInstanceQuery().processInstanceBusinessKey(id)
                .processDefinitionKey(ProcessIds.HUMAN_ACCESS_PROCESS).singleResult().getId();
        try (Tampered tampered = tamper(Via.ENGINE_REST, Tampering.DELETE_INSTANCE, instance, null);
             FrozenKeycloak frozen = FrozenKeycloak.freeze()) {
            HttpResponse<String> reported = fixtures.client().postWithToken(officer, "/api/identities/" + id
                    + "/incidents", Map.of("reason", "credentials phished", "severity", "HIGH"));
            assertThat(reported.statusCode()).as(reported.body()).isEqualTo(202);
            assertThat(JSON.readTree(reported.body()).path("revoked").asBoolean(true)).as(reported.body()).isFalse();
            MimeMessage alarm = Mailbox.newest(OFFICER_MAIL, "Incident on " + key);
            assertThat(alarm).as("mailed before the answer").isNotNull();
            assertThat(alarm.getContent().toString()).contains(id);
            assertThat(identities.findById(id).orElseThrow().getState()).isNotEqualTo(LifecycleState.REVOKED);
        }
    }

    /** What a Camunda administrator does to a process through the engine's API before an incident is reported. */
    private enum Tampering {
        /** suspends its instance */
        SUSPEND_INSTANCE,
        /** deletes its instance, skipping its listeners (as Cockpit offers) */
        DELETE_INSTANCE,
        /** suspends the job definition of the step that would revoke, with its jobs (as Cockpit offers) */
        SUSPEND_STEP
    }

    /** Undoes what lasts beyond the test: a suspended job definition is shared by every instance of its version. */
    private interface Tampered extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * The administrator tampers with the process instance through the given door, once it is at rest (notices and
     * invitations sent): afterwards no active instance takes a report, or the step that would revoke is suspended.
     */
    private Tampered tamper(Via via, Tampering tampering, String instance, String step) {
        await().atMost(Duration.ofSeconds(60)).until(() -> management.createJobQuery().processInstanceId(instance)
                .executable().count() == 0);
        EngineDoors doors = fixtures.doors();
        HttpResponse<String> answer;
        Tampered undo = () -> { };
        switch (tampering) {
            case SUSPEND_INSTANCE -> answer = doors.call(via, "adam.admin", "PUT", "/process-instance/" + instance
                    + "/suspended", Map.of("suspended", true));
            case DELETE_INSTANCE -> answer = doors.call(via, "adam.admin", "DELETE", "/process-instance/" + instance
                    + "?skipCustomListeners=true&skipIoMappings=true", null);
            default -> {
                String definition = runtime.createProcessInstanceQuery().processInstanceId(instance).singleResult()
                        .getProcessDefinitionId();
                String jobDefinition = management.createJobDefinitionQuery().processDefinitionId(definition)
                        .activityIdIn(step).singleResult().getId();
                answer = doors.call(via, "adam.admin", "PUT", "/job-definition/" + jobDefinition + "/suspended",
                        Map.of("suspended", true, "includeJobs", true));
                undo = () -> management.activateJobDefinitionById(jobDefinition, true);
            }
        }
        try {
            assertThat(answer.statusCode()).as("the administrator may: " + tampering + " " + answer.body()).isEqualTo(204);
            if (tampering == Tampering.SUSPEND_STEP) {
                assertThat(management.createJobDefinitionQuery().activityIdIn(step).suspended().count()).isPositive();
            } else {
                assertThat(runtime.createProcessInstanceQuery().processInstanceId(instance).active().count()).isZero();
            }
        } catch (AssertionError failed) {
            undo.close();
            throw failed;
        }
        return undo;
    }

    /**
     * Keycloak stops answering before the report: nothing can be revoked, and the incident says so in Cockpit and in a
     * mail naming every identity; a second report changes nothing. When Keycloak answers again, the retry loop revokes
     * everything and the verification holds.
     */
    @Test
    void whileKeycloakDoesNotAnswerTheIncidentStaysOpenAndTheCutOffIsRetriedUntilComplete() throws Exception {
        String key = activePartnership();
        List<String> people = List.of(person(key, "r1." + key + "@partner.example.org"),
                person(key, "r2." + key + "@partner.example.org"));
        String clientId = key + "-workload";
        fixtures.provisionedMachine(key, clientId);
        String oldSecret = partnerClients.currentSecret(clientId).orElseThrow();
        List<String> open = identities.findByPartnershipKeyOrderById(key).stream().map(PartnerIdentity::getId).toList();
        String officer = officerBeforeTheFreeze();
        String instance = partnershipInstance(key);

        try (FrozenKeycloak frozen = FrozenKeycloak.freeze()) {
            Map<String, Object> incident = Map.of("reason", "credential dump found", "severity", "CRITICAL");
            HttpResponse<String> reported = fixtures.client().postWithToken(officer, "/api/partnerships/" + key + "/incidents", incident);
            assertThat(reported.statusCode()).as(reported.body()).isEqualTo(202);

            await().atMost(Duration.ofSeconds(60)).until(() -> unrevokedAccessIncidents(instance) == 1);
            String cockpit = runtime.createIncidentQuery().processInstanceId(instance)
                    .incidentType(UnrevokedAccessAlarm.INCIDENT_TYPE).singleResult().getIncidentMessage();
            assertThat(cockpit).startsWith(open.size() + " identities of " + key + " not yet revoked");
            assertThat(open).allMatch(cockpit::contains);
            await().atMost(Duration.ofSeconds(30)).until(() -> Mailbox.newest(OFFICER_MAIL, "Incident on " + key) != null);
            String mail = Mailbox.newest(OFFICER_MAIL, "Incident on " + key).getContent().toString();
            assertThat(open).allMatch(mail::contains);
            assertThat(identities.findByPartnershipKeyOrderById(key)).extracting(PartnerIdentity::getState)
                    .doesNotContain(LifecycleState.REVOKED);

            HttpResponse<String> again = fixtures.client().postWithToken(officer, "/api/partnerships/" + key + "/incidents", incident);
            assertThat(again.statusCode()).as("a second report changes nothing").isEqualTo(409);
        }

        await().atMost(Duration.ofSeconds(120)).until(() -> verification(key) != null);
        assertThat(verification(key).get("result").asText()).startsWith("verified: users=" + (people.size() + 1)
                + " (enabled 0, with sessions 0); clients=1 (enabled 0); registry open=0");
        assertThat(identities.findByPartnershipKeyOrderById(key)).extracting(PartnerIdentity::getState)
                .containsOnly(LifecycleState.REVOKED);
        for (String email : people) {
            assertThat(partnerUsers.findUser(email).orElseThrow().isEnabled()).as(email).isFalse();
        }
        assertThat(partnerClients.findClient(clientId).orElseThrow().isEnabled()).isFalse();
        assertThat(probe.clientCredentials(clientId, oldSecret)).as("the old secret").isEmpty();
        assertThat(unrevokedAccessIncidents(instance)).as("the Cockpit incident is resolved").isZero();
    }

    /**
     * No process can take the report (an administrator suspended the partnership's instance) while Keycloak does not
     * answer: the report names what it could not revoke and the security officers are mailed at once, as no process
     * will try again; the person's and machine's processes, told of it, revoke it when Keycloak answers again.
     */
    @Test
    void withNoProcessAndNoKeycloakTheReportNamesWhatIsLeftAndTheOfficersAreMailedAtOnce() throws Exception {
        Partner partner = partnerWithProcesses("n");
        String key = partner.key();
        String officer = officerBeforeTheFreeze();
        try (Tampered tampered = tamper(Via.ENGINE_REST, Tampering.SUSPEND_INSTANCE, partnershipInstance(key), null)) {
            try (FrozenKeycloak frozen = FrozenKeycloak.freeze()) {
                HttpResponse<String> reported = fixtures.client().postWithToken(officer, "/api/partnerships/" + key
                        + "/incidents", Map.of("reason", "credential dump found", "severity", "CRITICAL"));
                assertThat(reported.statusCode()).as(reported.body()).isEqualTo(202);
                assertThat(JSON.readTree(reported.body()).get("unrevoked")).extracting(JsonNode::asText)
                        .contains(partner.person(), partner.machine());
                MimeMessage alarm = Mailbox.newest(OFFICER_MAIL, "Incident on " + key);
                assertThat(alarm).as("mailed before the answer").isNotNull();
                assertThat(alarm.getContent().toString()).contains(partner.person(), partner.machine());
                assertThat(jdbc.queryForObject("select count(*) from audit_event where partnership_key = ? and action = ?",
                        Integer.class, key, "INCIDENT_VERIFIED")).as("nothing verified while Keycloak does not answer")
                        .isZero();
            }
            await().atMost(Duration.ofSeconds(120)).until(() -> Stream.of(partner.person(), partner.machine())
                    .allMatch(id -> identities.findById(id).orElseThrow().getState() == LifecycleState.REVOKED));
        }
        UserRepresentation person = partnerUsers.findUser(identities.findById(partner.person()).orElseThrow()
                .getEmail()).orElseThrow();
        assertThat(person.isEnabled()).isFalse();
        assertThat(partnerClients.findClient(identities.findById(partner.machine()).orElseThrow().getKeycloakName())
                .orElseThrow().isEnabled()).isFalse();
        assertThat(audit.firstBrokenEntry()).as("the audit chain").isNull();
    }

    // ------------------------------------------------------------------ helpers

    private static final String VERIFIED_CONTACT_PERSON_AND_MACHINE =
            "verified: users=2 (enabled 0, with sessions 0); clients=1 (enabled 0); registry open=0";

    /** Reports a partner incident through the API and waits for the verification's verdict, which it returns. */
    private String reportAndAwaitVerdict(String key) throws Exception {
        HttpResponse<String> reported = fixtures.client().post("sofia.security", "/api/partnerships/" + key + "/incidents",
                Map.of("reason", "partner network compromised", "severity", "CRITICAL"));
        assertThat(reported.statusCode()).as(reported.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(90)).until(() -> verification(key) != null);
        return verification(key).get("result").asText();
    }

    /** An active partnership with a person and a machine whose processes run, at rest. */
    private record Partner(String key, String person, String machine) {
    }

    private Partner partnerWithProcesses(String personPrefix) {
        String key = activePartnership();
        String person = fixtures.activePerson(key, personPrefix + "." + key + "@partner.example.org");
        String machine = fixtures.activeMachine(key).get("id").asText();
        awaitAtRest(person, machine);
        return new Partner(key, person, machine);
    }

    /**
     * A security officer's suspension through the API, once the partnership's, the person's and the machine's processes
     * wait for the resumption.
     *
     * @return the partnership's process instance
     */
    private String suspendThroughTheApi(Partner partner) {
        assertThat(fixtures.client().post("sofia.security", "/api/partnerships/" + partner.key() + "/suspension",
                Map.of("reason", "audit finding")).statusCode()).isEqualTo(202);
        String instance = partnershipInstance(partner.key());
        await().atMost(Duration.ofSeconds(30)).until(() -> runtime.createExecutionQuery().processInstanceId(instance)
                .activityId(ProcessIds.RECEIVE_TASK_AWAIT_RESUMPTION).count() == 1);
        awaitWaitingIn(partner.person(), ProcessIds.RECEIVE_TASK_AWAIT_PARTNERSHIP_RESUMPTION);
        awaitWaitingIn(partner.machine(), ProcessIds.RECEIVE_TASK_AWAIT_MACHINE_RESUMPTION);
        return instance;
    }

    /**
     * A security officer's token, taken before Keycloak is frozen; the application has looked up the security officers
     * before, as any earlier notice to them does, so an alarm during the freeze has their addresses.
     */
    private String officerBeforeTheFreeze() {
        String officer = Tokens.staff(fixtures.keycloakUrl(), "sofia.security");
        assertThat(staff.emailsOfGroup(StaffGroups.SECURITY_OFFICERS)).contains(OFFICER_MAIL);
        return officer;
    }

    private String partnershipInstance(String key) {
        return runtime.createProcessInstanceQuery().processInstanceBusinessKey(key)
                .processDefinitionKey(ProcessIds.PARTNERSHIP_PROCESS).singleResult().getId();
    }

    /** Waits until the processes of these identities have no job to run: notices and invitations sent. */
    private void awaitAtRest(String... identityIds) {
        for (String id : identityIds) {
            await().atMost(Duration.ofSeconds(60)).until(() -> runtime.createProcessInstanceQuery()
                    .processInstanceBusinessKey(id).list().stream().allMatch(instance -> management.createJobQuery()
                            .processInstanceId(instance.getId()).executable().count() == 0));
        }
    }

    private void awaitWaitingIn(String identityId, String activityId) {
        await().atMost(Duration.ofSeconds(30)).until(() -> runtime.createExecutionQuery()
                .processInstanceBusinessKey(identityId).activityId(activityId).count() == 1);
    }

    /**
     * Holds the expiry sweep's row, as a sweep in progress on another node does: meanwhile no sweep runs here, so
     * none tells the partnership's process of its suspension.
     */
    private AutoCloseable holdTheSweep() throws InterruptedException {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> otherNode = CompletableFuture.runAsync(() -> new TransactionTemplate(transactions)
                .executeWithoutResult(status -> {
                    jdbc.queryForList("select name from expiry_sweep for update", String.class);
                    held.countDown();
                    try {
                        release.await(2, TimeUnit.MINUTES);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
        assertThat(held.await(30, TimeUnit.SECONDS)).as("the sweep held").isTrue();
        return () -> {
            release.countDown();
            otherNode.get(1, TimeUnit.MINUTES);
        };
    }

    /** Every identity of the partnership REVOKED, and disabled in Keycloak as its administrator reads it. */
    private void assertRevokedInRegistryAndKeycloak(String key) {
        List<PartnerIdentity> all = identities.findByPartnershipKeyOrderById(key);
        assertThat(all).extracting(PartnerIdentity::getState).containsOnly(LifecycleState.REVOKED);
        RealmResource realm = KeycloakAdmin.realm(partnerRealm);
        for (PartnerIdentity each : all) {
            if (each.getKind() == IdentityKind.HUMAN) {
                assertThat(realm.users().get(each.getKeycloakId()).toRepresentation().isEnabled())
                        .as("Keycloak user of %s", each.getEmail()).isFalse();
                assertThat(realm.users().get(each.getKeycloakId()).getUserSessions())
                        .as("sessions of %s", each.getEmail()).isEmpty();
            } else {
                List<ClientRepresentation> clients = realm.clients().findByClientId(each.getKeycloakName());
                assertThat(clients).as("Keycloak client %s", each.getKeycloakName()).hasSize(1);
                assertThat(clients.get(0).isEnabled()).as("Keycloak client %s", each.getKeycloakName()).isFalse();
            }
        }
    }

    /**
     * The person's and the machine's processes each took the partner incident's access-ends message once, from the
     * verification step: the person's left its wait and ended revoked, the machine's keeps its disabled client for the
     * retention (a second message would delete it at once); each revocation notice went out once.
     */
    private void assertEachProcessToldOnce(Partner partner) throws Exception {
        assertEachProcessToldOnce(partner, history.createHistoricActivityInstanceQuery()
                .processInstanceId(historicInstance(partner.key(), ProcessIds.PARTNERSHIP_PROCESS))
                .activityId("Task_VerifyRevocation").singleResult().getStartTime());
    }

    /** As above, told at or after {@code toldFrom}. */
    private void assertEachProcessToldOnce(Partner partner, java.util.Date toldFrom) throws Exception {
        String key = partner.key();
        String person = partner.person();
        String machine = partner.machine();
        await("the person's process took the access-ends message and ended").atMost(Duration.ofSeconds(60))
                .until(() -> runtime.createProcessInstanceQuery().processInstanceBusinessKey(person).count() == 0);
        String personInstance = historicInstance(person, ProcessIds.HUMAN_ACCESS_PROCESS);
        assertThat(passedThrough(personInstance, "StartEvent_AccessEnds")).as("told once").isOne();
        assertThat(startOf(personInstance, "StartEvent_AccessEnds")).as("told no earlier than %s", toldFrom)
                .isAfterOrEqualTo(toldFrom);
        assertThat(passedThrough(personInstance, "EndEvent_RevokedAfterAccessEnds")).isOne();
        assertThat(revocationTrigger(personInstance)).isEqualTo(AccessEndTrigger.PARTNER_INCIDENT.name());

        String machineInstance = historicInstance(machine, ProcessIds.MACHINE_ACCESS_PROCESS);
        await("the machine's process took the access-ends message and told its owner").atMost(Duration.ofSeconds(60))
                .until(() -> history.createHistoricActivityInstanceQuery().processInstanceId(machineInstance)
                        .activityId("Task_NotifyMachineRevoked").finished().count() > 0);
        assertThat(runtime.createExecutionQuery().processInstanceId(machineInstance)
                .activityId(ProcessIds.RECEIVE_TASK_AWAIT_MACHINE_RESUMPTION).count()).isZero();
        assertThat(passedThrough(machineInstance, ProcessIds.BOUNDARY_ACCESS_ENDS)).as("told once").isOne();
        assertThat(startOf(machineInstance, ProcessIds.BOUNDARY_ACCESS_ENDS)).as("told no earlier than %s", toldFrom)
                .isAfterOrEqualTo(toldFrom);
        assertThat(revocationTrigger(machineInstance)).isEqualTo(AccessEndTrigger.PARTNER_INCIDENT.name());

        PartnerIdentity personRow = identities.findById(person).orElseThrow();
        String personNotice = "Access for " + personRow.getDisplayName() + " (" + key + ") is revoked";
        List<String> personMails = Stream.of(personRow.getOwner(), personRow.getRequestedBy()).distinct()
                .map(user -> staff.email(user).orElseThrow()).toList();
        PartnerIdentity machineRow = identities.findById(machine).orElseThrow();
        String machineNotice = "Machine " + machineRow.getKeycloakName() + " is revoked";
        String ownerMail = staff.email(machineRow.getOwner()).orElseThrow();
        await().atMost(Duration.ofSeconds(30)).until(() -> mailCount(ownerMail, machineNotice) > 0
                && personMails.stream().allMatch(mail -> mailCount(mail, personNotice) > 0));
        // nothing tells them again: the machine still waits out its retention, each notice went out once
        assertThat(passedThrough(machineInstance, "MessageEvent_AccessEndsDuringRetention"))
                .as("access ends again during the retention").isZero();
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> runtime.createExecutionQuery()
                .processInstanceId(machineInstance).activityId(ProcessIds.GATEWAY_AWAIT_RETENTION).count() == 1);
        assertThat(partnerClients.findClient(machineRow.getKeycloakName())).as("kept for the retention").isPresent();
        assertThat(mailCount(ownerMail, machineNotice)).as(machineNotice).isOne();
        for (String mail : personMails) {
            assertThat(mailCount(mail, personNotice)).as(personNotice + " to " + mail).isOne();
        }
    }

    private String historicInstance(String businessKey, String processDefinitionKey) {
        return history.createHistoricProcessInstanceQuery().processInstanceBusinessKey(businessKey)
                .processDefinitionKey(processDefinitionKey).singleResult().getId();
    }

    private long passedThrough(String processInstanceId, String activityId) {
        return history.createHistoricActivityInstanceQuery().processInstanceId(processInstanceId).activityId(activityId)
                .count();
    }

    private java.util.Date startOf(String processInstanceId, String activityId) {
        return history.createHistoricActivityInstanceQuery().processInstanceId(processInstanceId).activityId(activityId)
                .singleResult().getStartTime();
    }

    private Object revocationTrigger(String processInstanceId) {
        return history.createHistoricVariableInstanceQuery().processInstanceId(processInstanceId)
                .variableName(Variables.REVOCATION_TRIGGER).singleResult().getValue();
    }

    /** Mails to the recipient with this subject, each once: the mail server keeps a copy per recipient. */
    private static long mailCount(String recipient, String subject) {
        try {
            java.util.Set<String> mails = new java.util.HashSet<>();
            for (MimeMessage message : DevMailServer.current().receivedMessages()) {
                if (message.getSubject().contains(subject) && java.util.Arrays.stream(message.getAllRecipients())
                        .anyMatch(address -> address.toString().equals(recipient))) {
                    mails.add(message.getMessageID());
                }
            }
            return mails.size();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private long unrevokedAccessIncidents(String processInstanceId) {
        return runtime.createIncidentQuery().processInstanceId(processInstanceId)
                .incidentType(UnrevokedAccessAlarm.INCIDENT_TYPE).count();
    }

    private String activePartnership() {
        return fixtures.partnership("inc").active();
    }

    /** A provisioned person who has accepted the terms and set a password (done here by the admin, for speed). */
    private String person(String key, String email) {
        fixtures.provisionedPerson(key, email);
        fixtures.readyToSignIn(email, PASSWORD);
        return email;
    }

    /**
     * A person requested through the API and approved by the sponsor, so that a {@code HumanAccessProcess} instance
     * holds the access; signed in once (the terms and password set by the admin, for speed). Returns the identity id.
     */
    private String personWithProcess(String key, String email) {
        String id = fixtures.activePerson(key, email);
        fixtures.readyToSignIn(email, PASSWORD);
        return id;
    }

    private JsonNode verification(String key) throws Exception {
        HttpResponse<String> response = fixtures.client().get("alice.auditor", "/api/partnerships/" + key);
        JsonNode found = JSON.readTree(response.body()).get("lastIncidentVerification");
        return found == null || found.isNull() ? null : found;
    }
}
