package org.partneraccess.journeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.Test;
import org.partneraccess.ProcessIds;
import org.partneraccess.modelchange.ModelChange;
import org.partneraccess.modelchange.ModelChangeStatus;
import org.partneraccess.modelchange.ModelChanges;
import org.partneraccess.support.ItFixtures;
import org.partneraccess.support.ModelerDeployment;
import org.partneraccess.support.PartnerAccessClient;
import org.partneraccess.support.PartnerAccessTest;
import org.partneraccess.support.Tokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Journey 6: a process owner deploys a changed process from Camunda Modeler; a security officer reads the review in
 * Tasklist (house checks first, then what changed) and approves; the next request runs on the new version.
 *
 * <p>All integration tests share one application: the change only lengthens one mail task's retries, so every later
 * test runs on a process that behaves as shipped.
 */
@PartnerAccessTest
class ModelChangeJourneyIT {

    private static final Logger LOG = LoggerFactory.getLogger(ModelChangeJourneyIT.class);
    private static final String MODEL = ProcessIds.PARTNERSHIP_PROCESS + ".bpmn";
    private static final String RETRIES = "PT5S,PT1M,PT5M,PT15M,PT1H,PT4H";

    @Autowired
    ItFixtures fixtures;
    @Autowired
    RepositoryService repository;
    @Autowired
    RuntimeService runtime;
    @Autowired
    TaskService tasks;
    @Autowired
    ModelChanges changes;

    @Test
    void processOwnerDeploysAChangeASecurityOfficerReviewsAndApprovesItInTasklist() throws Exception {
        long started = System.nanoTime();
        ProcessDefinition live = latest();
        String changed = changedNotificationRetries(live);

        HttpResponse<String> submitted = ModelerDeployment.send(HttpClient.newHttpClient(), fixtures.port(),
                Tokens.staff(fixtures.keycloakUrl(), "paul.process"), Map.of("deployment-name",
                        ProcessIds.PARTNERSHIP_PROCESS,
                        "deploy-changed-only", "true", "deployment-source", "Camunda Modeler"), MODEL, changed);

        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(403);
        Matcher id = Pattern.compile("model change ([0-9a-f-]{36})").matcher(submitted.body());
        assertThat(id.find()).as(submitted.body()).isTrue();
        String change = id.group(1);
        Task review = tasks.createTaskQuery().processInstanceBusinessKey(change)
                .taskDefinitionKey(ProcessIds.TASK_REVIEW_MODEL_CHANGE).singleResult();
        assertThat(review).as("the review of " + change).isNotNull();
        assertThat(latest().getId()).as("nothing live before the review").isEqualTo(live.getId());

        try (Browser browser = Browser.open("6-security-officer-reviews-a-model-change")) {
            Tasklist tasklist = new Tasklist(browser, fixtures.port());
            tasklist.logIn("sofia.security", "demo");
            tasklist.openFilter("My group tasks");
            browser.visible("the review in the officer's group tasks", tasklist.listEntry(review.getId()));
            browser.click("the review in the list", tasklist.listEntry(review.getId()));
            browser.until("the review form of " + change, d -> browser.shows("I approve this change")
                    && browser.value("Field_requester").equals("paul.process"));
            String summary = browser.value("Field_modelChangeSummary");
            assertThat(summary).startsWith("House checks of " + MODEL)
                    .contains("PASSED every Keycloak or mail call is a save point")
                    .contains("PASSED every contract message the live version catches is still caught")
                    .as("bpmnlint runs by default where npm ci installed it").contains("PASSED bpmnlint (bpmnlint:recommended)")
                    .contains(MODEL + ": 0 added, 0 removed, 1 changed")
                    .contains("Task_NotifyPartnershipActive");
            browser.scrollTo("the summary", org.openqa.selenium.By.cssSelector("[id$='-Field_modelChangeSummary']"));
            browser.screenshot("review-task");
            tasklist.claim();
            // unticked, the form asks for the reason of a rejection; ticked, it asks for none
            org.openqa.selenium.By reason = org.openqa.selenium.By.cssSelector("[id$='-Field_modelChangeComment']");
            browser.visible("the reason field while the box is unticked", reason);
            tasklist.check("Field_modelChangeApproved");
            browser.until("no reason asked for an approval", d -> d.findElements(reason).isEmpty());
            browser.screenshot("approved-before-complete");
            tasklist.complete();
            await().atMost(Duration.ofSeconds(30)).until(() -> tasks.createTaskQuery().taskId(review.getId()).count() == 0);
            browser.until("the review gone from the list", d -> d.findElements(tasklist.listEntry(review.getId())).isEmpty());
            browser.screenshot("review-completed");
        }

        ModelChange approved = changes.find(change).orElseThrow();
        assertThat(approved.getStatus()).isEqualTo(ModelChangeStatus.APPROVED);
        assertThat(approved.getDecidedBy()).isEqualTo("sofia.security");
        ProcessDefinition now = latest();
        assertThat(now.getVersion()).isEqualTo(live.getVersion() + 1);
        assertThat(now.getDeploymentId()).isEqualTo(approved.getDeploymentId());
        assertThat(now.isSuspended()).isFalse();
        LOG.info("Journey 6: model change deployed, reviewed in the browser and live in {} s",
                Duration.ofNanos(System.nanoTime() - started).toSeconds());
        // the next request runs on the approved version
        String key = "chg-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(fixtures.client().post("rita.requester", "/api/partnerships",
                PartnerAccessClient.validRequest(key, key + "@partner.example.org")).statusCode()).isEqualTo(201);
        assertThat(runtime.createProcessInstanceQuery().processInstanceBusinessKey(key).singleResult()
                .getProcessDefinitionId()).isEqualTo(now.getId());
    }

    private ProcessDefinition latest() {
        return repository.createProcessDefinitionQuery().processDefinitionKey(ProcessIds.PARTNERSHIP_PROCESS)
                .latestVersion().singleResult();
    }

    /** The live model with one more, later retry for the activation mail. */
    private String changedNotificationRetries(ProcessDefinition live) throws Exception {
        String model;
        try (InputStream in = repository.getResourceAsStream(live.getDeploymentId(), live.getResourceName())) {
            model = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int task = model.indexOf("id=\"Task_NotifyPartnershipActive\"");
        int cycle = model.indexOf(RETRIES + "<", task);
        assertThat(task).isPositive();
        assertThat(cycle).isPositive();
        return model.substring(0, cycle) + RETRIES + ",PT8H" + model.substring(cycle + RETRIES.length());
    }
}
