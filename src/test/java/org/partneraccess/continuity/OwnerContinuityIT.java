package org.partneraccess.continuity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.mail.internet.MimeMessage;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.UserResource;
import org.keycloak.representations.idm.UserRepresentation;
import org.partneraccess.InvalidRequestException;
import org.partneraccess.LifecycleState;
import org.partneraccess.ProcessIds;
import org.partneraccess.Variables;
import org.partneraccess.audit.AuditEvent;
import org.partneraccess.audit.AuditLog;
import org.partneraccess.dev.DevMailServer;
import org.partneraccess.inventory.internal.PartnerIdentityRepository;
import org.partneraccess.keycloak.PartnerClients;
import org.partneraccess.keycloak.PartnerUsers;
import org.partneraccess.machine.MachineFixtures;
import org.partneraccess.partnership.PartnershipService;
import org.partneraccess.support.ItFixtures;
import org.partneraccess.support.KeycloakAdmin;
import org.partneraccess.support.PartnerAccessClient;
import org.partneraccess.support.PartnerAccessTest;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Owner continuity against the real Keycloak: a staff user who sponsors a partnership and owns a machine leaves the
 * staff realm; the check opens one reassignment task for the security officers; a successor takes over, or the
 * deadline suspends the partnership and its identities in the partner realm.
 */
@PartnerAccessTest
class OwnerContinuityIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    OwnerContinuity continuity;
    @Autowired
    TaskService tasks;
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
    AuditLog audit;

    @Autowired
    ItFixtures fixtures;

    PartnerAccessClient client;

    @BeforeEach
    void client() {
        client = fixtures.client();
    }

    @AfterEach
    void clearAuthentication() {
        identity.clearAuthentication();
    }

    @Test
    void aSponsorWhoLeftIsReplacedOnceBySecurityOfficersAndBadSuccessorsChangeNothing() throws Exception {
        String dora = staffUser("dora");
        String key = activePartnership(dora);
        JsonNode machine = registerMachine(key, dora);
        String machineId = machine.get("id").asText();
        await().atMost(Duration.ofSeconds(60)).until(() -> identities.findById(machineId).orElseThrow().getState()
                == LifecycleState.ACTIVE);
        assertThat(continuity.detect()).as("still enabled").doesNotContain(dora);

        setEnabled(dora, false);
        assertThat(continuity.detect()).contains(dora);
        assertThat(continuity.detect()).as("a second run opens no second one").doesNotContain(dora);
        List<Task> open = tasks.createTaskQuery().processDefinitionKey(ProcessIds.OWNER_REASSIGNMENT_PROCESS)
                .processInstanceBusinessKey(dora).taskCandidateGroup("security-officers").list();
        assertThat(open).hasSize(1);
        Task task = open.get(0);
        assertThat(task.getTaskDefinitionKey()).isEqualTo(ProcessIds.TASK_REASSIGN_OWNERSHIP);
        assertThat((String) runtime.getVariable(task.getProcessInstanceId(), OwnerReassignmentVariables.AFFECTED_SUMMARY))
                .contains("Partnership " + key, "sponsor", machineId, "owner");
        // once for the partnership, once for each identity the person owned: the machine and the partner contact
        assertThat(audit.ofPartnership(key)).filteredOn(event -> event.getIdentityId() == null)
                .extracting(AuditEvent::getAction).containsOnlyOnce("OWNER_DEPARTED");
        assertThat(audit.ofIdentity(machineId)).extracting(AuditEvent::getAction).containsOnlyOnce("OWNER_DEPARTED");

        // refused, each naming the field; the task stays open and nothing changes
        assertRefused(task, "nobody.at.all", "successor: nobody.at.all is not a known staff user");
        assertRefused(task, dora, "is the person who left");
        assertRefused(task, "ada-" + key + "@partner.example.org", "is not a known staff user");
        assertRefused(task, "ian.owner", "ian.owner is not in the sponsors group");
        assertRefused(task, "sarah.sponsor", "sarah.sponsor requested partnership " + key + " and cannot be its sponsor");
        assertThat(partnerships.get(key).getSponsor()).isEqualTo(dora);
        assertThat(identities.findById(machineId).orElseThrow().getOwner()).isEqualTo(dora);
        assertThat(audit.ofPartnership(key)).extracting(AuditEvent::getAction).doesNotContain("OWNERSHIP_TRANSFERRED");

        complete(task, "sam.sponsor");

        await().atMost(Duration.ofSeconds(30)).until(() -> "sam.sponsor".equals(partnerships.get(key).getSponsor()));
        assertThat(identities.findById(machineId).orElseThrow().getOwner()).isEqualTo("sam.sponsor");
        ProcessInstance partnershipProcess = runtime.createProcessInstanceQuery()
                .processDefinitionKey(ProcessIds.PARTNERSHIP_PROCESS).processInstanceBusinessKey(key).singleResult();
        assertThat(runtime.getVariable(partnershipProcess.getId(), Variables.SPONSOR)).isEqualTo("sam.sponsor");
        ProcessInstance machineProcess = runtime.createProcessInstanceQuery()
                .processDefinitionKey(ProcessIds.MACHINE_ACCESS_PROCESS).processInstanceBusinessKey(machineId).singleResult();
        assertThat(runtime.getVariable(machineProcess.getId(), Variables.OWNER)).isEqualTo("sam.sponsor");
        await().atMost(Duration.ofSeconds(30)).until(() -> runtime.createProcessInstanceQuery()
                .processInstanceId(task.getProcessInstanceId()).count() == 0);
        assertThat(audit.ofPartnership(key)).filteredOn(e -> e.getAction().equals("OWNERSHIP_TRANSFERRED")
                        && e.getIdentityId() == null)
                .singleElement().satisfies(e -> {
                    assertThat(e.getActor()).isEqualTo("sofia.security");
                    assertThat(e.getDetail()).contains("from=" + dora, "to=sam.sponsor", "sponsor");
                });
        assertThat(audit.ofIdentity(machineId)).extracting(AuditEvent::getAction).containsOnlyOnce("OWNERSHIP_TRANSFERRED");
        assertThat(partnerships.get(key).getState()).isEqualTo(LifecycleState.ACTIVE);
        assertThat(continuity.detect()).as("nothing names her any more").doesNotContain(dora);
    }

    @Test
    void whenNobodyTakesOverInTimeThePartnershipAndItsIdentitiesAreSuspended() throws Exception {
        String erik = staffUser("erik");
        String key = activePartnership(erik);
        JsonNode machine = registerMachine(key, erik);
        String machineId = machine.get("id").asText();
        String clientId = machine.get("clientId").asText();
        await().atMost(Duration.ofSeconds(60)).until(() -> identities.findById(machineId).orElseThrow().getState()
                == LifecycleState.ACTIVE);

        KeycloakAdmin.staffUser(erik).remove();
        assertThat(continuity.detect()).contains(erik);
        ProcessInstance reassignment = runtime.createProcessInstanceQuery()
                .processDefinitionKey(ProcessIds.OWNER_REASSIGNMENT_PROCESS).processInstanceBusinessKey(erik).singleResult();
        assertThat(runtime.getVariable(reassignment.getId(), OwnerReassignmentVariables.DEPARTURE)).isEqualTo("DELETED");

        management.executeJob(management.createJobQuery().processInstanceId(reassignment.getId()).timers()
                .singleResult().getId());

        await().atMost(Duration.ofSeconds(60)).until(() -> partnerships.get(key).getState() == LifecycleState.SUSPENDED);
        await().atMost(Duration.ofSeconds(60)).until(() -> !partnerClients.findClient(clientId).orElseThrow().isEnabled());
        for (UserRepresentation person : partnerUsers.findUsersOfPartnership(key)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> !partnerUsers.findUserById(person.getId()).orElseThrow().isEnabled());
        }
        assertThat(partnerUsers.findUsersOfPartnership(key)).isNotEmpty();
        await().atMost(Duration.ofSeconds(30)).until(() -> mail("sofia.security@example.com",
                "Partner access of " + erik + " suspended") != null);
        assertThat(mail("sofia.security@example.com", "Partner access of " + erik + " suspended").getContent().toString())
                .contains(key, machineId);
        assertThat(partnerships.get(key).getStateReason()).contains("nobody took over from " + erik);
        assertThat(audit.ofPartnership(key)).extracting(AuditEvent::getAction)
                .containsSubsequence("OWNER_DEPARTED", "OWNERLESS_ACCESS_SUSPENDED");
        assertThat(tasks.createTaskQuery().processInstanceId(reassignment.getId()).count()).isZero();
        assertThat(partnerships.get(key).getSponsor()).as("nobody took over").isEqualTo(erik);
    }

    private void assertRefused(Task task, String successor, String message) {
        assertThatThrownBy(() -> complete(task, successor)).hasRootCauseInstanceOf(InvalidRequestException.class)
                .hasMessageContaining(message);
        assertThat(tasks.createTaskQuery().taskId(task.getId()).count()).isEqualTo(1);
    }

    private void complete(Task task, String successor) {
        identity.setAuthentication("sofia.security", List.of("security-officers"));
        try {
            tasks.complete(task.getId(), Map.of(OwnerReassignmentVariables.SUCCESSOR, successor));
        } finally {
            identity.clearAuthentication();
        }
    }

    /** A staff user made for the test: a sponsor who also owns identities. */
    private static String staffUser(String name) {
        return KeycloakAdmin.createStaffUser(name, "/sponsors", "/identity-owners");
    }

    private void setEnabled(String username, boolean enabled) {
        UserResource account = KeycloakAdmin.staffUser(username);
        UserRepresentation user = account.toRepresentation();
        user.setEnabled(enabled);
        account.update(user);
    }

    private String activePartnership(String sponsor) {
        // requested by a sponsor, who therefore can never become its sponsor
        ItFixtures.PartnershipRequest request = fixtures.partnership("cont").with("sponsor", sponsor)
                .requestedBy("sarah.sponsor");
        return request.with("contactEmail", "ada-" + request.key() + "@partner.example.org").active();
    }

    /** A low-risk read-only workload: provisioned by the policy alone. */
    private JsonNode registerMachine(String key, String owner) {
        Map<String, Object> body = MachineFixtures.registration("CLIENT_SECRET", null, "orders.read");
        body.put("workloadName", "Order sync of " + key);
        body.put("owner", owner);
        return fixtures.registerMachine(key, body);
    }

    private static MimeMessage mail(String recipient, String subjectContains) throws Exception {
        MimeMessage found = null;
        for (MimeMessage message : DevMailServer.current().receivedMessages()) {
            if (message.getSubject().contains(subjectContains) && Arrays.stream(message.getAllRecipients())
                    .anyMatch(address -> address.toString().equals(recipient))) {
                found = message;
            }
        }
        return found;
    }
}
