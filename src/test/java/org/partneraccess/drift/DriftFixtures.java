package org.partneraccess.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.partneraccess.LifecycleState;
import org.partneraccess.inventory.PartnerIdentityRepository;
import org.partneraccess.machine.MachineFixtures;
import org.partneraccess.support.PartnerAccessClient;
import org.partneraccess.support.SponsorApproval;

/** What the drift tests set up in the running application: partnerships, machines, reconciliation runs. */
final class DriftFixtures {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DriftFixtures() {
    }

    /** An active partnership with orders.read and invoices.read, requested by rita and approved by its sponsor. */
    static String activePartnership(PartnerAccessClient client, TaskService tasks, IdentityService identity,
                                    RuntimeService runtime) {
        String key = "drift-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> request = new LinkedHashMap<>(PartnerAccessClient.validRequest(key,
                "contact." + key + "@partner.example.org"));
        request.put("clientScopes", List.of("orders.read", "invoices.read"));
        HttpResponse<String> created = client.post("rita.requester", "/api/partnerships", request);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        SponsorApproval.approveAndAwaitActive(tasks, identity, runtime, key);
        return key;
    }

    /** A low-risk secret client with orders.read, provisioned by the policy alone, once its row is ACTIVE. */
    static JsonNode activeMachine(PartnerAccessClient client, PartnerIdentityRepository identities, String key)
            throws Exception {
        Map<String, Object> body = MachineFixtures.registration("CLIENT_SECRET", null, "orders.read");
        HttpResponse<String> created = client.post("rita.requester", "/api/partnerships/" + key + "/machines", body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode machine = JSON.readTree(created.body());
        await().atMost(Duration.ofSeconds(60)).until(() ->
                identities.findById(id(machine)).orElseThrow().getState() == LifecycleState.ACTIVE);
        return machine;
    }

    /** A reconciliation run started by this user through the API. */
    static JsonNode reconcile(PartnerAccessClient client, String user) throws Exception {
        HttpResponse<String> response = client.post(user, "/api/drift/reconciliations", Map.of());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    static String id(JsonNode machine) {
        return machine.get("id").asText();
    }

    static String clientId(JsonNode machine) {
        return machine.get("clientId").asText();
    }
}
