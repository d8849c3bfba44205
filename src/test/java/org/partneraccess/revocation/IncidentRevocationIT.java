package org.partneraccess.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.representations.idm.UserRepresentation;
import org.partneraccess.LifecycleState;
import org.partneraccess.ProcessIds;
import org.partneraccess.audit.AuditEvent;
import org.partneraccess.dev.ManagedKeycloak;
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
import org.partneraccess.support.Mailbox;
import org.partneraccess.support.PartnerAccessTest;
import org.partneraccess.support.PartnerLogin;
import org.partneraccess.support.Tokens;
import org.springframework.beans.factory.annotation.Autowired;

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
        String instance = runtime.createProcessInstanceQuery().processInstanceBusinessKey(key)
                .processDefinitionKey(ProcessIds.PARTNERSHIP_PROCESS).singleResult().getId();

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
        String officer = Tokens.staff(fixtures.keycloakUrl(), "sofia.security");
        // the app has looked up the security officers before, as any earlier notice to them does
        assertThat(staff.emailsOfGroup(StaffGroups.SECURITY_OFFICERS)).contains(OFFICER_MAIL);
        String instance = runtime.createProcessInstanceQuery().processInstanceBusinessKey(key)
                .processDefinitionKey(ProcessIds.PARTNERSHIP_PROCESS).singleResult().getId();

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

    // ------------------------------------------------------------------ helpers

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
