package org.partneraccess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.camunda.bpm.engine.HistoryService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.RealmResource;
import org.partneraccess.audit.AuditLog;
import org.partneraccess.inventory.internal.PartnerIdentityRepository;
import org.partneraccess.machine.MachineFixtures;
import org.partneraccess.partnership.internal.PartnershipRepository;
import org.partneraccess.support.EngineDoors;
import org.partneraccess.support.EngineDoors.Via;
import org.partneraccess.support.ItFixtures;
import org.partneraccess.support.Mailbox;
import org.partneraccess.support.InputTargets;
import org.partneraccess.support.PartnerAccessTest;
import org.partneraccess.support.Tokens;
import org.partneraccess.support.ValidBodies;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/**
 * Hostile input at every endpoint that takes input — the REST API's bodies and query parameters, and the start forms
 * submitted through the engine REST API as Tasklist does. The corpus is data ({@code corpus/hostile-requests.json}):
 * an endpoint, who calls it, a valid body to start from, what is changed in it, and the field that must be named.
 * Every request is answered 4xx naming the field, reveals nothing of the inside, and starts or creates nothing.
 */
@PartnerAccessTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CORPUS = "/corpus/hostile-requests.json";
    /** What a response body must never show: stack frames, qualified class names, SQL. */
    private static final Pattern INSIDE = Pattern.compile("\\tat |at (org|com|java|jakarta)\\.|\\b(org|com|java|jakarta)"
            + "\\.[a-z]+\\.[a-zA-Z.]+|(?i)\\bselect\\b.+\\bfrom\\b|(?i)\\binsert into\\b|SQLState|(?i)\\bjdbc\\b");

    @Value("${partner-access.keycloak.partner-realm}")
    String partnerRealm;
    @Autowired
    ItFixtures fixtures;
    @Autowired
    HistoryService history;
    @Autowired
    PartnershipRepository partnerships;
    @Autowired
    PartnerIdentityRepository identities;
    @Autowired
    Keycloak keycloakAdmin;
    @Autowired
    AuditLog audit;

    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, String> tokens = new LinkedHashMap<>();
    private final Map<String, String> placeholders = new LinkedHashMap<>();
    private MachineFixtures.PartnerKey partnerKey;

    /** An active partnership with its contact person and an active machine: the targets of the corpus. */
    @BeforeAll
    void targets() throws Exception {
        InputTargets targets = InputTargets.create(fixtures, identities);
        partnerKey = targets.machineKey();
        placeholders.put("{partnership}", targets.partnership());
        placeholders.put("{person}", targets.person());
        placeholders.put("{machine}", targets.machine());
        // the provisioning jobs have finished once Keycloak's counts hold still
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).until(new Stable());
    }

    static Stream<Arguments> corpus() throws IOException {
        try (InputStream in = HostileInputIT.class.getResourceAsStream(CORPUS)) {
            JsonNode cases = JSON.readTree(in);
            return java.util.stream.StreamSupport.stream(cases.spliterator(), false)
                    .map(c -> Arguments.of(c.get("endpoint").asText(), c.get("field").asText(), c));
        }
    }

    @Test
    void theCorpusCoversEveryEndpointThatTakesInput() throws IOException {
        List<String> endpoints = corpus().map(a -> (String) a.get()[0]).map(e -> e.replaceAll("\\?.*", ""))
                .distinct().toList();
        assertThat(corpus().count()).isGreaterThanOrEqualTo(60);
        assertThat(endpoints).contains("POST /api/partnerships", "POST /api/partnerships/{partnership}/humans",
                "POST /api/partnerships/{partnership}/machines", "POST /api/partnerships/{partnership}/incidents",
                "POST /api/partnerships/{partnership}/termination", "POST /api/partnerships/{partnership}/suspension",
                "POST /api/partnerships/{partnership}/resumption", "POST /api/partnerships/{partnership}/scope-changes",
                "POST /api/partnerships/{partnership}/risk-downgrades", "POST /api/identities/{person}/incidents",
                "POST /api/identities/{person}/elevations", "POST /api/machines/{machine}/elevations",
                "GET /api/identities", "GET /api/partnerships",
                "POST /engine-rest/process-definition/key/PartnershipProcess/submit-form",
                "POST /engine-rest/process-definition/key/HumanAccessProcess/submit-form",
                "POST /engine-rest/process-definition/key/MachineAccessProcess/submit-form");
    }

    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @MethodSource("corpus")
    void isRefusedNamingTheFieldAndChangesNothing(String endpoint, String field, JsonNode hostile) throws Exception {
        Counts before = counts();

        HttpResponse<String> response = send(endpoint, hostile);

        assertThat(response.statusCode()).as(response.body()).isBetween(400, 499);
        JsonNode answer = JSON.readTree(response.body());
        if (endpoint.contains("/engine-rest/")) {
            // Camunda's own error shape: the message lists each field as "name: what is wrong"
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(answer.path("message").asText()).as(response.body()).contains(field + ": ");
        } else {
            assertThat(answer.path("errors").has(field)).as(response.body()).isTrue();
        }
        assertThat(INSIDE.matcher(response.body()).find()).as("the inside shown in " + response.body()).isFalse();
        assertThat(counts()).isEqualTo(before);
    }

    /**
     * The start forms offer what the server allows, but only the server decides: a start forged through either door to
     * the engine (a bearer token on /engine-rest, Tasklist's session with its CSRF token) with a value the form's own
     * list holds but the partnership does not allow (a role or scope outside its scopes, an environment outside its
     * environments, an end date after its own), or a staff user of the wrong group, is refused with 400 naming the
     * field, and nothing is started, stored, audited, provisioned or mailed.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Via.class)
    void aStartOutsideWhatThePartnershipAllowsIsRefusedThroughBothDoorsAndChangesNothing(Via via) throws Exception {
        EngineDoors doors = fixtures.doors();
        String partnership = placeholders.get("{partnership}");
        LocalDate beyond = partnerships.findById(partnership).orElseThrow().getEndDate().plusDays(1);
        Map<String, Map<String, Object>> forged = new LinkedHashMap<>();
        forged.put("HumanAccessProcess roles", Map.of("roles", List.of("invoices.approve")));
        forged.put("HumanAccessProcess endDate", Map.of("endDate", beyond.toString()));
        forged.put("MachineAccessProcess environment", Map.of("environment", "production"));
        forged.put("MachineAccessProcess clientScopes", Map.of("clientScopes", List.of("invoices.approve")));
        forged.put("MachineAccessProcess endDate", Map.of("endDate", beyond.toString()));
        forged.put("PartnershipProcess sponsor", Map.of("sponsor", "ian.owner"));
        for (Map.Entry<String, Map<String, Object>> attempt : forged.entrySet()) {
            String process = attempt.getKey().split(" ")[0];
            String field = attempt.getKey().split(" ")[1];
            ObjectNode body = base(switch (process) {
                case "HumanAccessProcess" -> "humanForm";
                case "MachineAccessProcess" -> "machineForm";
                default -> "partnershipForm";
            });
            attempt.getValue().forEach((name, value) -> body.set(name, JSON.valueToTree(value)));
            // what a mail about this request would name: the partnership, the new key, the person or the workload
            String[] names = Stream.of(partnership, body.path("partnershipKey").asText(), body.path("email").asText(),
                    body.path("contactEmail").asText(), body.path("workloadName").asText())
                    .filter(name -> !name.isBlank()).distinct().toArray(String[]::new);
            Counts before = counts();
            List<String> auditBefore = audit.ofPartnership(partnership).stream().map(e -> e.getId() + "").toList();
            List<String> mailsBefore = Mailbox.naming(names);

            HttpResponse<String> response = doors.call(via, "rita.requester", "POST",
                    "/process-definition/key/" + process + "/submit-form", formVariables(body));

            assertThat(response.statusCode()).as(attempt.getKey() + ": " + response.body()).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).path("message").asText()).as(attempt.getKey())
                    .contains(field + ": ");
            assertThat(counts()).as(attempt.getKey()).isEqualTo(before);
            assertThat(audit.ofPartnership(partnership).stream().map(e -> e.getId() + "").toList())
                    .as(attempt.getKey()).isEqualTo(auditBefore);
            assertThat(audit.firstBrokenEntry()).isNull();
            assertThat(Mailbox.naming(names)).as(attempt.getKey()).isEqualTo(mailsBefore);
        }
    }

    // ---- building the requests ----

    private HttpResponse<String> send(String endpoint, JsonNode hostile) throws IOException {
        String[] parts = endpoint.split(" ", 2);
        String path = parts[1];
        for (Map.Entry<String, String> placeholder : placeholders.entrySet()) {
            path = path.replace(placeholder.getKey(), placeholder.getValue());
        }
        String user = hostile.get("as").asText();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(fixtures.url(path)))
                .header("Authorization", "Bearer " + tokens.computeIfAbsent(user,
                        u -> Tokens.staff(fixtures.keycloakUrl(), u)))
                .header("Accept", "application/json");
        if (parts[0].equals("GET")) {
            return Tokens.send(http, request.GET().build());
        }
        ObjectNode body = base(hostile.path("body").asText());
        hostile.path("remove").forEach(name -> body.remove(name.asText()));
        for (Iterator<Map.Entry<String, JsonNode>> set = hostile.path("set").fields(); set.hasNext(); ) {
            Map.Entry<String, JsonNode> change = set.next();
            body.set(change.getKey(), value(change.getValue()));
        }
        String json = JSON.writeValueAsString(path.endsWith("/submit-form") ? formVariables(body) : body);
        return Tokens.send(http, request.header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** A valid body of each kind, that the corpus corrupts in one place; a start form also names its partnership. */
    private ObjectNode base(String kind) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (kind.equals("humanForm") || kind.equals("machineForm")) {
            body.put("partnershipKey", placeholders.get("{partnership}"));
        }
        body.putAll(switch (kind) {
            case "partnership", "partnershipForm" -> ValidBodies.partnership();
            case "human", "humanForm" -> ValidBodies.person();
            case "machine", "machineForm" -> ValidBodies.machine(partnerKey);
            case "incident" -> ValidBodies.incident();
            case "lifecycle" -> ValidBodies.reason("the contract ends with the quarter");
            case "scopeChange" -> ValidBodies.scopeChange();
            case "elevation" -> ValidBodies.elevation();
            case "machineElevation" -> ValidBodies.machineElevation();
            case "workloadTrust" -> Map.of("kind", "KUBERNETES", "issuer", "https://k8s.partner.example.org");
            default -> throw new IllegalArgumentException("no base body " + kind);
        });
        if (kind.equals("machineForm")) {
            // Tasklist sends the form's JSON text field as text
            body.put("jwks", toJson(body.get("jwks")));
        }
        return JSON.valueToTree(body);
    }

    /** What Tasklist sends for a Camunda Form: text as strings, checklists as JSON arrays. */
    private static Map<String, Object> formVariables(ObjectNode body) {
        Map<String, Object> variables = new LinkedHashMap<>();
        body.fields().forEachRemaining(field -> {
            JsonNode value = field.getValue();
            variables.put(field.getKey(), value.isContainerNode() ? Map.of("value", toJson(value), "type", "Json")
                    : java.util.Collections.singletonMap("value", JSON.convertValue(value, Object.class)));
        });
        return Map.of("variables", variables);
    }

    /** Values of the corpus: {@code @days:N} is a date N days from today, {@code @repeat:c:N} a string of N c. */
    private static JsonNode value(JsonNode value) {
        if (value.isTextual() && value.asText().startsWith("@days:")) {
            return JSON.valueToTree(LocalDate.now().plusDays(Long.parseLong(value.asText().substring(6))).toString());
        }
        if (value.isTextual() && value.asText().startsWith("@repeat:")) {
            String[] parts = value.asText().split(":");
            return JSON.valueToTree(parts[1].repeat(Integer.parseInt(parts[2])));
        }
        return value;
    }

    private static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- what must not change ----

    record Counts(long processInstances, long partnerships, long identities, int keycloakUsers, int keycloakClients,
                  long keycloakGroups) {
    }

    private Counts counts() {
        RealmResource realm = keycloakAdmin.realm(partnerRealm);
        return new Counts(history.createHistoricProcessInstanceQuery().count(), partnerships.count(), identities.count(),
                realm.users().count(), realm.clients().findAll().size(), realm.groups().count().get("count"));
    }

    private final class Stable implements java.util.concurrent.Callable<Boolean> {
        private Counts last;

        @Override
        public Boolean call() {
            Counts now = counts();
            boolean stable = now.equals(last);
            last = now;
            return stable;
        }
    }
}
