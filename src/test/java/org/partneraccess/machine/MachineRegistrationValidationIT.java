package org.partneraccess.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.partneraccess.machine.MachineFixtures.*;

import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.camunda.bpm.engine.HistoryService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.partneraccess.ProcessIds;
import org.partneraccess.inventory.internal.PartnerIdentityRepository;
import org.partneraccess.support.ItFixtures;
import org.partneraccess.support.PartnerAccessClient;
import org.partneraccess.support.PartnerAccessTest;
import org.springframework.beans.factory.annotation.Autowired;

/** A corpus of bad machine registrations: each is refused naming its field; nothing is started, stored or created. */
@PartnerAccessTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MachineRegistrationValidationIT {

    private static final Object ABSENT = new Object();
    private static final Map<String, Object> PRIVATE_JWK = Map.of("keys", List.of(Map.of("kty", "RSA", "n", "AQAB",
            "e", "AQAB", "d", "c2VjcmV0")));

    @Autowired
    ItFixtures fixtures;
    @Autowired
    HistoryService history;
    @Autowired
    PartnerIdentityRepository identities;

    PartnerAccessClient client;
    String partnership;
    PartnerKey key = PartnerKey.generate();

    @BeforeAll
    void activePartnership() {
        client = fixtures.client();
        partnership = fixtures.activePartnership();
    }

    static Stream<Arguments> badRegistrations() {
        String tooLong = "x".repeat(2001);
        return Stream.of(
                bad("workloadName", ABSENT), bad("workloadName", ""), bad("workloadName", "w".repeat(201)),
                bad("machineKind", "ROBOT"), bad("machineKind", ABSENT),
                bad("owner", "nobody.known"), bad("owner", ABSENT),
                bad("purpose", "too short"), bad("purpose", tooLong),
                bad("environment", "production"), bad("environment", "prod"),
                bad("clientScopes", List.of()), bad("clientScopes", List.of("payments.initiate")),
                bad("clientScopes", List.of("orders.delete")), bad("clientScopes", List.of("orders.read; DROP TABLE audit_event")),
                bad("clientScopes", List.of("${execution.setVariable('x', 1)}")), bad("clientScopes", "orders.read"),
                bad("dataClasses", List.of("confidential")), bad("dataClasses", List.of("secret")),
                bad("tokenLifespanSeconds", 61), bad("tokenLifespanSeconds", 0), bad("tokenLifespanSeconds", -5),
                bad("tokenLifespanSeconds", 10), bad("tokenLifespanSeconds", "abc"),
                bad("endDate", LocalDate.now().minusDays(1).toString()),
                bad("endDate", LocalDate.now().plusDays(151).toString()),
                bad("endDate", "2027-13-45"), bad("endDate", ABSENT),
                bad("authMethod", "PASSWORD"), bad("authMethod", ABSENT),
                bad("jwksUrl", "http://partner.example.org/jwks.json", body -> body.remove("jwks")),
                bad("jwksUrl", "ftp://partner.example.org/jwks.json", body -> body.remove("jwks")),
                bad("jwksUrl", "https://user:password@partner.example.org/jwks.json", body -> body.remove("jwks")),
                bad("jwksUrl", "not a url", body -> body.remove("jwks")),
                bad("jwksUrl", "https://partner.example.org/jwks.json"),
                bad("jwksUrl", ABSENT, body -> body.remove("jwks")),
                bad("jwks", PRIVATE_JWK), bad("jwks", "not json"), bad("jwks", Map.of("keys", List.of())),
                bad("jwks", Map.of("keys", List.of(Map.of("kty", "EC", "crv", "P-256", "x", "AQAB", "y", "AQAB")))),
                bad("jwks", Map.of("keys", List.of(Map.of("kty", "RSA", "n", "AQAB", "e", "AQAB", "use", "enc")))),
                bad("jwks", Map.of("keys", List.of())),
                // a client secret where the policy allows none: an AI agent that writes is CRITICAL
                bad("authMethod", "CLIENT_SECRET", body -> {
                    body.remove("jwks");
                    body.put("machineKind", "AI_AGENT");
                    body.put("clientScopes", List.of("orders.write"));
                    body.put("tokenLifespanSeconds", 30);
                    body.put("endDate", LocalDate.now().plusDays(20).toString());
                }),
                bad("jwks", Map.of("keys", List.of()), body -> body.put("authMethod", "CLIENT_SECRET")),
                // the policy's maximum access for an AI agent is shorter than for a workload
                bad("endDate", LocalDate.now().plusDays(100).toString(), body -> {
                    body.put("machineKind", "AI_AGENT");
                    body.put("tokenLifespanSeconds", 30);
                    body.put("clientScopes", List.of("orders.write"));
                }));
    }

    private static Arguments bad(String field, Object value) {
        return bad(field, value, body -> { });
    }

    private static Arguments bad(String field, Object value, Consumer<Map<String, Object>> also) {
        return Arguments.of(field, value, also);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("badRegistrations")
    void isRefusedNamingTheFieldAndChangesNothing(String field, Object value, Consumer<Map<String, Object>> also)
            throws Exception {
        Map<String, Object> body = new LinkedHashMap<>(registration("SIGNED_JWT", key));
        if (value == ABSENT) {
            body.remove(field);
        } else {
            body.put(field, value);
        }
        also.accept(body);
        long machinesBefore = machines();
        long processesBefore = processes();

        HttpResponse<String> response = client.post("rita.requester", "/api/partnerships/" + partnership + "/machines", body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("errors").has(field)).as(response.body()).isTrue();
        assertThat(response.body()).doesNotContain("Exception", "org.partneraccess", "at org.");
        assertThat(machines()).isEqualTo(machinesBefore);
        assertThat(processes()).isEqualTo(processesBefore);
    }

    @Test
    void theValidRegistrationOfTheCorpusIsAccepted() {
        HttpResponse<String> response = client.post("rita.requester", "/api/partnerships/" + partnership + "/machines",
                registration("SIGNED_JWT", key));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    @Test
    void unknownOrInactivePartnershipsAndUnentitledCallersAreRefused() throws Exception {
        Map<String, Object> body = registration("SIGNED_JWT", key);
        assertThat(client.post("rita.requester", "/api/partnerships/no-such-partnership/machines", body).statusCode())
                .isEqualTo(404);

        String requested = newKey("pending");
        assertThat(client.post("rita.requester", "/api/partnerships",
                PartnerAccessClient.validRequest(requested, requested + "@partner.example.org")).statusCode()).isEqualTo(201);
        HttpResponse<String> pending = client.post("rita.requester", "/api/partnerships/" + requested + "/machines", body);
        assertThat(pending.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(pending.body()).get("errors").has("partnershipKey")).isTrue();

        long before = machines();
        assertThat(client.post("alice.auditor", "/api/partnerships/" + partnership + "/machines", body).statusCode())
                .as("auditors register nothing").isEqualTo(403);
        Map<String, Object> someoneElses = new LinkedHashMap<>(body);
        someoneElses.put("owner", "sam.sponsor");
        assertThat(client.post("ian.owner", "/api/partnerships/" + partnership + "/machines", someoneElses).statusCode())
                .as("an identity owner registers only their own machines").isEqualTo(403);
        assertThat(machines()).isEqualTo(before);
    }

    private long machines() {
        return identities.findByPartnershipKeyOrderById(partnership).size();
    }

    private long processes() {
        return history.createHistoricProcessInstanceQuery().processDefinitionKey(ProcessIds.MACHINE_ACCESS_PROCESS).count();
    }
}
