package org.partneraccess.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Application;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.TestInstance;
import org.partneraccess.ProcessIds;
import org.partneraccess.Variables;
import org.partneraccess.partnership.PartnershipService;
import org.partneraccess.support.EngineDoors;
import org.partneraccess.support.EngineDoors.Via;
import org.partneraccess.support.ItFixtures;
import org.partneraccess.support.PartnerAccessTest;
import org.partneraccess.support.Tokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;

/**
 * Every endpoint the running application maps, found at runtime — Spring MVC handlers (the API, the dashboard,
 * the actuator, the API description), the engine's JAX-RS resources under {@code /engine-rest} and the Camunda
 * webapps' JAX-RS resources under {@code /camunda/api} (from the servlets the container registered) — is called
 * without a token and with a staff token that lacks the role. Only the endpoints named in {@link #PUBLIC} answer
 * 2xx to nobody.
 */
@PartnerAccessTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessControlSweepIT {

    private static final Logger LOG = LoggerFactory.getLogger(AccessControlSweepIT.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TEMPLATE = Pattern.compile("\\{[^}]*}");
    private static final Pattern GROUP = Pattern.compile("'" + StaffGroups.AUTHORITY_PREFIX + "([^']+)'");
    /** Staff users whose tokens are used to find one without the role (none of them signs in with a wrong password). */
    private static final List<String> STAFF = List.of("robert.requester", "sam.sponsor", "sofia.security",
            "alice.auditor", "paul.process", "ian.owner");

    /**
     * Deliberately public: the health status and info for probes, the API description, the sign-in pages of the
     * dashboard and of the Camunda webapps, and their static assets. Method and path as the sweep calls them.
     */
    private static final Map<String, String> PUBLIC = Map.ofEntries(
            Map.entry("GET /actuator/health", "probes"),
            Map.entry("GET /actuator/health/**", "liveness and readiness probes"),
            Map.entry("GET /actuator/info", "probes"),
            Map.entry("GET /actuator", "the list of exposed endpoints (links only)"),
            Map.entry("GET /v3/api-docs", "API description"),
            Map.entry("GET /v3/api-docs/**", "API description"),
            Map.entry("GET /v3/api-docs.yaml", "API description"),
            Map.entry("GET /swagger-ui.html", "API description"),
            Map.entry("GET /swagger-ui/**", "API description (static assets)"),
            Map.entry("GET /login", "the dashboard's sign-in page"),
            Map.entry("GET /camunda/app/**", "the Camunda webapps' sign-in pages and static assets"),
            Map.entry("GET /camunda/api/engine/engine", "the engine names the webapps' sign-in page lists"),
            Map.entry("GET /camunda/api/engine/engine/*/identity/password-policy",
                    "the password rules the webapps' pages show, no data"),
            Map.entry("GET /error", "where refusals are rendered; shows nothing of the inside"),
            Map.entry("GET " + SecurityConfiguration.RECEIPT_KEYS_PATH, "the public keys that verify receipts"),
            Map.entry("GET /camunda/api/*/plugin/*/static/**", "static assets of the webapp plugins"));

    /**
     * {@code /api} handlers without {@code @PreAuthorize}: any staff member may call them; what each caller may see
     * is decided inside (the partnership's people, the machine's owner), as the README documents.
     */
    private static final Set<String> ANY_STAFF = Set.of(
            "GET /api/partnerships", "GET /api/partnerships/{key}",
            // the machine's owner or requester, checked against the registry inside
            "POST /api/partnerships/{key}/machines", "GET /api/machines/{id}", "POST /api/machines/{id}/secret",
            "POST /api/machines/{id}/secret-renewal", "POST /api/machines/{id}/elevations");

    @Autowired
    ItFixtures fixtures;
    @Autowired
    ApplicationContext context;
    @Autowired
    ServletContext servletContext;
    @Autowired
    TaskService tasks;
    @Autowired
    RuntimeService runtime;
    @Autowired
    RepositoryService repository;
    @Autowired
    ManagementService management;
    @Autowired
    AuthorizationService authorizations;
    @Autowired
    PartnershipService partnerships;

    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, String> tokens = new LinkedHashMap<>();
    private final Map<String, Set<String>> groups = new LinkedHashMap<>();

    @BeforeAll
    void staffTokens() throws Exception {
        for (String user : STAFF) {
            String token = Tokens.staff(fixtures.keycloakUrl(), user);
            tokens.put(user, token);
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
            Set<String> memberOf = new HashSet<>();
            claims.path(StaffGroups.GROUPS_CLAIM).forEach(group -> memberOf.add(group.asText()));
            groups.put(user, memberOf);
        }
    }

    @Test
    void everyMappedEndpointRefusesCallersWithoutAToken() {
        List<Endpoint> endpoints = new ArrayList<>();
        endpoints.addAll(springMvcEndpoints().keySet());
        endpoints.addAll(jaxRsEndpoints());
        endpoints.addAll(List.of(new Endpoint("GET", "/login"), new Endpoint("GET", "/oauth2/authorization/staff"),
                new Endpoint("GET", "/login/oauth2/code/staff"), new Endpoint("POST", "/logout"),
                new Endpoint("GET", "/camunda/app/tasklist/default/"), new Endpoint("GET", "/")));
        Map<String, Integer> byArea = new TreeMap<>();
        List<String> wrong = new ArrayList<>();
        for (Endpoint endpoint : endpoints) {
            byArea.merge(area(endpoint.path()), 1, Integer::sum);
            int status = call(endpoint, null).statusCode();
            String expected = expectationWithoutToken(endpoint, status);
            if (expected != null) {
                wrong.add(endpoint + " answered " + status + ", expected " + expected);
            }
        }
        LOG.info("Swept {} endpoints without a token: {}", endpoints.size(), byArea);
        assertThat(wrong).as("endpoints that answered a caller without a token wrongly").isEmpty();
        assertThat(byArea).containsKeys("/api", "/engine-rest", "/camunda/api", "/dashboard", "/actuator");
        assertThat(byArea.get("/engine-rest")).as("engine REST resources found").isGreaterThan(200);
    }

    @Test
    void everyApiEndpointRefusesAStaffTokenWithoutTheRole() {
        Map<Endpoint, HandlerMethod> api = new LinkedHashMap<>();
        springMvcEndpoints().forEach((endpoint, handler) -> {
            // the deliberately public ones answer anybody, which the anonymous sweep checks
            if (endpoint.path().startsWith("/api/") && PUBLIC.keySet().stream().noneMatch(p -> matches(p, endpoint))) {
                api.put(endpoint, handler);
            }
        });
        Set<String> open = new TreeSet<>();
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Map.Entry<Endpoint, HandlerMethod> entry : api.entrySet()) {
            Set<String> allowed = allowedGroups(entry.getValue());
            if (allowed == null) {
                open.add(entry.getKey().toString());
                continue;
            }
            String outsider = STAFF.stream().filter(user -> groups.get(user).stream().noneMatch(allowed::contains))
                    .findFirst().orElseThrow(() -> new AssertionError("every demo user may call " + entry.getKey()));
            HttpResponse<String> response = call(entry.getKey(), tokens.get(outsider));
            checked++;
            if (response.statusCode() != 403) {
                wrong.add(entry.getKey() + " as " + outsider + " answered " + response.statusCode() + " "
                        + response.body());
            }
        }
        LOG.info("Checked {} /api endpoints with a staff token lacking the role; open to any staff: {}", checked, open);
        assertThat(wrong).as("endpoints that did not refuse a staff member without the role").isEmpty();
        assertThat(open).as("/api handlers without @PreAuthorize").isEqualTo(new TreeSet<>(ANY_STAFF));
        assertThat(checked).isGreaterThan(10);
    }

    /**
     * The engine REST API against real objects: an auditor, who may read but holds no grant to change anything, calls
     * every write of {@code /engine-rest} with the ids of an active partnership's process instance, timer job and job
     * definition, and of another partnership's sponsor task, in the path; the sponsor's approval, the incident message,
     * a modification and a suspension as the body. Nothing but a query answers 2xx, nothing answers 5xx (a refusal is
     * a 4xx), and nothing has changed afterwards.
     * Through both doors: with her token, and through the webapps' session API with her Cockpit session (there every
     * path names the engine, so {@code /x} and {@code /engine/default/x} are one call).
     */
    @ParameterizedTest(name = "via {0}")
    @EnumSource(Via.class)
    void everyEngineRestWriteRefusesAStaffMemberWithoutTheGrantAndChangesNothing(Via via) throws Exception {
        String active = fixtures.partnership("sweep").active();
        String waiting = requestPartnership();
        ProcessInstance instance = runtime.createProcessInstanceQuery().processInstanceBusinessKey(active).singleResult();
        Job timer = management.createJobQuery().processInstanceId(instance.getId()).timers().list().get(0);
        Map<String, String> ids = Map.of(
                // the engine by name too: /engine-rest/engine/{name}/… reaches the same resources
                "engine", "default",
                "process-instance", instance.getId(),
                "execution", instance.getId(),
                "job", timer.getId(),
                "job-definition", timer.getJobDefinitionId(),
                "task", tasks.createTaskQuery().processInstanceBusinessKey(waiting).singleResult().getId(),
                "process-definition", instance.getProcessDefinitionId(),
                "key", ProcessIds.PARTNERSHIP_PROCESS,
                "deployment", repository.getProcessDefinition(instance.getProcessDefinitionId()).getDeploymentId());
        Map<String, Object> attack = Map.of(
                "variables", Map.of(Variables.SPONSOR_APPROVED, Map.of("value", true)),
                "messageName", ProcessIds.MESSAGE_PARTNER_INCIDENT_REPORTED, "businessKey", active,
                "instructions", List.of(Map.of("type", "cancel", "activityId", ProcessIds.TIMER_RECERTIFICATION_DUE)),
                "processInstanceIds", List.of(instance.getId()), "suspended", true, "retries", 0);
        String body = JSON.writeValueAsString(attack);
        EngineDoors doors = fixtures.doors();
        List<String> keys = List.of(active, waiting);
        Map<String, Object> before = engineState(keys);

        String auditor = tokens.get("alice.auditor");
        Map<Integer, Integer> byStatus = new TreeMap<>();
        List<String> wrong = new ArrayList<>();
        List<String> serverErrors = new ArrayList<>();
        int queries = 0;
        List<Endpoint> writes = jaxRsEndpoints().stream().filter(e -> e.path().startsWith("/engine-rest/"))
                .filter(e -> !e.method().equals("GET")).toList();
        Set<String> calledInSession = new HashSet<>();
        for (Endpoint endpoint : writes) {
            String path = withIds(endpoint.path(), ids);
            HttpResponse<String> response;
            if (via == Via.TASKLIST_SESSION) {
                String enginePath = path.substring("/engine-rest".length()).replaceFirst("^/engine/default(?=/)", "");
                if (!calledInSession.add(endpoint.method() + " " + enginePath)) {
                    continue;
                }
                response = doors.call(via, "alice.auditor", endpoint.method(), enginePath,
                        endpoint.method().equals("DELETE") ? null : attack);
            } else {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(fixtures.url(path)))
                        .header("Accept", "application/json").header("Authorization", "Bearer " + auditor);
                request = endpoint.method().equals("DELETE") ? request.DELETE() : request
                        .header("Content-Type", "application/json")
                        .method(endpoint.method(), HttpRequest.BodyPublishers.ofString(body));
                response = Tokens.send(http, request.build());
            }
            byStatus.merge(response.statusCode(), 1, Integer::sum);
            String answer = response.body().stripLeading();
            boolean query = answer.startsWith("[") || answer.startsWith("{\"count\"");
            if (response.statusCode() / 100 == 2 && !query) {
                wrong.add(endpoint.method() + " " + path + " answered " + response.statusCode() + " " + answer);
            } else if (response.statusCode() / 100 == 2) {
                queries++;
            }
            if (response.statusCode() / 100 == 5) {
                serverErrors.add(endpoint.method() + " " + path + " answered " + response.statusCode() + " "
                        + (answer.length() > 200 ? answer.substring(0, 200) : answer));
            }
        }
        LOG.info("Engine writes called as an auditor via {} with real ids: {}, answers by status {}", via,
                byStatus.values().stream().mapToInt(Integer::intValue).sum(), byStatus);
        assertThat(writes).as("engine REST writes found").hasSizeGreaterThan(100);
        // a run by hand that is refused must not use up the end-date timer's retries, on either path to the engine
        for (String user : List.of("alice.auditor", "robert.requester", "sofia.security")) {
            if (via == Via.TASKLIST_SESSION) {
                HttpResponse<String> run = doors.call(via, user, "POST", "/job/" + timer.getId() + "/execute", null);
                assertThat(run.statusCode()).as(user + " runs the timer by hand in the webapp session").isEqualTo(403);
                continue;
            }
            for (String engine : List.of("/engine-rest", "/engine-rest/engine/default")) {
                HttpResponse<String> run = Tokens.send(http, HttpRequest.newBuilder(URI.create(fixtures.url(engine
                                + "/job/" + timer.getId() + "/execute")))
                        .header("Authorization", "Bearer " + tokens.get(user)).POST(HttpRequest.BodyPublishers.noBody())
                        .build());
                assertThat(run.statusCode()).as(user + " runs the timer by hand at " + engine).isEqualTo(403);
            }
        }
        assertThat(management.createJobQuery().jobId(timer.getId()).singleResult().getRetries()).isEqualTo(timer.getRetries());
        assertThat(engineState(keys)).as("the engine and the registry afterwards").isEqualTo(before);
        assertThat(wrong).as("writes that succeeded without a grant").isEmpty();
        // a refusal is the caller's answer, not a failure of the server: 403, or 400/404/409/415 where that is honest
        assertThat(serverErrors).as("writes refused via " + via + " with a server error instead of a 4xx").isEmpty();
        // the door is not shut: the queries that take their filter as a body still read
        assertThat(queries).as("queries by POST that answered via " + via).isGreaterThan(10);
    }

    /**
     * The engine REST allow-list holds at the door: every engine REST endpoint outside it refuses non-admin staff with
     * 403 before the engine is reached, with and without a trailing slash (Jersey routes both); Camunda
     * administrators keep it all.
     */
    @Test
    void everyEngineRestEndpointOutsideTheStaffAllowListIsForCamundaAdministratorsOnly() {
        RequestMatcher allowList = EngineRestAllowList.forStaff();
        List<Endpoint> outside = jaxRsEndpoints().stream().filter(e -> e.path().startsWith("/engine-rest/"))
                .filter(e -> !allowList.matches(new MockHttpServletRequest(e.method(), concrete(e.path())))).toList();
        List<String> wrong = new ArrayList<>();
        for (Endpoint endpoint : outside) {
            String path = concrete(endpoint.path());
            for (String user : List.of("robert.requester", "sofia.security", "paul.process")) {
                for (String variant : List.of(path, path + "/")) {
                    int status = call(new Endpoint(endpoint.method(), variant), tokens.get(user)).statusCode();
                    if (status != 403) {
                        wrong.add(endpoint.method() + " " + variant + " as " + user + " answered " + status);
                    }
                }
            }
        }
        LOG.info("Engine REST endpoints outside the staff allow-list: {}", outside.size());
        assertThat(outside).as("engine REST endpoints kept for administrators").hasSizeGreaterThan(100);
        assertThat(wrong).as("endpoints outside the allow-list that answered staff").isEmpty();
        assertThat(allowList.matches(new MockHttpServletRequest("POST", "/engine-rest/identity/verify"))).isFalse();
        assertThat(allowList.matches(new MockHttpServletRequest("POST", "/engine-rest/task/x1/complete"))).isTrue();
    }

    /** Requested, its sponsor's approval open. */
    private String requestPartnership() {
        String key = fixtures.partnership("sweep").requested();
        await().atMost(Duration.ofSeconds(60)).until(() -> tasks.createTaskQuery().processInstanceBusinessKey(key)
                .taskDefinitionKey(ProcessIds.TASK_APPROVE_AS_SPONSOR).count() == 1);
        return key;
    }

    /**
     * What a write could have changed: the partnerships' instances, tasks, jobs and variables, the auditor's grants,
     * deployments, the registry (only this test's objects, where other tests' processes may still be running).
     */
    private Map<String, Object> engineState(List<String> keys) {
        Map<String, Object> state = new LinkedHashMap<>();
        for (String key : keys) {
            ProcessInstance instance = runtime.createProcessInstanceQuery().processInstanceBusinessKey(key)
                    .singleResult();
            state.put(key + " instance suspended", instance == null ? "gone" : instance.isSuspended());
            if (instance == null) {
                continue;
            }
            state.put(key + " activities", new TreeSet<>(runtime.getActiveActivityIds(instance.getId())));
            state.put(key + " tasks", tasks.createTaskQuery().processInstanceId(instance.getId()).list().stream()
                    .map(task -> task.getTaskDefinitionKey() + " assignee " + task.getAssignee() + " owner "
                            + task.getOwner() + " due " + task.getDueDate()).toList());
            state.put(key + " variables", new TreeMap<>(runtime.getVariables(instance.getId())).toString());
            state.put(key + " jobs", management.createJobQuery().processInstanceId(instance.getId()).list().stream()
                    .map(job -> job.getId() + " due " + job.getDuedate() + " retries " + job.getRetries() + " suspended "
                            + job.isSuspended()).toList());
            state.put(key + " incidents", runtime.createIncidentQuery().processInstanceId(instance.getId()).count());
            state.put(key + " partnership", partnerships.get(key).getState());
        }
        state.put("job definitions suspended", management.createJobDefinitionQuery().suspended().count());
        state.put("auditor's grants", authorizations.createAuthorizationQuery().userIdIn("alice.auditor").count() + " "
                + authorizations.createAuthorizationQuery().groupIdIn("auditors").count());
        state.put("deployments", repository.createDeploymentQuery().count());
        state.put("definitions suspended", repository.createProcessDefinitionQuery().suspended().count());
        return state;
    }

    /** Path parameters filled with the real object each segment names; the rest as {@link #concrete} fills them. */
    private static String withIds(String template, Map<String, String> ids) {
        String[] segments = template.split("/");
        for (int i = 1; i < segments.length; i++) {
            if (TEMPLATE.matcher(segments[i]).matches() && ids.containsKey(segments[i - 1])) {
                segments[i] = ids.get(segments[i - 1]);
            }
        }
        return concrete(String.join("/", segments));
    }

    @Test
    void actuatorEndpointsOtherThanHealthRefuseAStaffTokenWithoutTheRole() {
        List<String> wrong = new ArrayList<>();
        List<Endpoint> actuator = springMvcEndpoints().keySet().stream().filter(e -> e.path().startsWith("/actuator"))
                .filter(e -> PUBLIC.keySet().stream().noneMatch(pattern -> matches(pattern, e))).toList();
        assertThat(actuator).as("actuator endpoints for operators only").isNotEmpty();
        actuator.forEach(e -> {
            int status = call(e, tokens.get("robert.requester")).statusCode();
            if (status != 403) {
                wrong.add(e + " answered " + status);
            }
        });
        assertThat(wrong).isEmpty();
    }

    // ---- what each answer should be ----

    /** Null when the answer is right; otherwise what was expected. */
    private static String expectationWithoutToken(Endpoint endpoint, int status) {
        boolean isPublic = PUBLIC.keySet().stream().anyMatch(pattern -> matches(pattern, endpoint));
        String path = endpoint.path();
        if (isPublic) {
            return null;
        }
        if (path.startsWith("/api/") || path.equals("/api") || path.startsWith("/engine-rest")) {
            return status == 401 ? null : "401";
        }
        if (path.startsWith("/dashboard") || path.startsWith("/oauth2/authorization")
                || path.startsWith("/login/oauth2/code") || path.equals("/logout") || path.equals("/")
                || path.startsWith("/camunda/app")) {
            // browser pages send to a login page (or refuse a sign-in callback or sign-out without its state)
            return status == 302 || status == 401 || status == 403 ? null : "a redirect to the login or a refusal";
        }
        if (path.startsWith("/actuator")) {
            return status == 401 || status == 403 ? null : "401 or 403";
        }
        if (path.startsWith("/camunda/api")) {
            // the webapps: 401 without a session, 403 for a write without the CSRF token, 404 for an unknown engine
            return status == 401 || status == 403 || status == 404 || status == 405 ? null : "401, 403 or 404";
        }
        return status == 401 || status == 403 || status == 404 ? null : "a refusal";
    }

    private static boolean matches(String pattern, Endpoint endpoint) {
        String[] parts = pattern.split(" ", 2);
        if (!parts[0].equals(endpoint.method())) {
            return false;
        }
        // a path pattern as Spring writes it: /** any rest of the path, * one segment
        String glob = parts[1];
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < glob.length(); ) {
            boolean rest = glob.startsWith("/**", i);
            if (rest || glob.charAt(i) == '*') {
                regex.append(Pattern.quote(literal.toString())).append(rest ? "(/.*)?" : "[^/]+");
                literal.setLength(0);
                i += rest ? 3 : 1;
            } else {
                literal.append(glob.charAt(i++));
            }
        }
        regex.append(Pattern.quote(literal.toString()));
        return endpoint.path().matches(regex.toString());
    }

    private static String area(String path) {
        for (String area : List.of("/api", "/engine-rest", "/camunda/api", "/camunda/app", "/dashboard", "/actuator",
                "/v3", "/swagger-ui")) {
            if (path.equals(area) || path.startsWith(area + "/") || path.startsWith(area + ".")) {
                return area;
            }
        }
        return "other";
    }

    /** The staff groups a handler's {@code @PreAuthorize} lets in, or null when it has none. */
    private static Set<String> allowedGroups(HandlerMethod handler) {
        PreAuthorize rule = AnnotatedElementUtils.findMergedAnnotation(handler.getMethod(), PreAuthorize.class);
        if (rule == null) {
            rule = AnnotatedElementUtils.findMergedAnnotation(handler.getBeanType(), PreAuthorize.class);
        }
        if (rule == null) {
            return null;
        }
        Set<String> allowed = new LinkedHashSet<>();
        Matcher group = GROUP.matcher(rule.value());
        while (group.find()) {
            allowed.add(group.group(1));
        }
        assertThat(allowed).as("groups named by " + rule.value()).isNotEmpty();
        return allowed;
    }

    // ---- finding the endpoints ----

    record Endpoint(String method, String path) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** Every handler method of every Spring MVC request mapping (controllers, actuator, springdoc). */
    private Map<Endpoint, HandlerMethod> springMvcEndpoints() {
        Map<Endpoint, HandlerMethod> found = new LinkedHashMap<>();
        for (RequestMappingInfoHandlerMapping mapping : context.getBeansOfType(RequestMappingInfoHandlerMapping.class)
                .values()) {
            for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : mapping.getHandlerMethods().entrySet()) {
                Set<String> methods = new TreeSet<>();
                entry.getKey().getMethodsCondition().getMethods().forEach(m -> methods.add(m.name()));
                if (methods.isEmpty()) {
                    methods.add("GET");
                }
                for (String pattern : entry.getKey().getPatternValues()) {
                    for (String method : methods) {
                        found.putIfAbsent(new Endpoint(method, pattern.replace("/**", "/any")), entry.getValue());
                    }
                }
            }
        }
        return found;
    }

    /**
     * Every resource method of the JAX-RS applications the container runs: the engine REST API (Jersey's resource
     * configuration) and each webapp API servlet (its {@code jakarta.ws.rs.Application}), sub-resources included.
     */
    private Set<Endpoint> jaxRsEndpoints() {
        Set<Endpoint> found = new LinkedHashSet<>();
        for (ServletRegistration servlet : servletContext.getServletRegistrations().values()) {
            Set<Class<?>> resources = new LinkedHashSet<>();
            String application = servlet.getInitParameter("jakarta.ws.rs.Application");
            if (application != null) {
                try {
                    resources.addAll(((Application) Class.forName(application).getDeclaredConstructor().newInstance())
                            .getClasses());
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot list the resources of " + application, e);
                }
            } else if (servlet.getClassName().startsWith("org.glassfish.jersey")) {
                context.getBeansOfType(ResourceConfig.class).values().forEach(c -> resources.addAll(c.getClasses()));
            }
            for (String mapping : servlet.getMappings()) {
                String base = mapping.replaceAll("/\\*$", "");
                for (Class<?> resource : resources) {
                    Path root = rootPath(resource);
                    if (root != null) {
                        collect(resource, base + join("", root.value()), found, new HashSet<>(), 0);
                    }
                }
            }
        }
        return found;
    }

    private static void collect(Class<?> type, String prefix, Set<Endpoint> found, Set<String> seen, int depth) {
        if (depth > 6 || !seen.add(type.getName() + prefix)) {
            return;
        }
        for (Method method : type.getMethods()) {
            Path path = annotation(type, method, Path.class);
            String http = httpMethod(type, method);
            String full = path == null ? prefix : join(prefix, path.value());
            if (http != null) {
                if (!http.equals("OPTIONS") && !http.equals("HEAD")) {
                    found.add(new Endpoint(http, full));
                }
            } else if (path != null && method.getReturnType() != Object.class && !method.getReturnType().isPrimitive()) {
                collect(method.getReturnType(), full, found, seen, depth + 1);
            }
        }
    }

    private static Path rootPath(Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            if (c.isAnnotationPresent(Path.class)) {
                return c.getAnnotation(Path.class);
            }
            for (Class<?> i : c.getInterfaces()) {
                if (i.isAnnotationPresent(Path.class)) {
                    return i.getAnnotation(Path.class);
                }
            }
        }
        return null;
    }

    /** A JAX-RS annotation of the method, where the resource's class or one of its interfaces declares it. */
    private static <A extends Annotation> A annotation(Class<?> type, Method method, Class<A> annotation) {
        for (Method candidate : declarations(type, method)) {
            A found = candidate.getAnnotation(annotation);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static String httpMethod(Class<?> type, Method method) {
        for (Method candidate : declarations(type, method)) {
            for (Annotation a : candidate.getAnnotations()) {
                HttpMethod http = a.annotationType().getAnnotation(HttpMethod.class);
                if (http != null) {
                    return http.value();
                }
            }
        }
        return null;
    }

    private static List<Method> declarations(Class<?> type, Method method) {
        List<Method> declarations = new ArrayList<>();
        declarations.add(method);
        List<Class<?>> types = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            types.add(c);
            types.addAll(List.of(c.getInterfaces()));
        }
        for (Class<?> c : types) {
            try {
                declarations.add(c.getMethod(method.getName(), method.getParameterTypes()));
            } catch (NoSuchMethodException ignored) {
                // not declared there
            }
        }
        return declarations;
    }

    private static String join(String prefix, String path) {
        String joined = (prefix + "/" + path).replaceAll("/+", "/");
        return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }

    /** Path parameters filled in: the real engine's name (so the call reaches its checks), else a value nothing has. */
    private static String concrete(String template) {
        return TEMPLATE.matcher(template).replaceAll(parameter -> parameter.group().toLowerCase().startsWith("{engine")
                ? "default" : "sweep-x1");
    }

    // ---- calling them ----

    private HttpResponse<String> call(Endpoint endpoint, String token) {
        String path = concrete(endpoint.path());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(fixtures.url(path)))
                .header("Accept", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.ofString("{}");
        switch (endpoint.method()) {
            case "GET" -> request.GET();
            case "DELETE" -> request.DELETE();
            default -> request.header("Content-Type", "application/json").method(endpoint.method(), body);
        }
        return Tokens.send(http, request.build());
    }
}
