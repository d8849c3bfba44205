package org.partneraccess.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.repository.DecisionDefinition;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.Test;
import org.partneraccess.ProcessIds;
import org.partneraccess.Variables;
import org.partneraccess.decision.Decisions;
import org.partneraccess.modelchange.ModelChange;
import org.partneraccess.modelchange.ModelChangeReviewVariables;
import org.partneraccess.modelchange.ModelChangeStatus;
import org.partneraccess.modelchange.ModelChanges;
import org.partneraccess.support.EngineDoors;
import org.partneraccess.support.EngineDoors.Via;
import org.partneraccess.support.ItFixtures;
import org.partneraccess.support.ModelerDeployment;
import org.partneraccess.support.PartnerAccessClient;
import org.partneraccess.support.PartnerAccessTest;
import org.partneraccess.support.Tokens;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Camunda Modeler's round trip without a restart: a process owner deploys a changed policy through the engine REST
 * API, as Modeler's Deploy dialog does, and the very next request is decided by it.
 *
 * <p>All integration tests share one application and one database, so the deployed policy stays the newest for the
 * tests that run later. It is therefore the shipped table plus one rule that only a read-only partnership on
 * <em>public</em> data outside production reaches (LOW today, HIGH after): every other input decides as before.
 */
@PartnerAccessTest
class PolicyDeploymentIT {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyDeploymentIT.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String POLICY_FILE = "bpmn/" + ProcessIds.PARTNER_ACCESS_POLICY + ".dmn";
    private static final String ADDED_RULE_BEFORE = "<rule id=\"Rule_LowPartnershipOrHuman\">";
    private static final int CHANGED_MAX_ACCESS_DAYS = 90;
    /** The step under which the machine registration service records its policy decisions. */
    private static final String MACHINE_POLICY_STEP = "MACHINE_POLICY_DECIDED";

    private final HttpClient http = HttpClient.newHttpClient();

    @Autowired
    RepositoryService repository;
    @Autowired
    RuntimeService runtime;
    @Autowired
    HistoryService history;
    @Autowired
    TaskService tasks;
    @Autowired
    IdentityService identity;
    @Autowired
    ModelChanges changes;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    Decisions decisions;
    @Autowired
    AccessPolicy policy;
    @Autowired
    ItFixtures fixtures;

    @Test
    void processOwnerDeploysAChangedPolicyASecurityOfficerApprovesItAndTheNextRequestIsDecidedByIt() throws Exception {
        String before = newKey();
        HttpResponse<String> decidedByShippedPolicy = fixtures.client().post("rita.requester", "/api/partnerships",
                publicDataRequest(before, LocalDate.now().plusMonths(6)));
        assertThat(decidedByShippedPolicy.statusCode()).as(decidedByShippedPolicy.body()).isEqualTo(201);
        assertThat(JSON.readTree(decidedByShippedPolicy.body()).get("riskTier").asText()).isEqualTo("LOW");
        int versionBefore = latestPolicyVersion();
        String processOwner = Tokens.staff(fixtures.keycloakUrl(), "paul.process");
        // what Modeler's Deploy dialog asks first, to check the endpoint and the token
        assertThat(engineGet("/version", processOwner).statusCode()).isEqualTo(200);
        assertThat(engineGet("/deployment?maxResults=0", processOwner).statusCode()).isEqualTo(200);
        long started = System.nanoTime();

        HttpResponse<String> submitted = deploy(processOwner, changedPolicy("reviewed by a security officer"));

        // not deployed: kept for review, and the answer says where it went
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(403);
        String change = changeId(submitted);
        assertThat(latestPolicyVersion()).isEqualTo(versionBefore);
        assertThat(changes.find(change).orElseThrow().getStatus()).isEqualTo(ModelChangeStatus.PENDING);
        HttpResponse<String> stillShipped = fixtures.client().post("rita.requester", "/api/partnerships",
                publicDataRequest(newKey(), LocalDate.now().plusMonths(6)));
        assertThat(stillShipped.statusCode()).as("the live policy still decides: " + stillShipped.body()).isEqualTo(201);
        assertThat(JSON.readTree(stillShipped.body()).get("riskTier").asText()).isEqualTo("LOW");

        Task review = review(change);
        assertThat(runtime.getVariable(review.getProcessInstanceId(), ModelChangeReviewVariables.MODEL_CHANGE_SUMMARY).toString())
                .contains("1 added, 0 removed, 0 changed").contains("rule Rule_PublicPartnershipReviewed")
                .contains("\"HIGH\"");
        // the deployer may not approve, even as a security officer; the process owner alone is not a candidate
        assertThat(complete(processOwner, review.getId(), true).statusCode()).isIn(403, 404);
        identity.setAuthentication("paul.process", List.of("process-owners", "security-officers"));
        try {
            assertThatThrownBy(() -> tasks.complete(review.getId(), Map.of(ModelChangeReviewVariables.MODEL_CHANGE_APPROVED, true)))
                    .hasMessageContaining("No one approves their own request");
        } finally {
            identity.clearAuthentication();
        }
        assertThat(latestPolicyVersion()).isEqualTo(versionBefore);

        String officer = Tokens.staff(fixtures.keycloakUrl(), "sofia.security");
        assertThat(engine("POST", "/task/" + review.getId() + "/claim", officer, "{\"userId\":\"sofia.security\"}")
                .statusCode()).isEqualTo(204);
        HttpResponse<String> approved = complete(officer, review.getId(), true);
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(204);
        LOG.info("Model change {} submitted, reviewed and live in {} ms", change, (System.nanoTime() - started) / 1_000_000);

        assertThat(latestPolicyVersion()).isEqualTo(versionBefore + 1);
        ModelChange live = changes.find(change).orElseThrow();
        assertThat(live.getStatus()).isEqualTo(ModelChangeStatus.APPROVED);
        assertThat(live.getDecidedBy()).isEqualTo("sofia.security");
        DecisionDefinition definition = repository.createDecisionDefinitionQuery()
                .decisionDefinitionKey(ProcessIds.PARTNER_ACCESS_POLICY).latestVersion().singleResult();
        assertThat(definition.getDeploymentId()).isEqualTo(live.getDeploymentId());
        assertThat(auditOf("MODEL_CHANGE_APPROVED")).anySatisfy(entry -> {
            assertThat(entry.get("actor")).isEqualTo("sofia.security");
            assertThat((String) entry.get("detail")).contains(change).contains(live.getResources().get(0).sha256());
        });

        // the changed maximum duration applies to validation at once
        HttpResponse<String> tooLong = fixtures.client().post("rita.requester", "/api/partnerships",
                publicDataRequest(newKey(), LocalDate.now().plusMonths(6)));
        assertThat(tooLong.statusCode()).as(tooLong.body()).isEqualTo(400);
        assertThat(JSON.readTree(tooLong.body()).at("/errors/endDate").asText())
                .contains("at most " + CHANGED_MAX_ACCESS_DAYS + " days for risk tier HIGH");

        // and the changed risk tier to the process and the registry
        String after = newKey();
        HttpResponse<String> decidedByNewPolicy = fixtures.client().post("rita.requester", "/api/partnerships",
                publicDataRequest(after, LocalDate.now().plusDays(60)));
        assertThat(decidedByNewPolicy.statusCode()).as(decidedByNewPolicy.body()).isEqualTo(201);
        assertThat(JSON.readTree(decidedByNewPolicy.body()).get("riskTier").asText()).isEqualTo("HIGH");
        ProcessInstance instance = runtime.createProcessInstanceQuery().processInstanceBusinessKey(after).singleResult();
        assertThat(runtime.getVariable(instance.getId(), Variables.RISK_TIER)).isEqualTo("HIGH");
        assertThat(runtime.getVariable(instance.getId(), Variables.SECURITY_OFFICER_APPROVAL)).isEqualTo(true);
        assertThat(history.createHistoricDecisionInstanceQuery().processInstanceId(instance.getId()).list())
                .extracting(decision -> decision.getDecisionDefinitionId())
                .containsOnly(definition.getId());

        // the request decided before the deployment keeps its decision
        ProcessInstance earlier = runtime.createProcessInstanceQuery().processInstanceBusinessKey(before).singleResult();
        assertThat(runtime.getVariable(earlier.getId(), Variables.RISK_TIER)).isEqualTo("LOW");
    }

    @Test
    void aRejectedChangeIsNeverDeployed() throws Exception {
        int versionBefore = latestPolicyVersion();
        String processOwner = Tokens.staff(fixtures.keycloakUrl(), "paul.process");

        HttpResponse<String> submitted = deploy(processOwner, changedPolicy("a change that is turned down"));
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(403);
        String change = changeId(submitted);
        Task review = review(change);
        String officer = Tokens.staff(fixtures.keycloakUrl(), "sofia.security");
        assertThat(engine("POST", "/task/" + review.getId() + "/claim", officer, "{\"userId\":\"sofia.security\"}")
                .statusCode()).isEqualTo(204);
        assertThat(complete(officer, review.getId(), false).statusCode()).isEqualTo(204);

        assertThat(latestPolicyVersion()).isEqualTo(versionBefore);
        ModelChange rejected = changes.find(change).orElseThrow();
        assertThat(rejected.getStatus()).isEqualTo(ModelChangeStatus.REJECTED);
        assertThat(rejected.getDecidedBy()).isEqualTo("sofia.security");
        assertThat(rejected.getDeploymentId()).isNull();
        assertThat(auditOf("MODEL_CHANGE_REJECTED")).anySatisfy(entry -> assertThat((String) entry.get("detail")).contains(change));
    }

    @Test
    void aDeploymentThatChangesNothingNeedsNoReview() throws Exception {
        String live;
        try (InputStream in = repository.getResourceAsStream(latestPolicy().getDeploymentId(), latestPolicy().getResourceName())) {
            live = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        long reviews = tasks.createTaskQuery().taskDefinitionKey(ProcessIds.TASK_REVIEW_MODEL_CHANGE).count();

        HttpResponse<String> same = deploy(Tokens.staff(fixtures.keycloakUrl(), "paul.process"), live);

        assertThat(same.statusCode()).as(same.body()).isEqualTo(200);
        assertThat(tasks.createTaskQuery().taskDefinitionKey(ProcessIds.TASK_REVIEW_MODEL_CHANGE).count()).isEqualTo(reviews);
    }

    @Test
    void anAuditorReadsAPolicyDecisionReplayedOnTheVersionThatTookIt() throws Exception {
        String key = newKey();
        HttpResponse<String> created = fixtures.client().post("rita.requester", "/api/partnerships",
                publicDataRequest(key, LocalDate.now().plusDays(60)));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String riskTier = JSON.readTree(created.body()).get("riskTier").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> !jdbc.queryForList("select id from decision where subject = ?"
                + " and step = 'POLICY_DECIDED'", key).isEmpty());
        long id = jdbc.queryForObject("select max(id) from decision where subject = ? and step = 'POLICY_DECIDED'",
                Long.class, key);

        HttpResponse<String> read = fixtures.client().get("alice.auditor", "/api/decisions/" + id);

        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        JsonNode decision = JSON.readTree(read.body());
        assertThat(decision.get("subject").asText()).isEqualTo(key);
        assertThat(decision.get("decidedBy").asText()).isEqualTo("policy");
        assertThat(decision.at("/outcome/riskTier").asText()).isEqualTo(riskTier);
        assertThat(decision.at("/outcome/input/highestDataClass").asText()).isEqualTo("public");
        String definitionId = decision.at("/replay/definitionId").asText();
        assertThat(repository.getDecisionDefinition(definitionId).getKey()).isEqualTo(ProcessIds.PARTNER_ACCESS_POLICY);
        assertThat(decision.at("/replay/sameOutcome").asBoolean()).as(read.body()).isTrue();
        assertThat(decision.at("/replay/outcome/riskTier").asText()).isEqualTo(riskTier);
        assertThat(fixtures.client().get("rita.requester", "/api/decisions/" + id).statusCode()).isEqualTo(403);
        assertThat(fixtures.client().get("alice.auditor", "/api/decisions/999999999").statusCode()).isEqualTo(404);
    }

    /**
     * The review of a changed policy opens with how the recorded decisions would have come out under it. The history
     * is appended as the services record it, decided by the live table; the change decides AI agents on internal data
     * HIGH with a security officer, and fails (an output left empty) for AI agents on public data. Decisions other
     * tests recorded on the same inputs count too, so the expected numbers add them.
     */
    @Test
    void theReviewOfAChangedPolicyShowsHowTheRecordedDecisionsWouldComeOut() throws Exception {
        PolicyInput internalAgent = new PolicyInput(SubjectKind.MACHINE, "AI_AGENT", Set.of("internal"), false, false);
        PolicyInput publicAgent = new PolicyInput(SubjectKind.MACHINE, "AI_AGENT", Set.of("public"), false, false);
        long internalAgents = recordedRegistrations(internalAgent) + 5;
        long publicAgents = recordedRegistrations(publicAgent) + 2;
        List<String> seeded = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            PolicyInput input = i < 5 ? internalAgent : publicAgent;
            String subject = newKey();
            decisions.recordPolicy(subject, MACHINE_POLICY_STEP, input.toVariables(), policy.decide(input));
            seeded.add(subject);
        }
        String live;
        try (InputStream in = repository.getResourceAsStream(latestPolicy().getDeploymentId(), latestPolicy().getResourceName())) {
            live = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String first = "<rule id=\"Rule_RegulatedWrite\">";
        assertThat(live).contains(first);
        String changed = live.replace(first, rule("Rule_InternalAgentReviewed", "AI agents on internal data: HIGH",
                new String[] {"\"MACHINE\"", "\"AI_AGENT\"", "\"internal\"", "false", "false", ""},
                new String[] {"\"HIGH\"", "false", "true", "true", "180", "90", "45", "14", "true", "true"})
                + rule("Rule_PublicAgentUnfinished", "AI agents on public data: a maximum not filled in",
                new String[] {"\"MACHINE\"", "\"AI_AGENT\"", "\"public\"", "false", "false", ""},
                new String[] {"\"MEDIUM\"", "false", "false", "true", "", "90", "45", "14", "true", "false"}) + first);
        int versionBefore = latestPolicyVersion();

        HttpResponse<String> submitted = deploy(Tokens.staff(fixtures.keycloakUrl(), "paul.process"), changed);

        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(403);
        String change = changeId(submitted);
        Task review = review(change);
        String summary = runtime.getVariable(review.getProcessInstanceId(), ModelChangeReviewVariables.MODEL_CHANGE_SUMMARY).toString();
        LOG.info("Review summary of {}:\n{}", change, summary);
        Matcher headline = Pattern.compile("^Policy impact of " + ProcessIds.PARTNER_ACCESS_POLICY + "\\.dmn, before it is "
                + "deployed: ([0-9,]+) recorded policy decisions of the last 90 days replayed: ([0-9,]+) would come out "
                + "differently, ([0-9,]+) would fail, ([0-9,]+) unchanged").matcher(summary);
        assertThat(headline.find()).as(summary).isTrue();
        assertThat(Long.parseLong(headline.group(1).replace(",", ""))).isGreaterThanOrEqualTo(internalAgents + publicAgents);
        assertThat(Long.parseLong(headline.group(2).replace(",", ""))).isGreaterThanOrEqualTo(internalAgents);
        assertThat(Long.parseLong(headline.group(3).replace(",", ""))).isGreaterThanOrEqualTo(publicAgents);
        String newestInternal = "/api/decisions/" + newestDecision(seeded.get(4));
        String newestPublic = "/api/decisions/" + newestDecision(seeded.get(6));
        assertThat(summary)
                .contains("\n  " + publicAgents + " machine registrations would fail on the new table: the access policy "
                        + "returned no maxAccessDays — " + newestPublic + ", ")
                .contains("\n  " + internalAgents + " machine registrations: risk MEDIUM → HIGH — " + newestInternal + ", ")
                .contains("\n  " + internalAgents + " machine registrations would now need a security officer — "
                        + newestInternal + ", ")
                .contains("\n  " + internalAgents + " machine registrations would now need DPoP-bound tokens — "
                        + newestInternal + ", ")
                // the rules' diff follows the impact
                .contains(ProcessIds.PARTNER_ACCESS_POLICY + ".dmn: 2 added, 0 removed, 0 changed");
        assertThat(summary.indexOf("Policy impact")).isLessThan(summary.indexOf("2 added, 0 removed"));
        assertThat(changes.find(change).orElseThrow().getSummary()).startsWith(summary.lines().findFirst().orElseThrow());
        // nothing was deployed to find this out
        assertThat(latestPolicyVersion()).isEqualTo(versionBefore);

        String officer = Tokens.staff(fixtures.keycloakUrl(), "sofia.security");
        assertThat(engine("POST", "/task/" + review.getId() + "/claim", officer, "{\"userId\":\"sofia.security\"}")
                .statusCode()).isEqualTo(204);
        assertThat(complete(officer, review.getId(), false).statusCode()).isEqualTo(204);
    }

    /** Registrations the policy decided on this input among the newest 10,000 policy decisions. */
    private long recordedRegistrations(PolicyInput input) throws Exception {
        return jdbc.queryForObject("select count(*) from decision where decided_by = 'policy' and step = ? and outcome like ?"
                + " and id >= coalesce((select min(id) from (select id from decision where decided_by = 'policy'"
                + " order by id desc limit 10000) newest), 0)", Long.class, MACHINE_POLICY_STEP,
                "%\"input\":" + JSON.writeValueAsString(input.toVariables()) + "%");
    }

    private long newestDecision(String subject) {
        return jdbc.queryForObject("select max(id) from decision where subject = ?", Long.class, subject);
    }

    @Test
    void aRequesterCannotDeploy() throws Exception {
        int versionBefore = latestPolicyVersion();

        long changesBefore = tasks.createTaskQuery().taskDefinitionKey(ProcessIds.TASK_REVIEW_MODEL_CHANGE).count();

        // through both doors: the engine REST API with her token, the webapps' session API with her Tasklist session
        EngineDoors doors = fixtures.doors();
        for (Via via : Via.values()) {
            HttpResponse<String> refused = doors.deploy(via, "rita.requester", Map.of("deployment-name",
                    "PartnerAccessPolicy", "deployment-source", "Camunda Modeler"), ProcessIds.PARTNER_ACCESS_POLICY + ".dmn",
                    changedPolicy("by a requester via " + via));

            assertThat(refused.statusCode()).as(via + ": " + refused.body()).isEqualTo(403);
            assertThat(refused.body()).doesNotContain("model change");
            assertThat(latestPolicyVersion()).isEqualTo(versionBefore);
            assertThat(tasks.createTaskQuery().taskDefinitionKey(ProcessIds.TASK_REVIEW_MODEL_CHANGE).count())
                    .as("no review for someone who may not deploy (" + via + ")").isEqualTo(changesBefore);
        }
        assertThat(deploy(null, changedPolicy("without a token")).statusCode()).as("no token").isEqualTo(401);
    }

    /** The shipped table with one rule added ahead of the one that decides LOW for partnerships. */
    private static String changedPolicy(String description) throws IOException {
        String shipped;
        try (InputStream in = new ClassPathResource(POLICY_FILE).getInputStream()) {
            shipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(shipped).contains(ADDED_RULE_BEFORE);
        String rule = rule("Rule_PublicPartnershipReviewed", "Partnerships on public data: " + description,
                new String[] {"\"PARTNERSHIP\"", "", "\"public\"", "false", "false", ""},
                new String[] {"\"HIGH\"", "false", "true", "false", Integer.toString(CHANGED_MAX_ACCESS_DAYS), "30", "300",
                        "7", "false", "false"});
        return shipped.replace(ADDED_RULE_BEFORE, rule + ADDED_RULE_BEFORE);
    }

    /** A decision-table rule as Modeler writes it, followed by the indentation of the next. */
    private static String rule(String id, String description, String[] inputs, String[] outputs) {
        StringBuilder rule = new StringBuilder("<rule id=\"" + id + "\">\n"
                + "        <description>" + description + "</description>\n");
        for (int i = 0; i < inputs.length; i++) {
            rule.append("        <inputEntry id=\"").append(id).append("_In").append(i + 1).append("\"><text>")
                    .append(inputs[i].replace("\"", "&quot;")).append("</text></inputEntry>\n");
        }
        for (int i = 0; i < outputs.length; i++) {
            rule.append("        <outputEntry id=\"").append(id).append("_Out").append(i + 1).append("\"><text>")
                    .append(outputs[i].replace("\"", "&quot;")).append("</text></outputEntry>\n");
        }
        return rule.append("      </rule>\n      ").toString();
    }

    /** As Camunda Modeler's Deploy dialog sends it: multipart, the file under its own name. */
    private HttpResponse<String> deploy(String token, String dmn) throws Exception {
        return ModelerDeployment.send(http, fixtures.port(), token, Map.of("deployment-name", "PartnerAccessPolicy",
                "deployment-source", "Camunda Modeler"), ProcessIds.PARTNER_ACCESS_POLICY + ".dmn", dmn);
    }

    private static String changeId(HttpResponse<String> submitted) {
        Matcher id = Pattern.compile("model change ([0-9a-f-]{36})").matcher(submitted.body());
        assertThat(id.find()).as(submitted.body()).isTrue();
        return id.group(1);
    }

    private Task review(String change) {
        Task review = tasks.createTaskQuery().processInstanceBusinessKey(change)
                .taskDefinitionKey(ProcessIds.TASK_REVIEW_MODEL_CHANGE).singleResult();
        assertThat(review).as("the security officers' review of " + change).isNotNull();
        assertThat(tasks.getIdentityLinksForTask(review.getId())).extracting(link -> link.getGroupId())
                .contains("security-officers");
        return review;
    }

    private HttpResponse<String> complete(String token, String task, boolean approved) throws Exception {
        return engine("POST", "/task/" + task + "/complete", token, "{\"variables\":{\"" + ModelChangeReviewVariables.MODEL_CHANGE_APPROVED
                + "\":{\"value\":" + approved + ",\"type\":\"Boolean\"},\"" + ModelChangeReviewVariables.MODEL_CHANGE_COMMENT
                + "\":{\"value\":\"checked\",\"type\":\"String\"}}}");
    }

    private HttpResponse<String> engine(String method, String path, String token, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(fixtures.url("/engine-rest" + path)))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<Map<String, Object>> auditOf(String action) {
        return jdbc.queryForList("select actor, detail from audit_event where action = ?", action);
    }

    private DecisionDefinition latestPolicy() {
        return repository.createDecisionDefinitionQuery().decisionDefinitionKey(ProcessIds.PARTNER_ACCESS_POLICY)
                .latestVersion().singleResult();
    }

    private HttpResponse<String> engineGet(String path, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(fixtures.url("/engine-rest" + path)))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private int latestPolicyVersion() {
        return repository.createDecisionDefinitionQuery().decisionDefinitionKey(ProcessIds.PARTNER_ACCESS_POLICY)
                .latestVersion().singleResult().getVersion();
    }

    private static Map<String, Object> publicDataRequest(String key, LocalDate endDate) {
        Map<String, Object> request = PartnerAccessClient.validRequest(key, key + "@partner.example.org");
        request.put("dataClasses", List.of("public"));
        request.put("endDate", endDate.toString());
        return request;
    }

    private static String newKey() {
        return "deploy-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
