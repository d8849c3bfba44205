package org.partneraccess.partnership;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.camunda.bpm.engine.HistoryService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.partneraccess.partnership.internal.PartnershipRepository;
import org.partneraccess.support.ItFixtures;
import org.partneraccess.support.PartnerAccessClient;
import org.partneraccess.support.PartnerAccessTest;
import org.partneraccess.support.Tokens;
import org.springframework.beans.factory.annotation.Autowired;

/** A corpus of bad partnership requests: each is refused naming its field, and nothing is started or stored. */
@PartnerAccessTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PartnershipRequestValidationIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Object ABSENT = new Object();

    @Autowired
    ItFixtures fixtures;
    @Autowired
    HistoryService history;
    @Autowired
    PartnershipRepository partnerships;
    String token;

    @BeforeAll
    void login() {
        token = Tokens.staff(fixtures.keycloakUrl(), "rita.requester");
    }

    static Stream<Arguments> badRequests() {
        String tooLong = "x".repeat(2001);
        return Stream.of(
                Arguments.of("partnershipKey", ABSENT),
                Arguments.of("partnershipKey", "Acme Logistics"),
                Arguments.of("partnershipKey", "a".repeat(41)),
                Arguments.of("partnershipKey", "acme'; drop table partnership; --"),
                Arguments.of("legalName", ""),
                Arguments.of("legalName", "x".repeat(201)),
                Arguments.of("sponsor", ABSENT),
                Arguments.of("sponsor", "nobody.known"),
                Arguments.of("sponsor", "ian.owner"),
                Arguments.of("sponsor", "rita.requester"),
                Arguments.of("businessOwner", "nobody.known"),
                Arguments.of("technicalOwner", ""),
                Arguments.of("purpose", "too short"),
                Arguments.of("purpose", tooLong),
                Arguments.of("dataClasses", List.of()),
                Arguments.of("dataClasses", List.of("secret")),
                Arguments.of("dataClasses", "internal"),
                Arguments.of("environments", List.of("prod")),
                Arguments.of("clientScopes", List.of()),
                Arguments.of("clientScopes", List.of("orders.delete")),
                Arguments.of("clientScopes", List.of("orders.read; DROP TABLE audit_event")),
                Arguments.of("clientScopes", List.of("${execution.setVariable('x', 1)}")),
                Arguments.of("endDate", LocalDate.now().minusDays(1).toString()),
                Arguments.of("endDate", LocalDate.now().plusDays(400).toString()),
                Arguments.of("endDate", "2027-13-45"),
                Arguments.of("endDate", ABSENT),
                Arguments.of("contactEmail", "not-an-email"),
                Arguments.of("contactEmail", "<script>alert(1)</script>"),
                Arguments.of("contactFirstName", ""),
                Arguments.of("contactLastName", ABSENT));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("badRequests")
    void isRefusedNamingTheFieldAndChangesNothing(String field, Object value) throws Exception {
        String key = "bad-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> body = new LinkedHashMap<>(PartnerAccessClient.validRequest(key, key + "@partner.example.org"));
        if (value == ABSENT) {
            body.remove(field);
        } else {
            body.put(field, value);
        }
        String requestedKey = String.valueOf(body.getOrDefault("partnershipKey", key));

        HttpResponse<String> response = fixtures.client()
                .postWithToken(token, "/api/partnerships", body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("errors").has(field)).as(response.body()).isTrue();
        assertThat(response.body()).doesNotContain("Exception", "org.partneraccess", "at org.");
        assertThat(history.createHistoricProcessInstanceQuery().processInstanceBusinessKey(requestedKey).count()).isZero();
        assertThat(history.createHistoricProcessInstanceQuery().processInstanceBusinessKey(key).count()).isZero();
        assertThat(partnerships.existsById(requestedKey)).isFalse();
        assertThat(partnerships.existsById(key)).isFalse();
    }

}
