package org.partneraccess.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.partneraccess.Drills;
import org.partneraccess.LifecycleState;
import org.partneraccess.ProcessIds;
import org.partneraccess.keycloak.PartnerUsers;
import org.partneraccess.partnership.Partnership;
import org.partneraccess.partnership.internal.PartnershipRepository;
import org.partneraccess.support.ItFixtures;
import org.partneraccess.support.PartnerAccessClient;
import org.partneraccess.support.PartnerAccessTest;
import org.partneraccess.support.Tokens;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Health, metrics and the logging context as an operator sees them, on the running application. */
@PartnerAccessTest
@ExtendWith(OutputCaptureExtension.class)
class OperationsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern UUID_LIKE = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-");

    private final HttpClient http = HttpClient.newHttpClient();

    @Autowired
    RegistryMetrics metrics;
    @Autowired
    PartnershipRepository partnerships;
    @Autowired
    TaskService tasks;
    @Autowired
    RuntimeService runtime;
    @Autowired
    PartnerUsers partnerUsers;
    @Autowired
    ItFixtures fixtures;

    // ---- health ----

    @ParameterizedTest
    @ValueSource(strings = {"/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness"})
    void healthAnswersEveryoneWithTheStatusOnly(String path) throws Exception {
        HttpResponse<String> health = get(path, null);

        assertThat(health.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(health.body());
        assertThat(body.get("status").asText()).isEqualTo("UP");
        assertThat(body.has("components")).as("no details without a token").isFalse();
    }

    @Test
    void staffSeeEveryHealthContributorAndReadinessCoversDatabaseAndKeycloak() throws Exception {
        String token = Tokens.staff(fixtures.keycloakUrl(), "ian.owner");

        JsonNode health = JSON.readTree(get("/actuator/health", token).body());
        for (String contributor : List.of("db", "mail", "keycloak")) {
            assertThat(health.at("/components/" + contributor + "/status").asText()).as(contributor).isEqualTo("UP");
        }
        JsonNode readiness = JSON.readTree(get("/actuator/health/readiness", token).body());
        assertThat(fieldNames(readiness.get("components"))).containsExactlyInAnyOrder("readinessState", "db", "keycloak");
        JsonNode liveness = JSON.readTree(get("/actuator/health/liveness", token).body());
        assertThat(fieldNames(liveness.get("components"))).containsExactly("livenessState");
    }

    // ---- metrics ----

    @Test
    void prometheusIsForOperatorsOnly() throws Exception {
        assertThat(get("/actuator/prometheus", null).statusCode()).isEqualTo(401);
        assertThat(get("/actuator/prometheus", Tokens.staff(fixtures.keycloakUrl(), "rita.requester")).statusCode())
                .isEqualTo(403);
        assertThat(get("/actuator/prometheus", Tokens.staff(fixtures.keycloakUrl(), "alice.auditor")).statusCode())
                .isEqualTo(403);
        for (String operator : List.of("sofia.security", "paul.process", "adam.admin")) {
            HttpResponse<String> scrape = get("/actuator/prometheus", Tokens.staff(fixtures.keycloakUrl(), operator));
            assertThat(scrape.statusCode()).as(operator).isEqualTo(200);
            assertThat(scrape.body()).contains("# TYPE partner_access_partnerships gauge");
        }
        assertThat(get("/actuator/env", Tokens.staff(fixtures.keycloakUrl(), "adam.admin")).statusCode())
                .isIn(403, 404);
    }

    @Test
    void gaugesCountTheRegistryAndTheEngine() throws Exception {
        String key = newKey();
        LocalDate soon = LocalDate.now(ZoneOffset.UTC).plusDays(10);
        Map<String, Object> request = PartnerAccessClient.validRequest(key, key + "@partner.example.org");
        request.put("endDate", soon.toString());
        assertThat(fixtures.client().post("rita.requester", "/api/partnerships", request).statusCode()).isEqualTo(201);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            metrics.refresh();
            String scrape = scrape();
            // the revocation drill's synthetic partnerships are no business figure
            List<Partnership> all = partnerships.findAll().stream().filter(p -> !Drills.isDrill(p.getKey())).toList();
            for (LifecycleState state : LifecycleState.values()) {
                assertThat(value(scrape, "partner_access_partnerships", "state=\"" + state + "\""))
                        .as(state.name()).isEqualTo(all.stream().filter(p -> p.getState() == state).count());
            }
            long expiring = all.stream().filter(p -> p.getState() != LifecycleState.REVOKED
                    && p.getState() != LifecycleState.REJECTED && !p.getEndDate().isBefore(LocalDate.now(ZoneOffset.UTC))
                    && !p.getEndDate().isAfter(LocalDate.now(ZoneOffset.UTC).plusDays(14))).count();
            assertThat(expiring).isPositive();
            assertThat(value(scrape, "partner_access_expiries_upcoming", "kind=\"PARTNERSHIP\"")).isEqualTo(expiring);
            assertThat(value(scrape, "partner_access_approvals_pending", "task=\"" + ProcessIds.TASK_APPROVE_AS_SPONSOR + "\""))
                    .isPositive()
                    .isEqualTo(tasks.createTaskQuery().taskDefinitionKey(ProcessIds.TASK_APPROVE_AS_SPONSOR).count());
            assertThat(value(scrape, "partner_access_identities", "state=\"REQUESTED\"", "kind=\"HUMAN\"")).isPositive();
            assertThat(value(scrape, "partner_access_identities", "state=\"ACTIVE\"", "kind=\"MACHINE\""))
                    .as("reported at zero too").isNotNull();
            assertThat(value(scrape, "partner_access_incidents_open"))
                    .isEqualTo(runtime.createIncidentQuery().count());
        });
    }

    @Test
    void activationAndSuspensionAreLoggedWithTheirBusinessKeyAndTimed(CapturedOutput output) throws Exception {
        ItFixtures.PartnershipRequest request = fixtures.partnership("ops");
        String key = request.with("contactEmail", request.key() + "@partner.example.org").active();

        // the provisioning job's log line carries the partnership key, though the gateway never logs it
        assertThat(output.getOut().lines().filter(line -> line.contains("Created user"))
                .filter(line -> line.contains("businessKey=" + key)))
                .singleElement().asString().contains("processDefinitionKey=" + ProcessIds.PARTNERSHIP_PROCESS);

        // a review date in the past makes the active partnership overdue
        await().atMost(Duration.ofSeconds(30)).until(() -> runtime.createExecutionQuery()
                .processInstanceBusinessKey(key).activityId(ProcessIds.TIMER_RECERTIFICATION_DUE).count() == 1);
        Partnership active = partnerships.findById(key).orElseThrow();
        active.setNextReviewAt(Instant.now().minus(Duration.ofDays(1)));
        partnerships.save(active);
        metrics.refresh();
        assertThat(value(scrape(), "partner_access_reviews_overdue", "kind=\"PARTNERSHIP\"")).isPositive();

        assertThat(fixtures.client().post("sofia.security", "/api/partnerships/" + key + "/suspension",
                Map.of("reason", "contract under dispute")).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> stateOf(key) == LifecycleState.SUSPENDED);

        String scrape = scrape();
        assertThat(value(scrape, "partner_access_revocation_seconds_count", "method=\"suspend\"")).isPositive();
        assertThat(scrape).containsPattern("partner_access_revocation_seconds_bucket\\{.*method=\"suspend\".*le=");
        assertThat(value(scrape, "partner_access_keycloak_requests_seconds_count", "method=\"POST\"",
                "uri=\"/admin/realms/{realm}/users\"", "outcome=\"SUCCESS\"")).isPositive();
        assertThat(value(scrape, "partner_access_keycloak_requests_seconds_count", "method=\"PUT\"",
                "uri=\"/admin/realms/{realm}/users/{id}\"", "outcome=\"SUCCESS\"")).as("disabled").isPositive();
        assertThat(value(scrape, "partner_access_keycloak_requests_seconds_count",
                "uri=\"/realms/{realm}/protocol/openid-connect/token\"")).isPositive();
    }

    @Test
    void keycloakCallsAreTaggedByOutcomeWithoutIds() throws Exception {
        assertThat(partnerUsers.findUserById(UUID.randomUUID().toString())).isEmpty();

        String scrape = scrape();
        assertThat(value(scrape, "partner_access_keycloak_requests_seconds_count", "method=\"GET\"",
                "uri=\"/admin/realms/{realm}/users/{id}\"", "status=\"404\"", "outcome=\"CLIENT_ERROR\"")).isPositive();
        List<String> uris = new ArrayList<>();
        Matcher uri = Pattern.compile("partner_access_keycloak_requests_seconds_count\\{[^}]*uri=\"([^\"]*)\"").matcher(scrape);
        while (uri.find()) {
            uris.add(uri.group(1));
        }
        assertThat(uris).isNotEmpty().noneMatch(path -> UUID_LIKE.matcher(path).find())
                .noneMatch(path -> path.contains("/partner/") || path.contains("/staff/"));
    }

    // ---- helpers ----

    /** The sample of a metric whose labels include all the given ones, or null when there is none. */
    static Double value(String scrape, String metric, String... labels) {
        return scrape.lines()
                .filter(line -> line.startsWith(metric + "{") || line.startsWith(metric + " "))
                .filter(line -> List.of(labels).stream().allMatch(line::contains))
                .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElse(null);
    }

    private String scrape() throws Exception {
        HttpResponse<String> scrape = get("/actuator/prometheus", Tokens.staff(fixtures.keycloakUrl(),
                "sofia.security"));
        assertThat(scrape.statusCode()).isEqualTo(200);
        return scrape.body();
    }

    private LifecycleState stateOf(String key) {
        return partnerships.findById(key).orElseThrow().getState();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(fixtures.url(path)));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String newKey() {
        return "ops-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
