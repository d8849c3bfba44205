package org.partneraccess.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.TaskService;
import org.junit.jupiter.api.Test;
import org.partneraccess.LifecycleState;
import org.partneraccess.ProcessIds;
import org.partneraccess.audit.AuditLog;
import org.partneraccess.partnership.internal.PartnershipRepository;
import org.partneraccess.support.ItFixtures;
import org.partneraccess.support.ModelerDeployment;
import org.partneraccess.support.PartnerAccessClient;
import org.partneraccess.support.PartnerAccessTest;
import org.partneraccess.support.StaffBrowser;
import org.partneraccess.support.StaffSignIn;
import org.partneraccess.support.Tokens;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Approvals, deployments, incident reports and terminations need a second factor; each is tried by the person allowed
 * to do it, signed in with their password alone, through every door (a bearer token at {@code /api} and
 * {@code /engine-rest}, their webapp session at Tasklist's API), and nothing changes until they sign in with it. Scripts
 * get no password grant and no offline token; one sign-out ends the dashboard's and the webapps' session.
 */
@PartnerAccessTest
class SecondFactorIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Autowired
    ItFixtures fixtures;
    @Autowired
    TaskService tasks;
    @Autowired
    RepositoryService repository;
    @Autowired
    PartnershipRepository partnerships;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    AuditLog audit;
    @Value("${partner-access.keycloak.staff-client-secret}")
    String appSecret;

    @Test
    void anApprovalWithoutTheSecondFactorIsRefusedThroughBothDoorsAndChangesNothing() throws Exception {
        String key = "mfa-" + UUID.randomUUID().toString().substring(0, 8);
        PartnerAccessClient client = fixtures.client();
        assertThat(client.post("rita.requester", "/api/partnerships",
                PartnerAccessClient.validRequest(key, key + "@partner.example.org")).statusCode()).isEqualTo(201);
        String task = tasks.createTaskQuery().processInstanceBusinessKey(key)
                .taskDefinitionKey(ProcessIds.TASK_APPROVE_AS_SPONSOR).singleResult().getId();
        String approval = "{\"variables\":{\"sponsorApproved\":{\"value\":true}}}";
        long auditBefore = audit.ofPartnership(key).size();

        String passwordOnly = Tokens.staffWithoutSecondFactor(fixtures.keycloakUrl(), "sam.sponsor");
        assertThat(claims(passwordOnly).path("acr").asText()).isEqualTo("password");
        HttpResponse<String> byToken = engine("POST", "/task/" + task + "/complete", passwordOnly, approval);
        assertThat(byToken.statusCode()).as(byToken.body()).isEqualTo(403);
        assertThat(byToken.body()).contains("second factor", "acr mfa", "acr password");

        // his session, signed in with the password at his requests page (which steps no one up), at Tasklist's API
        StaffBrowser sam = new StaffBrowser(fixtures.port());
        assertThat(sam.signIn("/dashboard/requests", "sam.sponsor", Tokens.DEMO_PASSWORD).statusCode()).isEqualTo(200);
        HttpResponse<String> read = sam.webappCall("GET", "/camunda/api/engine/engine/default/task/" + task, null);
        assertThat(read.statusCode()).as("his session reads his task: " + read.body()).isEqualTo(200);
        HttpResponse<String> bySession = sam.webappCall("POST", "/camunda/api/engine/engine/default/task/" + task
                + "/submit-form", approval);
        assertThat(bySession.statusCode()).as(bySession.body()).isEqualTo(403);
        assertThat(bySession.body()).contains("second factor");

        assertThat(tasks.createTaskQuery().taskId(task).count()).isEqualTo(1);
        assertThat(partnerships.findById(key).orElseThrow().getState()).isEqualTo(LifecycleState.REQUESTED);
        assertThat(audit.ofPartnership(key)).hasSize((int) auditBefore);

        String withSecondFactor = Tokens.staff(fixtures.keycloakUrl(), "sam.sponsor");
        assertThat(claims(withSecondFactor).path("acr").asText()).isEqualTo(StaffSignIn.SECOND_FACTOR);
        HttpResponse<String> approved = engine("POST", "/task/" + task + "/complete", withSecondFactor, approval);
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> partnerships.findById(key).orElseThrow().getState() == LifecycleState.ACTIVE);
        assertThat(partnerships.findById(key).orElseThrow().getApprovedBy()).isEqualTo("sam.sponsor");
    }

    @Test
    void aDeploymentWithoutTheSecondFactorIsNotEvenProposed() throws Exception {
        String policy;
        try (InputStream in = new ClassPathResource("bpmn/PartnerAccessPolicy.dmn").getInputStream()) {
            policy = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("</definitions>",
                    "<!-- " + UUID.randomUUID() + " --></definitions>");
        }
        Map<String, String> fields = Map.of("deployment-name", "second-factor-" + UUID.randomUUID(),
                "deployment-source", "Camunda Modeler");
        long changesBefore = modelChanges();
        long deploymentsBefore = repository.createDeploymentQuery().count();

        String passwordOnly = Tokens.staffWithoutSecondFactor(fixtures.keycloakUrl(), "paul.process");
        HttpResponse<String> refused = ModelerDeployment.send(HTTP, fixtures.port(), passwordOnly, fields,
                "PartnerAccessPolicy.dmn", policy);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        assertThat(refused.body()).contains("second factor").doesNotContain("model change");
        assertThat(modelChanges()).isEqualTo(changesBefore);
        assertThat(repository.createDeploymentQuery().count()).isEqualTo(deploymentsBefore);

        HttpResponse<String> proposed = ModelerDeployment.send(HTTP, fixtures.port(),
                Tokens.staff(fixtures.keycloakUrl(), "paul.process"), fields, "PartnerAccessPolicy.dmn", policy);
        assertThat(proposed.body()).as("kept for a security officer's review").contains("model change");
        assertThat(modelChanges()).isEqualTo(changesBefore + 1);
    }

    @Test
    void reportsAndTerminationsWithoutTheSecondFactorGetTheStepUpChallenge() throws Exception {
        String key = fixtures.activePartnership();
        String passwordOnly = Tokens.staffWithoutSecondFactor(fixtures.keycloakUrl(), "sofia.security");
        int auditBefore = audit.ofPartnership(key).size();
        for (String action : new String[] {"incidents", "termination", "suspension"}) {
            HttpResponse<String> refused = fixtures.client().postWithToken(passwordOnly,
                    "/api/partnerships/" + key + "/" + action, Map.of("reason", "a report without a second factor"));
            assertThat(refused.statusCode()).as(action + ": " + refused.body()).isEqualTo(403);
            assertThat(refused.headers().firstValue("WWW-Authenticate").orElse(""))
                    .contains("insufficient_user_authentication", "acr_values=\"mfa\"", "max_age=3600");
            assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            assertThat(JSON.readTree(refused.body()).path("detail").asText()).contains("acr mfa", "acr password");
        }
        assertThat(partnerships.findById(key).orElseThrow().getState()).isEqualTo(LifecycleState.ACTIVE);
        assertThat(audit.ofPartnership(key)).hasSize(auditBefore);

        HttpResponse<String> terminated = fixtures.client().post("sofia.security", "/api/partnerships/" + key
                + "/termination", Map.of("reason", "contract ended"));
        assertThat(terminated.statusCode()).as(terminated.body()).isEqualTo(202);
    }

    @Test
    void scriptsGetNeitherThePasswordGrantNorOfflineTokens() throws Exception {
        for (Map<String, String> grant : new Map[] {
                Map.of("grant_type", "password", "client_id", StaffSignIn.CLI_CLIENT, "username", "paul.process",
                        "password", Tokens.DEMO_PASSWORD),
                Map.of("grant_type", "password", "client_id", "partner-access-app", "client_secret", appSecret,
                        "username", "paul.process", "password", Tokens.DEMO_PASSWORD)}) {
            HttpResponse<String> refused = tokenEndpoint(grant);
            assertThat(refused.statusCode()).as(refused.body()).isIn(400, 401);
            assertThat(JSON.readTree(refused.body()).path("error").asText()).isEqualTo("unauthorized_client");
        }

        assertThatThrownBy(() -> StaffSignIn.withPasswordOnly(fixtures.keycloakUrl(), "paul.process",
                "openid offline_access")).hasMessageContaining("invalid_scope");
        JsonNode online = StaffSignIn.withPasswordOnly(fixtures.keycloakUrl(), "paul.process");
        assertThat(claims(online.path("refresh_token").asText()).path("typ").asText()).isEqualTo("Refresh");

        // the device flow a script without a browser of its own uses: the person confirms in a browser. Keycloak 26.7
        // applies no level of authentication to it, so its tokens read and request but act on nothing that needs the
        // second factor (the authorization code flow gives those)
        JsonNode device = StaffSignIn.viaDevice(fixtures.keycloakUrl(), "paul.process");
        assertThat(claims(device.path("access_token").asText()).path("preferred_username").asText())
                .isEqualTo("paul.process");
        assertThat(claims(device.path("access_token").asText()).path("acr").asText()).isEqualTo("password");
    }

    @Test
    void oneSignInOpensTasklistCockpitAndTheDashboardAndOneSignOutEndsThemAll() throws Exception {
        StaffBrowser sofia = new StaffBrowser(fixtures.port());
        assertThat(sofia.signIn("/camunda/app/tasklist/default/", "sofia.security", Tokens.DEMO_PASSWORD).statusCode())
                .isEqualTo(200);
        assertThat(sofia.webappCall("GET", "/camunda/api/admin/auth/user/default", null).body())
                .contains("\"userId\":\"sofia.security\"");
        assertThat(sofia.open("/camunda/app/cockpit/default/").statusCode()).isEqualTo(200);
        assertThat(sofia.open("/dashboard").statusCode()).isEqualTo(200);

        HttpResponse<String> signedOut = sofia.webappCall("POST", "/camunda/api/admin/auth/user/default/logout", null);
        assertThat(signedOut.statusCode()).isEqualTo(200);

        assertThat(sofia.webappCall("GET", "/camunda/api/admin/auth/user/default", null).statusCode()).isEqualTo(401);
        HttpResponse<String> dashboard = sofia.follow(sofia.open("/dashboard"));
        assertThat(dashboard.body()).as("the staff realm's session ended too").contains("name=\"password\"");
        assertThat(sofia.follow(sofia.open("/camunda/app/cockpit/default/")).body()).contains("name=\"password\"");
    }

    private long modelChanges() {
        return jdbc.queryForObject("select count(*) from model_change", Long.class);
    }

    private HttpResponse<String> engine(String method, String path, String token, String json) {
        return Tokens.send(HTTP, HttpRequest.newBuilder(URI.create("http://localhost:" + fixtures.port() + "/engine-rest"
                        + path)).header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .header("Accept", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private HttpResponse<String> tokenEndpoint(Map<String, String> form) {
        StringBuilder body = new StringBuilder();
        form.forEach((name, value) -> body.append(body.isEmpty() ? "" : "&").append(name).append('=')
                .append(java.net.URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return Tokens.send(HTTP, HttpRequest.newBuilder(URI.create(fixtures.keycloakUrl()
                        + "/realms/staff/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
    }

    private static JsonNode claims(String jwt) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }
}
