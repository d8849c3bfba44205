package org.partneraccess.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.Response;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.GroupRepresentation;
import org.partneraccess.LifecycleState;
import org.partneraccess.ProcessIds;
import org.partneraccess.audit.AuditLog;
import org.partneraccess.dev.ManagedKeycloak;
import org.partneraccess.inventory.internal.PartnerIdentityRepository;
import org.partneraccess.partnership.PartnershipService;
import org.partneraccess.support.ItFixtures;
import org.partneraccess.support.KeycloakAdmin;
import org.partneraccess.support.PartnerAccessTest;
import org.partneraccess.support.Otp;
import org.partneraccess.support.StaffSignIn;
import org.partneraccess.support.Tokens;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationContext;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;

/**
 * Which tokens of the staff realm the APIs accept, tried with real tokens from Keycloak: only access tokens for this
 * API from the listed clients; the SIEM's token opens its reports and nothing else; only security officers terminate.
 * Every refusal leaves the partnership as it was.
 */
@PartnerAccessTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenAcceptanceIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER = "sofia.security";
    /** What the SIEM may call; every other /api handler must refuse it. */
    private static final Set<String> REPORTS = Set.of("POST /api/partnerships/{key}/incidents",
            "POST /api/identities/{id}/incidents", "POST /api/partnerships/{key}/risk-downgrades");
    /** Reads and writes of the engine, whatever the engine's own grants would say: the chain refuses them first. */
    private static final List<String> ENGINE_REST = List.of("GET /engine-rest/engine", "GET /engine-rest/process-definition",
            "GET /engine-rest/process-instance", "GET /engine-rest/task", "GET /engine-rest/history/process-instance",
            "GET /engine-rest/history/variable-instance", "GET /engine-rest/deployment", "GET /engine-rest/incident",
            "GET /engine-rest/engine/default/process-instance", "GET /engine-rest/process-instance/",
            "POST /engine-rest/message", "POST /engine-rest/process-instance", "POST /engine-rest/task",
            "POST /engine-rest/engine/default/message");

    @Value("${partner-access.keycloak.staff-realm}")
    String staffRealm;
    @Autowired
    ApplicationContext context;
    @Autowired
    RuntimeService runtime;
    @Autowired
    PartnershipService partnerships;
    @Autowired
    PartnerIdentityRepository identities;
    @Autowired
    ManagementService management;
    @Autowired
    AuditLog audit;
    @Autowired
    ItFixtures fixtures;

    private final HttpClient http = HttpClient.newHttpClient();
    private String foreignClientUuid;
    /** Stays ACTIVE: every refusal in this class is checked against it. */
    private String key;
    private String person;

    @BeforeAll
    void activePartnership() {
        key = activate();
        person = identities.findByPartnershipKeyOrderById(key).get(0).getId();
    }

    @AfterAll
    void removeForeignClient() {
        if (foreignClientUuid != null) {
            staffRealm().clients().get(foreignClientUuid).remove();
        }
    }

    @Test
    void onlyAccessTokensForThisApiFromTheListedClientsAreAccepted() throws Exception {
        String cli = Tokens.staff(fixtures.keycloakUrl(), USER);
        assertThat(get("/api/partnerships/" + key, cli).statusCode()).as("the CLI's access token").isEqualTo(200);
        assertThat(get("/engine-rest/process-definition", cli).statusCode()).isEqualTo(200);

        // the same user, through Keycloak's own admin-cli client: a valid staff-realm access token, not for this API
        String adminCli = Tokens.request(fixtures.keycloakUrl(), staffRealm, Map.of("grant_type", "password",
                "client_id", "admin-cli", "username", USER, "password", Tokens.DEMO_PASSWORD, "totp", Otp.code(USER)))
                .get("access_token").asText();
        assertThat(claims(adminCli).path("azp").asText()).isEqualTo("admin-cli");
        assertThat(claims(adminCli).path("typ").asText()).isEqualTo("Bearer");
        assertRefusedEverywhere(adminCli, "admin-cli access token");

        // the same user's ID token from the CLI client
        String idToken = StaffSignIn.withSecondFactor(fixtures.keycloakUrl(), USER).get("id_token").asText();
        assertThat(claims(idToken).path("typ").asText()).isEqualTo("ID");
        assertThat(claims(idToken).path("azp").asText()).isEqualTo("partner-access-cli");
        assertRefusedEverywhere(idToken, "ID token");

        // a client someone added to the staff realm, given the API's audience and a security officer's group:
        // only its client id tells it apart, and that is enough
        String foreign = foreignClientToken();
        assertThat(claims(foreign).path("aud").toString()).contains("partner-access-api");
        assertThat(claims(foreign).path("typ").asText()).isEqualTo("Bearer");
        assertThat(claims(foreign).path("groups").toString()).contains(StaffGroups.SECURITY_OFFICERS);
        assertThat(claims(foreign).path("preferred_username").asText()).startsWith("service-account-reporting-tool-");
        assertRefusedEverywhere(foreign, "token of an unlisted client");

        String before = snapshot();
        for (String refused : List.of(adminCli, idToken, foreign)) {
            HttpResponse<String> termination = post("/api/partnerships/" + key + "/termination", refused,
                    Map.of("reason", "contract ended"));
            assertThat(termination.statusCode()).isEqualTo(401);
            HttpResponse<String> incident = post("/api/partnerships/" + key + "/incidents", refused,
                    Map.of("reason", "forged report", "severity", "CRITICAL"));
            assertThat(incident.statusCode()).isEqualTo(401);
        }
        assertUnchanged(before);
    }

    @Test
    void theIncidentReporterReportsAndReadsNothing() throws Exception {
        String siem = siemToken();
        assertThat(claims(siem).path("azp").asText()).isEqualTo("partner-access-incident-reporter");
        assertThat(claims(siem).path("groups").toString()).contains(StaffGroups.INCIDENT_REPORTERS);
        String before = snapshot();

        // every /api handler the application maps but the reports, with the real partnership and person in the path
        Set<String> api = apiEndpoints();
        assertThat(api).containsAll(REPORTS).contains("GET /api/partnerships", "GET /api/identities",
                "GET /api/identities/{id}/evidence", "GET /api/drift", "GET /api/audit/verification",
                "POST /api/partnerships/{key}/termination");
        List<String> wrong = new ArrayList<>();
        for (String endpoint : api) {
            if (REPORTS.contains(endpoint)) {
                continue;
            }
            HttpResponse<String> response = call(endpoint, siem, "application/json");
            if (response.statusCode() != 403) {
                wrong.add(endpoint + " answered " + response.statusCode() + " " + response.body());
            }
        }
        for (String endpoint : List.of("GET /api/partnerships", "GET /api/identities")) {
            HttpResponse<String> csv = call(endpoint, siem, "text/csv");
            if (csv.statusCode() != 403) {
                wrong.add(endpoint + " as CSV answered " + csv.statusCode());
            }
        }
        for (String endpoint : ENGINE_REST) {
            HttpResponse<String> response = call(endpoint, siem, "application/json");
            if (response.statusCode() != 403) {
                wrong.add(endpoint + " answered " + response.statusCode() + " " + response.body());
            }
        }
        for (String endpoint : List.of("GET /actuator/prometheus", "GET /actuator/health")) {
            HttpResponse<String> response = call(endpoint, siem, "application/json");
            if (response.statusCode() != 403) {
                wrong.add(endpoint + " answered " + response.statusCode() + " " + response.body());
            }
        }
        // the dashboard takes no bearer token at all: a sign-in redirect, never a page
        HttpResponse<String> dashboard = call("GET /dashboard", siem, "text/html");
        assertThat(dashboard.statusCode()).as("dashboard").isIn(302, 401, 403);
        assertThat(wrong).as("endpoints that answered the incident reporter").isEmpty();

        // nor may it end the partnership through its report
        HttpResponse<String> ending = post("/api/partnerships/" + key + "/incidents", siem,
                Map.of("reason", "impossible travel alert", "severity", "HIGH", "terminate", true));
        assertThat(ending.statusCode()).as(ending.body()).isEqualTo(403);
        assertUnchanged(before);

        // what it is there for still works: on another partnership, report an incident and see it cut off
        String reported = activate();
        HttpResponse<String> incident = post("/api/partnerships/" + reported + "/incidents", siem,
                Map.of("reason", "impossible travel alert", "severity", "HIGH", "reporterReference", "SIEM-7"));
        assertThat(incident.statusCode()).as(incident.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> partnerships.get(reported).getState() == LifecycleState.SUSPENDED
                && identities.findByPartnershipKeyOrderById(reported).stream()
                .allMatch(row -> row.getState() == LifecycleState.REVOKED));
        assertThat(audit.ofPartnership(reported)).extracting(entry -> entry.getActor())
                .contains("service-account-partner-access-incident-reporter");
    }

    @Test
    void theIncidentReporterReportsARiskDowngrade() {
        String downgraded = activate();
        HttpResponse<String> response = post("/api/partnerships/" + downgraded + "/risk-downgrades", siemToken(),
                Map.of("reason", "vendor rating fell to C"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> partnerships.get(downgraded).getState() == LifecycleState.UNDER_REVIEW);
    }

    @Test
    void onlySecurityOfficersTerminate() throws Exception {
        String before = snapshot();
        // sam.sponsor sponsors this very partnership, and still may not end it
        assertThat(partnerships.get(key).getSponsor()).isEqualTo("sam.sponsor");
        for (String token : List.of(Tokens.staff(fixtures.keycloakUrl(), "sam.sponsor"),
                Tokens.staff(fixtures.keycloakUrl(), "sarah.sponsor"),
                siemToken())) {
            HttpResponse<String> response = post("/api/partnerships/" + key + "/termination", token,
                    Map.of("reason", "contract ended early"));
            assertThat(response.statusCode()).as(claims(token).path("azp").asText() + " "
                    + claims(token).path("preferred_username").asText()).isEqualTo(403);
        }
        // a body that would not even bind: still 403, the role is checked first
        HttpResponse<String> unbound = post("/api/partnerships/" + key + "/termination",
                Tokens.staff(fixtures.keycloakUrl(), "sam.sponsor"), Map.of());
        assertThat(unbound.statusCode()).as(unbound.body()).isEqualTo(403);
        assertUnchanged(before);
    }

    // ---- helpers ----

    /**
     * The partnership as the registry, the engine and the audit trail know it: its state, its identities' states, the
     * process still waiting for the recertification, and how many audit entries it has.
     */
    private String snapshot() {
        return partnerships.get(key).getState() + " " + identities.findByPartnershipKeyOrderById(key).stream()
                .map(row -> row.getId() + "=" + row.getState() + "/" + row.getStateReason()).toList()
                + " waiting=" + runtime.createExecutionQuery().processInstanceBusinessKey(key)
                .activityId(ProcessIds.TIMER_RECERTIFICATION_DUE).count()
                + " audit=" + audit.ofPartnership(key).size();
    }

    private void assertUnchanged(String before) {
        assertThat(partnerships.get(key).getState()).isEqualTo(LifecycleState.ACTIVE);
        assertThat(snapshot()).isEqualTo(before);
    }

    private void assertRefusedEverywhere(String token, String what) {
        for (String path : List.of("/api/partnerships", "/api/partnerships/" + key, "/api/identities",
                "/api/audit/verification", "/engine-rest/process-definition", "/engine-rest/task",
                "/engine-rest/engine/default/process-instance", "/actuator/prometheus")) {
            HttpResponse<String> response = get(path, token);
            assertThat(response.statusCode()).as(what + " on " + path).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).as(what + " on " + path)
                    .hasValueSatisfying(challenge -> assertThat(challenge).contains("invalid_token"));
            assertThat(response.body()).as(what + " on " + path).doesNotContain(key);
        }
    }

    /** Active, and settled: its process and its people's have no job due any more. */
    private String activate() {
        String activated = fixtures.partnership("tok").active();
        await().atMost(Duration.ofSeconds(60)).until(() -> !identities.findByPartnershipKeyOrderById(activated).isEmpty()
                && settled(activated));
        return activated;
    }

    /** No job of the partnership's process or its identities' is due any more (mails sent, people provisioned). */
    private boolean settled(String partnershipKey) {
        List<String> businessKeys = new ArrayList<>();
        businessKeys.add(partnershipKey);
        identities.findByPartnershipKeyOrderById(partnershipKey).forEach(row -> businessKeys.add(row.getId()));
        return businessKeys.stream().allMatch(businessKey -> runtime.createProcessInstanceQuery()
                .processInstanceBusinessKey(businessKey).list().stream().allMatch(instance -> management.createJobQuery()
                        .processInstanceId(instance.getId()).executable().count() == 0));
    }

    private String siemToken() {
        return Tokens.request(fixtures.keycloakUrl(), staffRealm, Map.of("grant_type", "client_credentials",
                "client_id", "partner-access-incident-reporter",
                "client_secret", ManagedKeycloak.current().secret(ManagedKeycloak.INCIDENT_REPORTER_SECRET_ENV)))
                .get("access_token").asText();
    }

    /**
     * A confidential client added to the staff realm with the scopes of a listed client (the API's audience, the groups,
     * a user name), whose service account is a security officer.
     */
    private String foreignClientToken() {
        String clientId = "reporting-tool-" + UUID.randomUUID().toString().substring(0, 8);
        String secret = UUID.randomUUID().toString();
        ClientRepresentation client = new ClientRepresentation();
        client.setClientId(clientId);
        client.setPublicClient(false);
        client.setSecret(secret);
        client.setServiceAccountsEnabled(true);
        client.setStandardFlowEnabled(false);
        client.setDirectAccessGrantsEnabled(false);
        client.setDefaultClientScopes(List.of("basic", "profile", "groups", "partner-access-api"));
        RealmResource realm = staffRealm();
        try (Response created = realm.clients().create(client)) {
            assertThat(created.getStatus()).isEqualTo(201);
        }
        foreignClientUuid = realm.clients().findByClientId(clientId).get(0).getId();
        String serviceAccount = realm.clients().get(foreignClientUuid).getServiceAccountUser().getId();
        GroupRepresentation officers = realm.getGroupByPath(StaffGroups.SECURITY_OFFICERS);
        realm.users().get(serviceAccount).joinGroup(officers.getId());
        return Tokens.request(fixtures.keycloakUrl(), staffRealm, Map.of("grant_type", "client_credentials",
                "client_id", clientId, "client_secret", secret)).get("access_token").asText();
    }

    private RealmResource staffRealm() {
        return KeycloakAdmin.realm(staffRealm);
    }

    /** Every method and path pattern of the Spring MVC handlers under {@code /api}. */
    private Set<String> apiEndpoints() {
        Set<String> found = new TreeSet<>();
        for (RequestMappingInfoHandlerMapping mapping : context.getBeansOfType(RequestMappingInfoHandlerMapping.class)
                .values()) {
            for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : mapping.getHandlerMethods().entrySet()) {
                for (String pattern : entry.getKey().getPatternValues()) {
                    if (!pattern.startsWith("/api/")) {
                        continue;
                    }
                    Set<String> methods = new TreeSet<>();
                    entry.getKey().getMethodsCondition().getMethods().forEach(method -> methods.add(method.name()));
                    if (methods.isEmpty()) {
                        methods.add("GET");
                    }
                    methods.forEach(method -> found.add(method + " " + pattern));
                }
            }
        }
        return found;
    }

    /** Calls "METHOD /path/{var}" with the partnership's key or its person's id in place of each path variable. */
    private HttpResponse<String> call(String endpoint, String token, String accept) {
        String method = endpoint.substring(0, endpoint.indexOf(' '));
        String path = endpoint.substring(endpoint.indexOf(' ') + 1)
                .replace("{key}", key).replaceAll("\\{[^}]*}", person);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(fixtures.url(path)))
                .header("Accept", accept).header("Authorization", "Bearer " + token);
        switch (method) {
            case "GET" -> request.GET();
            case "DELETE" -> request.DELETE();
            default -> request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString("{}"));
        }
        return Tokens.send(http, request.build());
    }

    private HttpResponse<String> get(String path, String token) {
        return call("GET " + path, token, "application/json");
    }

    private HttpResponse<String> post(String path, String token, Map<String, ?> body) {
        try {
            return Tokens.send(http, HttpRequest.newBuilder(URI.create(fixtures.url(path)))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode claims(String token) {
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
