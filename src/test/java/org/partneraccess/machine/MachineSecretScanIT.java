package org.partneraccess.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.partneraccess.machine.MachineFixtures.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.partneraccess.LifecycleState;
import org.partneraccess.ProcessIds;
import org.partneraccess.inventory.AccessEndTrigger;
import org.partneraccess.inventory.IdentityProcesses;
import org.partneraccess.inventory.internal.PartnerIdentityRepository;
import org.partneraccess.keycloak.PartnerClients;
import org.partneraccess.partnership.PartnershipService;
import org.partneraccess.support.DatabaseScan;
import org.partneraccess.support.ItFixtures;
import org.partneraccess.support.PartnerAccessClient;
import org.partneraccess.support.PartnerAccessTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A secret client's whole life — registration, the owner's collection, rotation, a second collection, an incident,
 * deletion — and then a search for its secrets in every table of the database (Camunda's runtime and history, the
 * registry, the audit trail), in the application's and Keycloak's log output and in every mail sent: they are nowhere.
 */
@PartnerAccessTest
@ExtendWith(OutputCaptureExtension.class)
class MachineSecretScanIT {

    @Value("${partner-access.managed-keycloak.home}")
    Path keycloakHome;
    @Autowired
    DataSource dataSource;
    @Autowired
    RuntimeService runtime;
    @Autowired
    ManagementService management;
    @Autowired
    PartnershipService partnerships;
    @Autowired
    PartnerIdentityRepository identities;
    @Autowired
    PartnerClients partnerClients;
    @Autowired
    ItFixtures fixtures;

    @Test
    void aSecretClientsSecretsAreNowhereAfterItsLife(CapturedOutput output) throws Exception {
        PartnerAccessClient client = fixtures.client();
        String partnership = fixtures.activePartnership();
        JsonNode machine = JSON.readTree(client.post("rita.requester", "/api/partnerships/" + partnership + "/machines",
                registration("CLIENT_SECRET", null)).body());
        String id = machine.get("id").asText();
        String clientId = machine.get("clientId").asText();
        await().atMost(Duration.ofSeconds(60)).until(() -> identities.findById(id).orElseThrow().getState() == LifecycleState.ACTIVE);

        String issued = collect(client, id, handoverToken(clientId + " is active"));
        assertThat(tokenWithSecret(fixtures.keycloakUrl(), clientId, issued).statusCode()).isEqualTo(200);
        fireTimer(id, ProcessIds.TIMER_ROTATION_DUE);
        String rotated = collect(client, id, handoverToken(clientId + ": client secret rotated"));
        assertThat(tokenWithSecret(fixtures.keycloakUrl(), clientId, rotated).statusCode()).isEqualTo(200);
        assertThat(client.get("ian.owner", "/api/machines/" + id).body()).doesNotContain(issued, rotated);

        IdentityProcesses.Message incident = IdentityProcesses.Message.accessEnds(AccessEndTrigger.IDENTITY_INCIDENT,
                "secret pasted into a ticket", "sofia.security", false);
        runtime.createMessageCorrelation(incident.name()).processInstanceBusinessKey(id)
                .setVariables(incident.variables()).correlate();
        await().atMost(Duration.ofSeconds(30)).until(() -> waitingAt(id, ProcessIds.GATEWAY_AWAIT_RETENTION));
        fireTimer(id, ProcessIds.TIMER_RETENTION_ENDED);
        await().atMost(Duration.ofSeconds(30)).until(() -> partnerClients.findClient(clientId).isEmpty());

        List<String> secrets = List.of(issued, rotated);
        // the scan looks where the machine's traces are: its ids are found, its secrets are not
        assertThat(foundInDatabase(id)).as("the scan reaches the engine's history").anyMatch(place -> place.startsWith("ACT_HI_"));
        assertThat(foundInDatabase(clientId)).as("the scan reaches the registry and the audit trail")
                .anyMatch(place -> place.startsWith("PARTNER_IDENTITY")).anyMatch(place -> place.startsWith("AUDIT_EVENT"));
        for (String secret : secrets) {
            assertThat(foundInDatabase(secret)).as("tables holding a secret").isEmpty();
        }
        assertThat(output.getAll()).contains(clientId).doesNotContain(issued).doesNotContain(rotated);
        String keycloakLog = Files.readString(keycloakHome.resolve("data/partner-access-keycloak.log"), StandardCharsets.UTF_8);
        assertThat(keycloakLog).isNotEmpty().doesNotContain(issued).doesNotContain(rotated);
        assertThat(allMailText()).anyMatch(text -> text.contains(clientId))
                .noneMatch(text -> text.contains(issued) || text.contains(rotated));
    }

    private String collect(PartnerAccessClient client, String id, String token) throws Exception {
        return JSON.readTree(client.post("ian.owner", "/api/machines/" + id + "/secret", Map.of("token", token)).body())
                .get("clientSecret").asText();
    }

    private List<String> foundInDatabase(String text) throws Exception {
        return DatabaseScan.find(dataSource, text);
    }

    private boolean waitingAt(String id, String activityId) {
        return runtime.createExecutionQuery().processInstanceBusinessKey(id).activityId(activityId).count() > 0;
    }

    private void fireTimer(String id, String activityId) {
        await().atMost(Duration.ofSeconds(30)).until(() -> timer(id, activityId) != null);
        management.executeJob(timer(id, activityId).getId());
    }

    private org.camunda.bpm.engine.runtime.Job timer(String id, String activityId) {
        ProcessInstance instance = runtime.createProcessInstanceQuery().processInstanceBusinessKey(id).singleResult();
        return instance == null ? null : management.createJobQuery().processInstanceId(instance.getId())
                .activityId(activityId).timers().singleResult();
    }
}
