package org.partneraccess.postgres;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.serviceUnavailable;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.camunda.bpm.engine.history.IncidentState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.keycloak.representations.idm.ClientRepresentation;
import org.partneraccess.ProcessIds;
import org.partneraccess.dev.DevMailServer;
import org.partneraccess.keycloak.KeycloakAttributes;
import org.partneraccess.keycloak.PartnerClients;
import org.partneraccess.machine.MachineFixtures;
import org.partneraccess.machine.MachineFixtures.PartnerKey;
import org.partneraccess.support.ApplicationProcess;
import org.partneraccess.support.PartnerAccessClient;
import org.partneraccess.support.PartnerAccessTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Keycloak failing under provisioning and rotation. One application node (a JVM of its own on a fresh database) talks
 * to the real managed Keycloak through a WireMock proxy that passes everything on, except the admin endpoint a case
 * breaks for a while: 503 answers, or answers slower than the node's read timeout (the request still reaches Keycloak,
 * only the answer is lost). Outcomes are read in the real Keycloak, the registry and the engine's tables; the operator's
 * retry goes through the engine REST API, as Cockpit does it. The retry cycle is the production one of the BPMN steps.
 */
@PartnerAccessTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeycloakFaultsIT extends FreshPostgresDatabase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLIENTS = "/admin/realms/partner/clients";
    /** The Keycloak steps' {@code failedJobRetryTimeCycle} (R5/PT10S): five attempts, then an incident. */
    private static final int ATTEMPTS = 5;
    /** Longer than the node's read timeout ({@code partner-access.keycloak.read-timeout}, 5 s). */
    private static final int SLOW_MILLIS = 8_000;
    private static final String OWNER_MAIL = "ian.owner@example.com";

    @Value("${partner-access.keycloak.url}")
    String keycloakUrl;
    /** Straight to the real Keycloak, past the proxy. */
    @Autowired
    PartnerClients partnerClients;

    private final PartnerKey partnerKey = PartnerKey.generate();
    private final List<StubMapping> faults = new ArrayList<>();
    private WireMockServer proxy;
    private ApplicationProcess node;
    private JdbcTemplate jdbc;
    private PartnerAccessClient api;
    private String partnership;

    @BeforeAll
    void nodeBehindAFaultProxy() throws Exception {
        proxy = new WireMockServer(wireMockConfig().dynamicPort());
        proxy.start();
        proxy.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().proxiedFrom(keycloakUrl)));
        String databaseUrl = createDatabase("partner_access_faults_" + ProcessHandle.current().pid());
        jdbc = new JdbcTemplate(new DriverManagerDataSource(databaseUrl, USER, PASSWORD));
        Map<String, String> env = ApplicationProcess.nodeEnvironment(databaseUrl, USER, PASSWORD, proxy.baseUrl(),
                DevMailServer.current().port());
        // staff tokens come straight from Keycloak and name it as their issuer; only the node's own calls pass the proxy
        env.put("SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUERURI", keycloakUrl + "/realms/staff");
        env.put("SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_JWKSETURI",
                keycloakUrl + "/realms/staff/protocol/openid-connect/certs");
        env.put("USAGE_REFRESH", "1h");
        env.put("DRIFT_INTERVAL", "1h");
        env.put("CAMUNDA_BPM_JOBEXECUTION_WAITTIMEINMILLIS", "200");
        env.put("CAMUNDA_BPM_JOBEXECUTION_MAXWAIT", "1000");
        node = ApplicationProcess.start("keycloak-faults", env);
        node.awaitOk("/actuator/health/readiness", Duration.ofMinutes(5));
        api = new PartnerAccessClient(node.port(), keycloakUrl);
        partnership = MachineFixtures.activePartnership(node, jdbc, keycloakUrl, "kf");
    }

    @AfterEach
    void healKeycloak() {
        faults.forEach(proxy::removeStub);
        faults.clear();
    }

    @AfterAll
    void stop() {
        if (node != null) {
            node.close();
        }
        if (proxy != null) {
            proxy.stop();
        }
    }

    @Test
    void provisioningOutlastingTheRetriesBecomesAnIncidentAndCompletesOnceWhenTheOperatorRetries() throws Exception {
        breakKeycloak(post(urlPathEqualTo(CLIENTS)), serviceUnavailable());
        Machine machine = register("SIGNED_JWT");
        assertThat(machine.answeredState).as("answered after the wait's bound, the job retrying").isEqualTo("APPROVED");

        Map<String, Object> incident = awaitIncident(machine.id);
        assertThat(incident).containsEntry("activity_id_", ProcessIds.TASK_PROVISION_MACHINE_CLIENT)
                .containsEntry("incident_type_", "failedJob");
        assertThat(String.valueOf(incident.get("incident_msg_"))).contains("create client " + machine.clientId, "503");
        assertThat(creates()).as("attempts, each of them a create").hasSize(ATTEMPTS);
        assertThat(failedAttempts(machine.id, ProcessIds.TASK_PROVISION_MACHINE_CLIENT)).isEqualTo(ATTEMPTS);
        assertThat(clientsOf(machine.id)).as("nothing in Keycloak").isEmpty();
        assertThat(state(machine.id)).isEqualTo("APPROVED");
        report("provisioning, 503", creates());

        healKeycloak();
        retryAsOperator(String.valueOf(incident.get("configuration_")));
        awaitState(machine.id, "ACTIVE");
        assertExactlyOneEnabledClientThatGetsATokenWithTheKey(machine);
        assertIncidentResolved(machine.id);
        assertThat(creates()).hasSize(ATTEMPTS + 1);
        assertThat(MachineFixtures.count(OWNER_MAIL, machine.clientId + " is active")).isEqualTo(1);
    }

    @Test
    void aCreateAnsweredTooLateIsFoundOnTheRetryAndNotMadeTwice() throws Exception {
        // Keycloak creates the client, the node gives up waiting for the answer; the retry looks it up
        breakKeycloak(post(urlPathEqualTo(CLIENTS)), aResponse().proxiedFrom(keycloakUrl).withFixedDelay(SLOW_MILLIS));
        Machine machine = register("SIGNED_JWT");

        awaitState(machine.id, "ACTIVE");
        assertThat(failedAttempts(machine.id, ProcessIds.TASK_PROVISION_MACHINE_CLIENT)).as("timed out once").isEqualTo(1);
        assertThat(creates()).as("one create; the retry found the client").hasSize(1);
        assertExactlyOneEnabledClientThatGetsATokenWithTheKey(machine);
        assertThat(openIncidents(machine.id)).isZero();
    }

    @Test
    void rotationOutlastingTheRetriesKeepsTheOldSecretWorkingUntilTheOperatorRetries() throws Exception {
        Machine machine = register("CLIENT_SECRET");
        awaitState(machine.id, "ACTIVE");
        String secret = collect(machine, machine.clientId + " is active");
        String internalId = partnerClients.findClient(machine.clientId).orElseThrow().getId();
        String secretPath = CLIENTS + "/" + internalId + "/client-secret";
        breakKeycloak(post(urlPathEqualTo(secretPath)), serviceUnavailable());

        executeAsOperator(timerOf(machine.id, ProcessIds.TIMER_ROTATION_DUE));
        Map<String, Object> incident = awaitIncident(machine.id);
        assertThat(incident).containsEntry("activity_id_", ProcessIds.TASK_ROTATE_CLIENT_SECRET);
        assertThat(proxy.findAll(postRequestedFor(urlPathEqualTo(secretPath)))).hasSize(ATTEMPTS);
        assertThat(failedAttempts(machine.id, ProcessIds.TASK_ROTATE_CLIENT_SECRET)).isEqualTo(ATTEMPTS);
        // a rotation that cannot happen must not cut the partner off
        assertThat(MachineFixtures.tokenWithSecret(keycloakUrl, machine.clientId, secret).statusCode()).isEqualTo(200);
        assertThat(MachineFixtures.count(OWNER_MAIL, machine.clientId + ": client secret rotated")).isZero();
        assertThat(state(machine.id)).isEqualTo("ACTIVE");
        report("rotation, 503", proxy.findAll(postRequestedFor(urlPathEqualTo(secretPath))));

        healKeycloak();
        retryAsOperator(String.valueOf(incident.get("configuration_")));
        String rotated = collect(machine, machine.clientId + ": client secret rotated");
        assertThat(rotated).isNotEqualTo(secret);
        assertThat(MachineFixtures.tokenWithSecret(keycloakUrl, machine.clientId, secret).statusCode()).isIn(400, 401);
        assertThat(MachineFixtures.tokenWithSecret(keycloakUrl, machine.clientId, rotated).statusCode()).isEqualTo(200);
        assertIncidentResolved(machine.id);
        assertThat(MachineFixtures.count(OWNER_MAIL, machine.clientId + ": client secret rotated")).isEqualTo(1);
        assertThat(clientsOf(machine.id)).hasSize(1);
    }

    @Test
    void aRotationAnsweredTooLateIsRetriedByItselfAndTheOwnerCollectsTheSecretThatWorks() throws Exception {
        Machine machine = register("CLIENT_SECRET");
        awaitState(machine.id, "ACTIVE");
        String secret = collect(machine, machine.clientId + " is active");
        String secretPath = CLIENTS + "/" + partnerClients.findClient(machine.clientId).orElseThrow().getId() + "/client-secret";
        breakKeycloak(post(urlPathEqualTo(secretPath)), aResponse().proxiedFrom(keycloakUrl).withFixedDelay(SLOW_MILLIS));

        executeAsOperator(timerOf(machine.id, ProcessIds.TIMER_ROTATION_DUE));
        await().atMost(Duration.ofMinutes(1)).until(() -> failedAttempts(machine.id, ProcessIds.TASK_ROTATE_CLIENT_SECRET) == 1);
        healKeycloak();
        // no operator: the next attempt of the cycle succeeds
        String rotated = collect(machine, machine.clientId + ": client secret rotated");
        assertThat(proxy.findAll(postRequestedFor(urlPathEqualTo(secretPath)))).as("the slow one and the retry").hasSize(2);
        assertThat(MachineFixtures.tokenWithSecret(keycloakUrl, machine.clientId, secret).statusCode()).isIn(400, 401);
        assertThat(MachineFixtures.tokenWithSecret(keycloakUrl, machine.clientId, rotated).statusCode()).isEqualTo(200);
        assertThat(MachineFixtures.count(OWNER_MAIL, machine.clientId + ": client secret rotated")).isEqualTo(1);
        assertThat(openIncidents(machine.id)).isZero();
    }

    /**
     * The expiry sweeper meeting a Keycloak that refuses to disable the client: the machine is left as it is (no
     * REVOKED row for a client still enabled, no notice), each later sweep tries again, and the first one after Keycloak
     * recovers revokes it once.
     */
    @Test
    void anEndDateSweptWhileKeycloakRefusesIsRevokedOnceByTheFirstSweepAfterItRecovers() throws Exception {
        Machine machine = register("SIGNED_JWT");
        awaitState(machine.id, "ACTIVE");
        String clientPath = CLIENTS + "/" + partnerClients.findClient(machine.clientId).orElseThrow().getId();
        breakKeycloak(put(urlPathEqualTo(clientPath)), serviceUnavailable());

        jdbc.update("update partner_identity set end_date = ? where identity_id = ?",
                Timestamp.from(Instant.now().minusSeconds(1)), machine.id);
        await().atMost(Duration.ofMinutes(1)).until(() -> proxy.findAll(putRequestedFor(urlPathEqualTo(clientPath))).size() >= 3);
        int refused = proxy.findAll(putRequestedFor(urlPathEqualTo(clientPath))).size();
        assertThat(state(machine.id)).as("not marked revoked while its client is enabled").isEqualTo("ACTIVE");
        assertThat(partnerClients.findClient(machine.clientId).orElseThrow().isEnabled()).isTrue();
        assertThat(MachineFixtures.count(OWNER_MAIL, machine.clientId + " is revoked")).isZero();
        report("expiry sweep, 503", proxy.findAll(putRequestedFor(urlPathEqualTo(clientPath))));

        healKeycloak();
        awaitState(machine.id, "REVOKED");
        assertThat(partnerClients.findClient(machine.clientId).orElseThrow().isEnabled()).isFalse();
        assertThat(MachineFixtures.tokenWithKey(keycloakUrl, machine.clientId, partnerKey).statusCode()).isIn(400, 401);
        await().atMost(Duration.ofMinutes(1)).until(() -> MachineFixtures.count(OWNER_MAIL, machine.clientId + " is revoked") == 1);
        assertThat(count("select count(*) from audit_event where identity_id = ? and action = 'MACHINE_REVOKED'", machine.id))
                .as("revoked once").isEqualTo(1);
        assertThat(openIncidents(machine.id)).isZero();
        System.out.printf("KeycloakFaultsIT expiry sweep: %d disables refused, one sweep every second; revoked by the first after recovery%n",
                refused);
    }

    /** {@code answeredState}: the state the registration's 201 gave. */
    private record Machine(String id, String clientId, String answeredState) {
    }

    private void breakKeycloak(com.github.tomakehurst.wiremock.client.MappingBuilder request,
                               ResponseDefinitionBuilder answer) {
        proxy.resetRequests();
        faults.add(proxy.stubFor(request.atPriority(1).willReturn(answer)));
    }

    private List<LoggedRequest> creates() {
        return proxy.findAll(postRequestedFor(urlPathEqualTo(CLIENTS)));
    }

    private Machine register(String authMethod) throws Exception {
        Map<String, Object> body = MachineFixtures.registration(authMethod,
                "SIGNED_JWT".equals(authMethod) ? partnerKey : null, "orders.read");
        HttpResponse<String> response = api.post("rita.requester", "/api/partnerships/" + partnership + "/machines", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode machine = JSON.readTree(response.body());
        return new Machine(machine.get("id").asText(), machine.get("clientId").asText(), machine.get("state").asText());
    }

    /**
     * The owner reads the hand-over token from the newest mail with that subject and collects the secret once, after
     * the notice's job has committed: an attempt that rolled back (a conflict with another job of the instance, then
     * retried) had already mailed a token whose hand-over never existed.
     */
    private String collect(Machine machine, String subject) throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.queryForObject("select count(*) from act_ru_job j"
                + " join act_ru_jobdef d on j.job_def_id_ = d.id_ join act_ru_execution e on e.id_ = j.process_instance_id_"
                + " where e.business_key_ = ? and d.act_id_ like 'Task_Notify%'", Long.class, machine.id) == 0);
        String ticket = MachineFixtures.handoverToken(subject);
        HttpResponse<String> collected = api.post("ian.owner", "/api/machines/" + machine.id + "/secret",
                Map.of("token", ticket));
        assertThat(collected.statusCode()).as(collected.body()).isEqualTo(200);
        return JSON.readTree(collected.body()).get("clientSecret").asText();
    }

    private void assertExactlyOneEnabledClientThatGetsATokenWithTheKey(Machine machine) {
        List<ClientRepresentation> clients = clientsOf(machine.id);
        assertThat(clients).as("clients tagged with identity " + machine.id).hasSize(1);
        assertThat(clients.get(0).getClientId()).isEqualTo(machine.clientId);
        assertThat(clients.get(0).isEnabled()).isTrue();
        HttpResponse<String> token = MachineFixtures.tokenWithKey(keycloakUrl, machine.clientId, partnerKey);
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
    }

    private List<ClientRepresentation> clientsOf(String identityId) {
        return partnerClients.findClientsOfPartnership(partnership).stream()
                .filter(client -> identityId.equals(client.getAttributes().get(KeycloakAttributes.IDENTITY)))
                .toList();
    }

    private Map<String, Object> awaitIncident(String identityId) {
        String select = "select i.* from act_ru_incident i join act_ru_execution e on i.proc_inst_id_ = e.id_"
                + " where e.business_key_ = ?";
        // five attempts ten seconds apart, each up to the read timeout, on a busy machine
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1))
                .until(() -> !jdbc.queryForList(select, identityId).isEmpty());
        return jdbc.queryForList(select, identityId).get(0);
    }

    private int openIncidents(String identityId) {
        return count("select count(*) from act_ru_incident i join act_ru_execution e on i.proc_inst_id_ = e.id_"
                + " where e.business_key_ = ?", identityId);
    }

    private void assertIncidentResolved(String identityId) {
        await().atMost(Duration.ofMinutes(1)).until(() -> openIncidents(identityId) == 0);
        assertThat(jdbc.queryForList("select incident_state_ from act_hi_incident i join act_hi_procinst p"
                + " on i.proc_inst_id_ = p.id_ where p.business_key_ = ?", Integer.class, identityId))
                .containsExactly(IncidentState.RESOLVED.getStateCode());
    }

    /** The engine's own record: one failed job log entry per failed attempt of the step. */
    private int failedAttempts(String identityId, String activityId) {
        return count("select count(*) from act_hi_job_log l join act_hi_procinst p on l.process_instance_id_ = p.id_"
                + " where p.business_key_ = ? and l.act_id_ = ? and l.job_exception_msg_ is not null", identityId, activityId);
    }

    private String state(String identityId) {
        return jdbc.queryForObject("select state from partner_identity where identity_id = ?", String.class, identityId);
    }

    private void awaitState(String identityId, String state) {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .until(() -> state.equals(state(identityId)));
    }

    private String timerOf(String identityId, String activityId) {
        String select = "select j.id_ from act_ru_job j join act_ru_jobdef d on j.job_def_id_ = d.id_"
                + " join act_ru_execution e on j.process_instance_id_ = e.id_ where e.business_key_ = ? and d.act_id_ = ?";
        await().atMost(Duration.ofSeconds(60)).until(() -> !jdbc.queryForList(select, String.class, identityId, activityId)
                .isEmpty());
        return jdbc.queryForObject(select, String.class, identityId, activityId);
    }

    /** What an operator does in Cockpit: give the failed job another attempt. */
    private void retryAsOperator(String jobId) {
        HttpResponse<String> response = api.put("adam.admin", "/engine-rest/job/" + jobId + "/retries", Map.of("retries", 1));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
    }

    /** Time passing to the timer, as an operator would fire it in Cockpit. */
    private void executeAsOperator(String jobId) {
        HttpResponse<String> response = api.post("adam.admin", "/engine-rest/job/" + jobId + "/execute", Map.of());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
    }

    private int count(String sql, Object... args) {
        Integer count = jdbc.queryForObject(sql, Integer.class, args);
        return count == null ? 0 : count;
    }

    /** The attempts as the proxy saw them: when each came and how long after the one before. */
    private static void report(String fault, List<LoggedRequest> attempts) {
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < attempts.size(); i++) {
            gaps.add((attempts.get(i).getLoggedDate().getTime() - attempts.get(i - 1).getLoggedDate().getTime()) / 1000);
        }
        System.out.printf("KeycloakFaultsIT %s: %d attempts, seconds between them %s%n", fault, attempts.size(),
                gaps.stream().map(String::valueOf).collect(Collectors.joining(", ")));
    }
}
