package org.partneraccess.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.assertj.core.api.SoftAssertions;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.RealmResource;
import org.partneraccess.inventory.internal.PartnerIdentityRepository;
import org.partneraccess.partnership.internal.PartnershipRepository;
import org.partneraccess.support.InputTargets;
import org.partneraccess.support.ItFixtures;
import org.partneraccess.support.PartnerAccessTest;
import org.partneraccess.support.Tokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A deterministic mutation fuzz of every operation under {@code /api} that takes a body or changes state, read from the
 * running application's OpenAPI document. Each valid example ({@link ValidExamples}) is broken one way at a time —
 * fields removed, null, of the wrong type, empty, huge, template expressions, control characters, unicode edge cases,
 * odd arrays, unknown fields, no JSON at all, the wrong content type, path ids that do not exist or try to escape — and
 * sent by a user allowed to make the call. No answer may be a 5xx; every 4xx is a problem document (a 400 names the
 * field at fault); a refused call changes nothing in the registry, the engine, Keycloak or the caller's audit trail.
 */
@PartnerAccessTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiFuzzIT {

    private static final Logger LOG = LoggerFactory.getLogger(ApiFuzzIT.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> CHANGING_METHODS = Set.of("post", "put", "patch");
    /** Fixed, so a failure is reproduced by running the test again. */
    private static final long SEED = 18;
    private static final String VALID = "the valid example";

    /** Values that are text but may still hurt: each field gets two of them, chosen by the seed. */
    private static final Map<String, JsonNode> HOSTILE_TEXT = new LinkedHashMap<>();

    static {
        HOSTILE_TEXT.put("empty string", NODES.textNode(""));
        HOSTILE_TEXT.put("100000 characters", NODES.textNode("x".repeat(100_000)));
        HOSTILE_TEXT.put("${7*7}", NODES.textNode("${7*7}"));
        HOSTILE_TEXT.put("#{7*7}", NODES.textNode("#{7*7}"));
        HOSTILE_TEXT.put("{{7*7}}", NODES.textNode("{{7*7}}"));
        HOSTILE_TEXT.put("control characters", NODES.textNode("a\u0000b\u0007c\u001b[31md\r\ne"));
        HOSTILE_TEXT.put("lone surrogate and bidi override", NODES.textNode("a\uD800b\u202Ec\uFEFF"));
        HOSTILE_TEXT.put("emoji, combining marks, zero-width", NODES.textNode("\uD83D\uDE00e\u0301\u0301\u200B\u00A0"));
    }

    @Value("${partner-access.keycloak.partner-realm}")
    String partnerRealm;
    @Autowired
    ItFixtures fixtures;
    @Autowired
    HistoryService history;
    @Autowired
    ManagementService management;
    @Autowired
    PartnershipRepository partnerships;
    @Autowired
    PartnerIdentityRepository identities;
    @Autowired
    Keycloak keycloakAdmin;
    @Autowired
    JdbcTemplate jdbc;

    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, String> tokens = new LinkedHashMap<>();
    private InputTargets targets;

    /** An active partnership with its contact person and an active machine. */
    @BeforeAll
    void targets() throws Exception {
        targets = InputTargets.create(fixtures, identities);
        settle(null);
    }

    @Test
    void noBrokenRequestIsAnsweredWithAServerErrorOrChangesAnything() throws Exception {
        List<String> operations = changingOperations();
        assertThat(ValidExamples.BY_OPERATION.keySet()).as("operations without a valid example")
                .containsAll(operations);
        assertThat(operations).as("examples of operations the API no longer has")
                .containsAll(ValidExamples.BY_OPERATION.keySet());

        Random random = new Random(SEED);
        List<Call> calls = new ArrayList<>();
        ValidExamples.BY_OPERATION.forEach((operation, example) -> calls.addAll(mutations(operation, example, random)));

        long started = System.nanoTime();
        List<String> serverErrors = new ArrayList<>();
        List<String> notProblems = new ArrayList<>();
        List<String> fieldNotNamed = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        List<String> invalidExamples = new ArrayList<>();
        Set<String> accepted = new TreeSet<>();
        int refused = 0;
        Counts known = null;
        String knownFor = null;
        for (Call call : calls) {
            String caller = ValidExamples.BY_OPERATION.get(call.operation()).user();
            // what the last refused call of the same caller left is where this one starts
            Counts before = caller.equals(knownFor) ? known : counts(caller);
            known = null;
            knownFor = null;
            HttpResponse<String> response = send(call, caller);
            int status = response.statusCode();
            String seen = call + " -> " + status + " " + abbreviate(response.body(), 600);
            if (status >= 500) {
                serverErrors.add(seen);
            } else if (call.mutation().equals(VALID) && status == 400 && !accepted.contains(call.operation())) {
                // a variant accepted earlier (an unknown field added) proves the example valid and may hold it up now
                invalidExamples.add(seen);
            } else if (status >= 400) {
                refused++;
                String type = response.headers().firstValue("Content-Type").orElse("");
                JsonNode answer = readOrNull(response.body());
                if (!type.startsWith("application/problem+json") || answer == null || answer.path("status").asInt() != status) {
                    notProblems.add(seen + " [" + type + "]");
                } else if (status == 400 && call.field() != null && !names(answer.path("errors"), call.field())) {
                    fieldNotNamed.add(seen);
                }
                Counts after = counts(caller);
                if (!after.equals(before)) {
                    changed.add(seen + " changed " + before + " to " + after);
                } else {
                    known = after;
                    knownFor = caller;
                }
            } else {
                // accepted: whatever it starts settles before the next call is measured
                accepted.add(call.operation());
                settle(caller);
            }
        }
        LOG.info("API fuzz: {} operations, {} requests, {} refused, {} server errors, {} s", operations.size(),
                calls.size(), refused, serverErrors.size(), (System.nanoTime() - started) / 1_000_000_000);

        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(calls.size()).as("requests").isGreaterThanOrEqualTo(300);
        soft.assertThat(serverErrors).as("answered with a server error").isEmpty();
        soft.assertThat(notProblems).as("refused without a problem document").isEmpty();
        soft.assertThat(fieldNotNamed).as("refused without naming the field at fault").isEmpty();
        soft.assertThat(changed).as("refused, yet something changed").isEmpty();
        soft.assertThat(invalidExamples).as("valid examples refused as invalid").isEmpty();
        soft.assertAll();
    }

    /** Every POST, PUT and PATCH under /api the running application documents. */
    private List<String> changingOperations() throws Exception {
        HttpResponse<String> docs = Tokens.send(http, HttpRequest.newBuilder(
                URI.create(fixtures.url("/v3/api-docs"))).GET().build());
        assertThat(docs.statusCode()).as(docs.body()).isEqualTo(200);
        JsonNode paths = JSON.readTree(docs.body()).get("paths");
        Set<String> operations = new TreeSet<>();
        for (Iterator<String> names = paths.fieldNames(); names.hasNext(); ) {
            String path = names.next();
            paths.get(path).fieldNames().forEachRemaining(method -> {
                if (path.startsWith("/api/") && CHANGING_METHODS.contains(method)) {
                    operations.add(method.toUpperCase() + " " + path);
                }
            });
        }
        assertThat(operations).as("operations found in the OpenAPI document").hasSizeGreaterThanOrEqualTo(10);
        return List.copyOf(operations);
    }

    // ---- the mutations ----

    /** One request: the operation, the path as sent, the body as sent, its content type, and the field broken. */
    record Call(String operation, String path, String body, String contentType, String field, String mutation) {
        @Override
        public String toString() {
            return operation.split(" ")[0] + " " + path + " [" + mutation + "] body " + abbreviate(body, 200);
        }
    }

    private List<Call> mutations(String operation, ValidExamples.Example example, Random random) {
        List<Call> calls = new ArrayList<>();
        String template = operation.split(" ", 2)[1];
        String path = ValidExamples.path(targets, template);
        boolean hasBody = example.body().apply(targets) != null;
        if (hasBody) {
            List<String> fields = new ArrayList<>();
            ((ObjectNode) base(example)).fieldNames().forEachRemaining(fields::add);
            List<String> hostile = new ArrayList<>(HOSTILE_TEXT.keySet());
            for (String field : fields) {
                JsonNode original = base(example).get(field);
                calls.add(field(operation, path, example, field, "removed", body -> body.remove(field)));
                calls.add(field(operation, path, example, field, "null", body -> body.set(field, NODES.nullNode())));
                for (Map.Entry<String, JsonNode> wrong : wrongTypes(original).entrySet()) {
                    calls.add(field(operation, path, example, field, wrong.getKey(),
                            body -> body.set(field, wrong.getValue())));
                }
                for (int i = 0; i < 2; i++) {
                    String name = hostile.get(random.nextInt(hostile.size()));
                    calls.add(field(operation, path, example, field, name,
                            body -> body.set(field, HOSTILE_TEXT.get(name))));
                }
                if (original.isArray() && !original.isEmpty()) {
                    JsonNode first = original.get(0);
                    calls.add(field(operation, path, example, field, "array with a null element",
                            body -> body.set(field, ((ArrayNode) original.deepCopy()).addNull())));
                    calls.add(field(operation, path, example, field, "array with duplicates",
                            body -> body.set(field, NODES.arrayNode().add(first).add(first))));
                    ArrayNode thousand = NODES.arrayNode();
                    for (int i = 0; i < 1_000; i++) {
                        thousand.add(first.isTextual() ? NODES.textNode(first.asText() + i) : first);
                    }
                    calls.add(field(operation, path, example, field, "array of 1000 elements",
                            body -> body.set(field, thousand)));
                }
            }
            String unknown = "unknown" + random.nextInt(1_000);
            calls.add(new Call(operation, path, json(((ObjectNode) base(example)).put(unknown, "x")), "application/json",
                    null, "unknown field " + unknown));
        }
        calls.add(new Call(operation, path, "{\"reason\": \"cut off", "application/json", null, "not JSON"));
        calls.add(new Call(operation, path, "[1, 2, 3]", "application/json", null, "JSON array, not an object"));
        calls.add(new Call(operation, path, hasBody ? json(base(example)) : "reason=x", "text/plain", null,
                "wrong content type"));
        if (template.contains("{")) {
            String bodyText = hasBody ? json(base(example)) : null;
            for (String id : List.of("does-not-exist-" + random.nextInt(1_000), "..", "%2E%2E", "a%00b", "%7B%7D")) {
                String odd = template.replaceAll("\\{[a-z]+}", id);
                calls.add(new Call(operation, odd, bodyText, "application/json", null, "path id " + id));
            }
        }
        // last, as it may start what the mutations were to leave alone: the example itself must pass validation
        calls.add(new Call(operation, path, hasBody ? json(base(example)) : null, "application/json", null, VALID));
        return calls;
    }

    private Call field(String operation, String path, ValidExamples.Example example, String field, String mutation,
                       java.util.function.Consumer<ObjectNode> change) {
        ObjectNode body = (ObjectNode) base(example);
        change.accept(body);
        return new Call(operation, path, json(body), "application/json", field, field + " " + mutation);
    }

    /** A value of every JSON type the field does not have. */
    private static Map<String, JsonNode> wrongTypes(JsonNode original) {
        Map<String, JsonNode> wrong = new LinkedHashMap<>();
        if (!original.isNumber()) {
            wrong.put("a number", NODES.numberNode(4711));
        }
        if (!original.isBoolean()) {
            wrong.put("a boolean", NODES.booleanNode(true));
        }
        if (!original.isObject()) {
            wrong.put("an object", NODES.objectNode().put("value", "x"));
        }
        if (!original.isArray()) {
            wrong.put("an array", NODES.arrayNode().add("x"));
        }
        if (!original.isTextual()) {
            wrong.put("a string", NODES.textNode("x"));
        }
        return wrong;
    }

    private JsonNode base(ValidExamples.Example example) {
        return JSON.valueToTree(example.body().apply(targets));
    }

    // ---- sending and judging ----

    private HttpResponse<String> send(Call call, String caller) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(fixtures.url(call.path())))
                .header("Authorization", "Bearer " + token(caller)).header("Accept", "application/json")
                .timeout(Duration.ofSeconds(60));
        if (call.body() == null) {
            request.POST(HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", call.contentType()).POST(HttpRequest.BodyPublishers.ofString(call.body()));
        }
        return Tokens.send(http, request.build());
    }

    /** Staff tokens live five minutes; one per user is enough for the run. */
    private String token(String user) {
        return tokens.computeIfAbsent(user, u -> Tokens.staff(fixtures.keycloakUrl(), u));
    }

    /** Whether the problem's errors name the field, or a part of it ({@code jwks.keys}). */
    private static boolean names(JsonNode errors, String field) {
        for (Iterator<String> names = errors.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (name.equals(field) || name.startsWith(field + ".") || name.startsWith(field + "[")) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode readOrNull(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            return null;
        }
    }

    private static String json(JsonNode body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String abbreviate(String text, int length) {
        if (text == null) {
            return "(none)";
        }
        return text.length() <= length ? text : text.substring(0, length) + "… (" + text.length() + " characters)";
    }

    // ---- what a refused call must not change ----

    record Counts(long processInstances, long partnerships, long identities, int keycloakUsers, int keycloakClients,
                  long auditByCaller) {
    }

    private Counts counts(String caller) {
        RealmResource realm = keycloakAdmin.realm(partnerRealm);
        return new Counts(history.createHistoricProcessInstanceQuery().count(), partnerships.count(), identities.count(),
                realm.users().count(), realm.clients().findAll().size(),
                // a refusal recorded as such (a wrong hand-over token) is evidence kept on purpose, not a change
                caller == null ? 0 : jdbc.queryForObject("select count(*) from audit_event where actor = ?"
                        + " and action not like '%REFUSED'", Long.class, caller));
    }

    /**
     * Waits until what an accepted call set off (provisioning, revocation, their audit entries) has finished: no job
     * due in the engine, and two equal readings in a row.
     */
    private void settle(String caller) {
        await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ofMillis(200)).pollInterval(Duration.ofMillis(500))
                .until(new Callable<>() {
                    private Counts last;

                    @Override
                    public Boolean call() {
                        Counts now = counts(caller);
                        boolean stable = now.equals(last) && management.createJobQuery().executable().count() == 0;
                        last = now;
                        return stable;
                    }
                });
    }
}
