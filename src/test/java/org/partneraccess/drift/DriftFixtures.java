package org.partneraccess.drift;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.partneraccess.support.ItFixtures;
import org.partneraccess.support.PartnerAccessClient;

/** What the drift tests set up in the running application: partnerships, machines, reconciliation runs. */
final class DriftFixtures {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DriftFixtures() {
    }

    /** An active partnership with orders.read and invoices.read, requested by rita and approved by its sponsor. */
    static String activePartnership(ItFixtures fixtures) {
        return fixtures.partnership("drift").with("clientScopes", List.of("orders.read", "invoices.read")).active();
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
