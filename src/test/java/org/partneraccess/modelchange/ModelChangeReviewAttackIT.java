package org.partneraccess.modelchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertAll;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.partneraccess.ProcessIds;
import org.partneraccess.support.EngineDoors;
import org.partneraccess.support.EngineDoors.Via;
import org.partneraccess.support.ItFixtures;
import org.partneraccess.support.ModelerDeployment;
import org.partneraccess.support.PartnerAccessTest;
import org.partneraccess.support.Tokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The deployer of a model change and a staff member who is no security officer try to decide its review themselves,
 * through both doors to the engine: the engine REST API and Tasklist's session API. Every call is refused (4xx) and
 * nothing moves: the change stays pending, nothing is deployed, no approval is audited and no decision is recorded.
 */
@PartnerAccessTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ModelChangeReviewAttackIT {

    private static final Logger LOG = LoggerFactory.getLogger(ModelChangeReviewAttackIT.class);
    private static final Set<Integer> REFUSALS = Set.of(400, 403, 404, 409);
    private static final String MODEL = ProcessIds.OWNER_REASSIGNMENT_PROCESS + ".bpmn";

    @Autowired
    ItFixtures fixtures;
    @Autowired
    TaskService tasks;
    @Autowired
    RuntimeService runtime;
    @Autowired
    RepositoryService repository;
    @Autowired
    ModelChanges changes;
    @Autowired
    JdbcTemplate jdbc;

    private EngineDoors doors;
    private String change;
    private Task review;

    @BeforeAll
    void submitAChange() throws Exception {
        doors = fixtures.doors();
        String shipped;
        try (InputStream in = new ClassPathResource("bpmn/" + MODEL).getInputStream()) {
            shipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        // a comment changes no behaviour, yet is a change to review
        String changed = shipped + "\n<!-- reviewed change " + UUID.randomUUID() + " -->\n";
        HttpResponse<String> submitted = ModelerDeployment.send(HttpClient.newHttpClient(), fixtures.port(),
                Tokens.staff(fixtures.keycloakUrl(), "paul.process"), Map.of("deployment-name",
                        ProcessIds.OWNER_REASSIGNMENT_PROCESS,
                        "deploy-changed-only", "true", "deployment-source", "Camunda Modeler"), MODEL, changed);
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(403);
        Matcher id = Pattern.compile("model change ([0-9a-f-]{36})").matcher(submitted.body());
        assertThat(id.find()).as(submitted.body()).isTrue();
        change = id.group(1);
        review = tasks.createTaskQuery().processInstanceBusinessKey(change)
                .taskDefinitionKey(ProcessIds.TASK_REVIEW_MODEL_CHANGE).singleResult();
        assertThat(review).as("the review of " + change).isNotNull();
    }

    static Stream<Arguments> attackers() {
        return Stream.of(Via.values()).flatMap(via -> Stream.of("paul.process", "rita.requester")
                .map(user -> Arguments.of(via, user)));
    }

    @Order(1)
    @ParameterizedTest(name = "{1} via {0}")
    @MethodSource("attackers")
    void theDeployerOrAnotherStaffMemberCannotDecideTheReview(Via via, String attacker) {
        Map<String, Object> before = state();
        String task = "/task/" + review.getId();
        Map<String, Object> approval = Map.of("variables", Map.of(
                ModelChangeReviewVariables.MODEL_CHANGE_APPROVED, Map.of("value", true, "type", "Boolean"),
                ModelChangeReviewVariables.MODEL_CHANGE_COMMENT, Map.of("value", "looks fine to me", "type", "String")));
        Map<String, Object> calls = new LinkedHashMap<>();
        calls.put("POST " + task + "/claim", Map.of("userId", attacker));
        calls.put("POST " + task + "/assignee", Map.of("userId", attacker));
        calls.put("POST " + task + "/identity-links", Map.of("userId", attacker, "type", "candidate"));
        calls.put("POST " + task + "/complete", approval);
        calls.put("POST " + task + "/submit-form", approval);
        calls.put("PUT " + task + "/variables/" + ModelChangeReviewVariables.MODEL_CHANGE_APPROVED,
                Map.of("value", true, "type", "Boolean"));

        List<String> wrong = new ArrayList<>();
        calls.forEach((call, body) -> {
            String[] methodAndPath = call.split(" ", 2);
            HttpResponse<String> answer = doors.call(via, attacker, methodAndPath[0], methodAndPath[1], body);
            LOG.info("ATTACK via {} as {}: {} -> {} {}", via, attacker, call, answer.statusCode(), answer.body());
            if (!REFUSALS.contains(answer.statusCode())) {
                wrong.add(call + " answered " + answer.statusCode() + " " + answer.body());
            }
        });

        assertAll(
                () -> assertThat(wrong).as("calls by " + attacker + " via " + via + " that were not refused").isEmpty(),
                () -> assertThat(state()).as("the change, deployments, audit, decisions and task afterwards")
                        .isEqualTo(before),
                () -> assertThat(changes.find(change).orElseThrow().getStatus()).isEqualTo(ModelChangeStatus.PENDING),
                () -> assertThat(approvalsAudited()).isZero(),
                () -> assertThat(before.get("audit chain intact")).isEqualTo(true),
                () -> assertThat(decisionsRecorded()).isZero());
    }

    /** The door is not closed for everyone: a security officer decides through her own Tasklist session. */
    @Order(2)
    @Test
    void aSecurityOfficerStillDecidesThroughHerTasklistSession() {
        long deployments = repository.createDeploymentQuery().count();
        String task = "/task/" + review.getId();
        assertThat(doors.call(Via.TASKLIST_SESSION, "sofia.security", "POST", task + "/claim",
                Map.of("userId", "sofia.security")).statusCode()).isEqualTo(204);
        HttpResponse<String> rejected = doors.call(Via.TASKLIST_SESSION, "sofia.security", "POST", task + "/submit-form",
                Map.of("variables", Map.of(ModelChangeReviewVariables.MODEL_CHANGE_APPROVED, Map.of("value", false, "type", "Boolean"),
                        ModelChangeReviewVariables.MODEL_CHANGE_COMMENT, Map.of("value", "not needed", "type", "String"))));

        assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(204);
        assertThat(changes.find(change).orElseThrow().getStatus()).isEqualTo(ModelChangeStatus.REJECTED);
        assertThat(decisionsRecorded()).isEqualTo(1);
        assertThat(repository.createDeploymentQuery().count()).isEqualTo(deployments);
    }

    /** Everything an attack on the review could change. */
    private Map<String, Object> state() {
        Map<String, Object> state = new LinkedHashMap<>();
        ModelChange pending = changes.find(change).orElseThrow();
        state.put("change", pending.getStatus() + " decidedBy=" + pending.getDecidedBy() + " deployment="
                + pending.getDeploymentId());
        state.put("deployments", repository.createDeploymentQuery().count());
        state.put("latest " + ProcessIds.OWNER_REASSIGNMENT_PROCESS, repository.createProcessDefinitionQuery()
                .processDefinitionKey(ProcessIds.OWNER_REASSIGNMENT_PROCESS).latestVersion().singleResult().getVersion());
        state.put("audit entries", jdbc.queryForObject("select count(*) from audit_event", Long.class));
        state.put("audit chain intact", fixtures.client().get("alice.auditor",
                "/api/audit/verification").body().contains("\"intact\":true"));
        state.put("decisions", decisionsRecorded());
        Task now = tasks.createTaskQuery().taskId(review.getId()).singleResult();
        state.put("task", now == null ? "gone" : "assignee=" + now.getAssignee() + " links="
                + tasks.getIdentityLinksForTask(now.getId()).stream().map(link -> link.getType() + ":"
                + (link.getUserId() != null ? link.getUserId() : "group " + link.getGroupId())).sorted().toList()
                + " variables=" + new java.util.TreeMap<>(runtime.getVariables(now.getProcessInstanceId())));
        return state;
    }

    private long approvalsAudited() {
        return jdbc.queryForObject("select count(*) from audit_event where action = 'MODEL_CHANGE_APPROVED' and detail like ?",
                Long.class, "%change=" + change + "%");
    }

    private long decisionsRecorded() {
        return jdbc.queryForObject("select count(*) from decision where subject = ? and step = ?", Long.class, change,
                ProcessIds.TASK_REVIEW_MODEL_CHANGE);
    }
}
