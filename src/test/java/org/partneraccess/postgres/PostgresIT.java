package org.partneraccess.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.junit.jupiter.api.Test;
import org.partneraccess.LifecycleState;
import org.partneraccess.ProcessIds;
import org.partneraccess.audit.AuditLog;
import org.partneraccess.partnership.internal.PartnershipRepository;
import org.partneraccess.support.PartnerAccessClient;
import org.partneraccess.support.PartnerAccessTest;
import org.partneraccess.support.Tokens;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The whole partnership path on a real PostgreSQL database, created afresh for the run: Flyway's schema, Hibernate's
 * validation, Camunda's tables, transactions and the audit chain as PostgreSQL enforces them.
 * Runs in its own JVM (a failsafe execution of its own, with the other tests of this package), so its engine is the
 * only one there.
 */
@PartnerAccessTest
class PostgresIT extends FreshPostgresDatabase {

    @LocalServerPort
    int port;
    @Value("${partner-access.keycloak.url}")
    String keycloakUrl;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PartnershipRepository partnerships;
    @Autowired
    TaskService tasks;
    @Autowired
    HistoryService history;
    @Autowired
    RuntimeService runtime;
    @Autowired
    AuditLog audit;

    @Test
    void partnershipFromRequestToRevocationOnPostgres() throws Exception {
        assertThat(jdbc.queryForObject("select version()", String.class)).startsWith("PostgreSQL");
        String key = "pg-" + UUID.randomUUID().toString().substring(0, 8);
        PartnerAccessClient client = new PartnerAccessClient(port, keycloakUrl);
        HttpResponse<String> requested = client.post("rita.requester", "/api/partnerships",
                PartnerAccessClient.validRequest(key, key + "@partner.example.org"));
        assertThat(requested.statusCode()).as(requested.body()).isEqualTo(201);

        // the sponsor approves through the engine REST API with a bearer token, as a script or Modeler would
        String taskId = tasks.createTaskQuery().processInstanceBusinessKey(key)
                .taskDefinitionKey(ProcessIds.TASK_APPROVE_AS_SPONSOR).singleResult().getId();
        HttpResponse<String> completed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/engine-rest/task/" + taskId + "/complete"))
                .header("Authorization", "Bearer " + Tokens.staff(keycloakUrl, "sam.sponsor"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"variables\":{\"sponsorApproved\":{\"value\":true}}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(completed.statusCode()).as(completed.body()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> partnerships.findById(key).orElseThrow().getState() == LifecycleState.ACTIVE);
        assertThat(partnerships.findById(key).orElseThrow().getApprovedBy()).isEqualTo("sam.sponsor");
        // the instance rests in its active period before it is terminated (a message must not meet its async steps)
        await().atMost(Duration.ofSeconds(30)).until(() -> runtime.createExecutionQuery()
                .processInstanceBusinessKey(key).activityId(ProcessIds.TIMER_RECERTIFICATION_DUE).count() == 1);

        assertThat(client.post("sofia.security", "/api/partnerships/" + key + "/termination",
                Map.of("reason", "contract ended")).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> partnerships.findById(key).orElseThrow().getState() == LifecycleState.REVOKED);

        assertThat(jdbc.queryForObject("select state from partner_identity where partnership_key = ?", String.class, key))
                .isEqualTo("REVOKED");
        assertThat(audit.firstBrokenEntry()).isNull();
        String instanceId = history.createHistoricProcessInstanceQuery().processInstanceBusinessKey(key).singleResult()
                .getId();
        await().atMost(Duration.ofSeconds(30)).until(() -> history.createHistoricActivityInstanceQuery()
                .processInstanceId(instanceId).activityId("EndEvent_PartnershipRevoked").finished().count() == 1);
        assertThat(jdbc.queryForObject("select count(*) from act_hi_dec_in i join act_hi_decinst d on i.dec_inst_id_ = d.id_"
                + " where d.dec_def_key_ = ?", Integer.class, ProcessIds.PARTNER_ACCESS_POLICY)).isPositive();
    }
}
