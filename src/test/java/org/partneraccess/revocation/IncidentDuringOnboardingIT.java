package org.partneraccess.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.history.HistoricJobLog;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.partneraccess.LifecycleState;
import org.partneraccess.ProcessIds;
import org.partneraccess.audit.AuditEvent;
import org.partneraccess.audit.AuditLog;
import org.partneraccess.inventory.PartnerIdentity;
import org.partneraccess.inventory.internal.PartnerIdentityRepository;
import org.partneraccess.keycloak.PartnerClients;
import org.partneraccess.keycloak.PartnerUsers;
import org.partneraccess.keycloak.TokenProbe;
import org.partneraccess.machine.MachineFixtures;
import org.partneraccess.machine.MachineFixtures.PartnerKey;
import org.partneraccess.partnership.PartnershipService;
import org.partneraccess.support.ItFixtures;
import org.partneraccess.support.PartnerAccessClient;
import org.partneraccess.support.PartnerAccessTest;
import org.partneraccess.support.PartnerLogin;
import org.partneraccess.support.SponsorApproval;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The attacker here is timing: an incident is reported while people are still being invited and machines still
 * provisioned, their jobs in flight. Every identity ends revoked in the registry and in Keycloak, every earlier token
 * is inactive, the cut-off fails no job on a conflicting write, and nothing the in-flight jobs do afterwards enables
 * anything again. No timing is asserted (that is the benchmark's).
 */
@PartnerAccessTest
class IncidentDuringOnboardingIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PEOPLE = 10;
    private static final int MACHINES = 5;
    private static final String PASSWORD = "Partner-Secret-1";

    @Autowired
    TaskService tasks;
    @Autowired
    IdentityService identity;
    @Autowired
    RuntimeService runtime;
    @Autowired
    ManagementService management;
    @Autowired
    HistoryService history;
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
    AuditLog audit;
    @Autowired
    ItFixtures fixtures;

    @Test
    void anIncidentReportedWhilePeopleAreInvitedAndMachinesProvisionedRevokesEverythingAndNothingComesBack()
            throws Exception {
        PartnerAccessClient client = fixtures.client();
        String key = fixtures.activePartnership();
        // held before the incident, with live credentials, so the token checks below cannot pass on nothing
        String signedIn = "held." + key + "@partner.example.org";
        fixtures.provisionedPerson(key, signedIn);
        fixtures.readyToSignIn(signedIn, PASSWORD);
        List<String> earlierTokens = new ArrayList<>();
        earlierTokens.add(new PartnerLogin(fixtures.keycloakUrl()).accessToken(signedIn, PASSWORD).orElseThrow());
        String heldClient = key + "-held";
        fixtures.provisionedMachine(key, heldClient);
        earlierTokens.add(probe.clientCredentials(heldClient, partnerClients.currentSecret(heldClient).orElseThrow()).orElseThrow());

        // people requested; their sponsor tasks open (the policy decided)
        List<String> people = new ArrayList<>();
        for (int i = 0; i < PEOPLE; i++) {
            people.add(fixtures.requestPerson(key, "p" + i + "." + key + "@partner.example.org"));
        }
        await().atMost(Duration.ofSeconds(120)).until(() -> people.stream().allMatch(id -> tasks.createTaskQuery()
                .processInstanceBusinessKey(id).taskDefinitionKey(ProcessIds.TASK_APPROVE_AS_SPONSOR).count() == 1));
        // machines registered (approved by the policy, provisioned by jobs), then the people approved one after
        // another, and the report follows at once
        Map<String, PartnerKey> machineKeys = new LinkedHashMap<>();
        for (int i = 0; i < MACHINES; i++) {
            PartnerKey partnerKey = PartnerKey.generate();
            HttpResponse<String> created = client.post("rita.requester", "/api/partnerships/" + key + "/machines",
                    MachineFixtures.registration("SIGNED_JWT", partnerKey, "orders.read"));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            machineKeys.put(field(created, "clientId"), partnerKey);
        }
        for (String id : people) {
            SponsorApproval.approve(tasks, identity, id);
        }
        long inFlight = jobsOf(key);
        long notYetActive = identities.findByPartnershipKeyOrderById(key).stream()
                .filter(found -> found.getState() != LifecycleState.ACTIVE).count();
        HttpResponse<String> reported = client.post("sofia.security", "/api/partnerships/" + key + "/incidents",
                Map.of("reason", "partner build system compromised", "severity", "CRITICAL"));
        assertThat(reported.statusCode()).as(reported.body()).isEqualTo(202);
        assertThat(inFlight).as("jobs of the partner's people and machines were waiting or running at the report")
                .isPositive();

        await().atMost(Duration.ofSeconds(120)).until(() -> verification(client, key) != null);
        assertThat(verification(client, key).get("result").asText()).startsWith("verified: ");
        // the in-flight jobs finish (or are ended by the identities' own revocation): nothing left to run
        await().atMost(Duration.ofSeconds(120)).until(() -> jobsOf(key) == 0);

        List<PartnerIdentity> all = identities.findByPartnershipKeyOrderById(key);
        assertThat(all).hasSize(1 + 1 + 1 + PEOPLE + MACHINES); // contact, held person, held machine, the rest
        assertThat(all).extracting(PartnerIdentity::getState).containsOnly(LifecycleState.REVOKED);
        assertThat(partnerships.get(key).getState()).isEqualTo(LifecycleState.SUSPENDED);

        List<UserRepresentation> users = partnerUsers.findUsersOfPartnership(key);
        assertThat(users).as("the contact and the held person at least").hasSizeGreaterThanOrEqualTo(2);
        for (UserRepresentation user : users) {
            assertThat(user.isEnabled()).as(user.getUsername()).isFalse();
            assertThat(partnerUsers.sessionCount(user.getId())).as(user.getUsername()).isZero();
        }
        List<ClientRepresentation> clients = partnerClients.findClientsOfPartnership(key);
        assertThat(clients).extracting(ClientRepresentation::getClientId).contains(heldClient);
        assertThat(clients).allSatisfy(found -> assertThat(found.isEnabled()).as(found.getClientId()).isFalse());
        assertThat(earlierTokens).noneMatch(probe::active);
        machineKeys.forEach((clientId, partnerKey) -> assertThat(
                MachineFixtures.tokenWithKey(fixtures.keycloakUrl(), clientId, partnerKey).statusCode()).as(clientId)
                        .isNotEqualTo(200));
        assertThat(new PartnerLogin(fixtures.keycloakUrl()).signIn(signedIn, PASSWORD))
                .isEqualTo(PartnerLogin.Outcome.REFUSED);

        Map<String, Long> cutOffs = audit.ofPartnership(key).stream()
                .filter(event -> event.getAction().equals("IDENTITY_CUT_OFF"))
                .collect(Collectors.groupingBy(AuditEvent::getIdentityId, Collectors.counting()));
        assertThat(cutOffs).as("one cut-off entry per identity").hasSize(all.size())
                .allSatisfy((identityId, entries) -> assertThat(entries).as(identityId).isEqualTo(1L));
        assertThat(audit.firstBrokenEntry()).as("the audit chain").isNull();

        // the cut-off failed on nothing: no job of the partnership's process failed, none retried on a conflict
        List<String> instances = instancesOf(key);
        String partnershipInstance = history.createHistoricProcessInstanceQuery().processInstanceBusinessKey(key)
                .processDefinitionKey(ProcessIds.PARTNERSHIP_PROCESS).singleResult().getId();
        assertThat(history.createHistoricJobLogQuery().processInstanceId(partnershipInstance).failureLog().list())
                .as("failed jobs of the partnership's process").isEmpty();
        List<HistoricJobLog> failures = new ArrayList<>();
        for (String instance : instances) {
            failures.addAll(history.createHistoricJobLogQuery().processInstanceId(instance).failureLog().list());
        }
        assertThat(failures).as("no job of the partner failed on optimistic locking").noneMatch(failure ->
                String.valueOf(failure.getJobExceptionMessage()).contains("ptimistic"));
        for (String instance : instances) {
            assertThat(runtime.createIncidentQuery().processInstanceId(instance).count()).as("incidents of " + instance)
                    .isZero();
        }

        // later still, nothing enabled again: Keycloak and the registry as they were once the jobs were done
        Map<String, Boolean> usersEnabled = users.stream().collect(Collectors.toMap(UserRepresentation::getId,
                user -> partnerUsers.findUserById(user.getId()).map(UserRepresentation::isEnabled).orElse(false)));
        assertThat(usersEnabled).doesNotContainValue(true);
        assertThat(partnerUsers.findUsersOfPartnership(key)).noneMatch(UserRepresentation::isEnabled);
        assertThat(partnerClients.findClientsOfPartnership(key)).noneMatch(ClientRepresentation::isEnabled);
        assertThat(identities.findByPartnershipKeyOrderById(key)).extracting(PartnerIdentity::getState)
                .containsOnly(LifecycleState.REVOKED);
        System.out.println("Incident during onboarding: " + inFlight + " jobs in flight and " + notYetActive
                + " identities not yet provisioned at the report, "
                + failures.size() + " job failures of identity processes: " + failures.stream()
                .map(HistoricJobLog::getJobExceptionMessage).toList());
    }

    /** Jobs of the partnership's instances that can still run: waiting, running or due for a retry. */
    private long jobsOf(String key) {
        return instancesOf(key).stream().mapToLong(instance -> management.createJobQuery().processInstanceId(instance)
                .executable().count()).sum();
    }

    /** The partnership's process and those of its people and machines, running or ended. */
    private List<String> instancesOf(String key) {
        List<String> ids = new ArrayList<>(history.createHistoricProcessInstanceQuery().processInstanceBusinessKey(key)
                .list().stream().map(HistoricProcessInstance::getId).toList());
        identities.findByPartnershipKeyOrderById(key).forEach(found -> history.createHistoricProcessInstanceQuery()
                .processInstanceBusinessKey(found.getId()).list().forEach(instance -> ids.add(instance.getId())));
        return ids;
    }

    private static String accessToken(HttpResponse<String> token) {
        return field(token, "access_token");
    }

    private static String field(HttpResponse<String> response, String name) {
        try {
            return JSON.readTree(response.body()).get(name).asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode verification(PartnerAccessClient client, String key) throws Exception {
        HttpResponse<String> response = client.get("alice.auditor", "/api/partnerships/" + key);
        JsonNode found = JSON.readTree(response.body()).get("lastIncidentVerification");
        return found == null || found.isNull() ? null : found;
    }
}
