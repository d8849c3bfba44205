package org.partneraccess.security.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.partneraccess.support.EngineDoors;
import org.partneraccess.support.EngineDoors.Via;
import org.partneraccess.support.ItFixtures;
import org.partneraccess.support.PartnerAccessTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.core.io.ClassPathResource;

/**
 * A process owner deploys exactly as Camunda Modeler does, through both doors to the engine: the engine REST API with
 * a token and the webapps' session API with a Tasklist session. A model that would run code is answered 400 naming the
 * element and the rule, and nothing of it is deployed, scheduled or started; an ordinary change of a shipped model is
 * kept for a security officer's review, not deployed.
 */
@PartnerAccessTest
class DeploymentPolicyIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EngineDoors doors;

    @Autowired
    ItFixtures fixtures;
    @Autowired
    RepositoryService repository;
    @Autowired
    ManagementService management;
    @Autowired
    ProcessEngine engine;
    @Autowired
    ApplicationContext context;

    @ParameterizedTest
    @EnumSource(Via.class)
    void aTimerStartReadingTheConfigurationIsRefused(Via via) throws Exception {
        assertRefused(via, "StartEvent_ReadConfiguration", BpmnModelCheck.EXPRESSION, PolicyModels.process("""
                <bpmn:startEvent id="StartEvent_ReadConfiguration" name="Read configuration">
                  <bpmn:timerEventDefinition id="TimerEventDefinition_ReadConfiguration">
                    <bpmn:timeDate xsi:type="bpmn:tFormalExpression">${environment.getProperty('partner-access.keycloak.client-secret')}</bpmn:timeDate>
                  </bpmn:timerEventDefinition>
                </bpmn:startEvent>"""));
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void theEngineServicesThroughTheExecutionAreRefused(Via via) throws Exception {
        assertRefused(via, "StartEvent_Started", BpmnModelCheck.EXPRESSION, PolicyModels.process("""
                <bpmn:startEvent id="StartEvent_Started" name="Started">
                  <bpmn:extensionElements>
                    <camunda:executionListener event="start" expression="${execution.getProcessEngineServices().getIdentityService().createGroupQuery().list()}" />
                  </bpmn:extensionElements>
                </bpmn:startEvent>"""));
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void aScriptTaskIsRefused(Via via) throws Exception {
        assertRefused(via, "Task_RunScript", BpmnModelCheck.SCRIPT, PolicyModels.process("""
                <bpmn:startEvent id="StartEvent_Started" name="Started" />
                <bpmn:scriptTask id="Task_RunScript" name="Run script" scriptFormat="javascript">
                  <bpmn:script>java.lang.System.getenv()</bpmn:script>
                </bpmn:scriptTask>"""));
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void aDelegateExpressionNamingAKeycloakResourceIsRefused(Via via) throws Exception {
        assertThat(context.containsBean("partnerClients")).isTrue();
        assertRefused(via, "Task_CallGateway", BpmnModelCheck.DELEGATE, PolicyModels.process("""
                <bpmn:startEvent id="StartEvent_Started" name="Started" />
                <bpmn:serviceTask id="Task_CallGateway" name="Call gateway" camunda:delegateExpression="${partnerClients}" />"""));
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void anHtmlFormIsNotDeployed(Via via) throws Exception {
        Snapshot before = snapshot();

        HttpResponse<String> refused = deploy(via, "approve.html", "<form><script>fetch('/engine-rest/task')</script></form>");

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(refused.body()).contains(DeploymentResourceCheck.RESOURCE_KIND);
        assertThat(snapshot()).isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void aChangedCopyOfAShippedModelPassesTheChecksAndWaitsForReview(Via via) throws Exception {
        String shipped;
        try (InputStream in = new ClassPathResource("bpmn/DriftReviewProcess.bpmn").getInputStream()) {
            shipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        // another key, so the shipped definition stays the newest for the other tests
        String key = "DriftReviewProcessCopy" + UUID.randomUUID().toString().substring(0, 8).replace("-", "");
        String changed = shipped.replace("\"DriftReviewProcess\"", "\"" + key + "\"")
                .replace("name=\"Review drift as owner\"", "name=\"Review the drift as owner\"");
        assertThat(changed).contains(key).contains("Review the drift as owner").contains("delegateExpression")
                .contains("${driftReviewers}");

        HttpResponse<String> submitted = deploy(via, key + ".bpmn", changed);

        // within the policy, so kept for a security officer's review rather than refused (the round trip: PolicyDeploymentIT)
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(403);
        assertThat(submitted.body()).contains("Kept as model change");
        assertThat(repository.createProcessDefinitionQuery().processDefinitionKey(key).count()).isZero();
    }

    @Test
    void expressionsResolveOnlyTheAllowListedBeans() {
        Map<Object, Object> beans = ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration()).getBeans();

        assertThat(beans.containsKey("keycloakGateway")).isFalse();
        assertThat(beans.containsKey("environment")).isFalse();
        assertThat(beans.containsKey("partnershipRepository")).isFalse();
        assertThat(beans.containsKey("sponsors")).isTrue();
        assertThat(beans.containsKey("expiryBackstop")).isTrue();
        assertThat(beans.containsKey("recordPartnershipRequestDelegate")).isTrue();
        assertThat(beans.containsKey("checkSuccessorListener")).isTrue();
        // the application context and the class path agree on the delegates (the process unit tests use the latter)
        assertThat(context.getBean(DeploymentPolicyPlugin.class).delegateBeans()).isEqualTo(DelegateBeans.scan());
    }

    private void assertRefused(Via via, String elementId, String rule, String model) throws Exception {
        Snapshot before = snapshot();

        HttpResponse<String> refused = deploy(via, "Attack" + UUID.randomUUID().toString().substring(0, 8) + ".bpmn", model);

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        JsonNode body = JSON.readTree(refused.body());
        assertThat(body.get("type").asText()).isEqualTo("ParseException");
        List<JsonNode> errors = new ArrayList<>();
        body.get("details").elements().forEachRemaining(report -> report.get("errors").forEach(errors::add));
        assertThat(errors).as(refused.body()).anySatisfy(error -> {
            assertThat(error.get("message").asText()).contains("(" + rule + ")");
            assertThat(error.get("mainElementId").isNull()).isFalse();
            // the id list's JSON key is spelled with a Cyrillic "Е" by Camunda's ProblemDto; the ids are what count
            assertThat(error.toString()).contains("\"" + elementId + "\"");
        });
        assertThat(snapshot()).as("nothing deployed, scheduled or started").isEqualTo(before);
    }

    private record Snapshot(long deployments, long processDefinitions, long jobs, long instances) {
    }

    private Snapshot snapshot() {
        return new Snapshot(repository.createDeploymentQuery().count(),
                repository.createProcessDefinitionQuery().count(), management.createJobQuery().count(),
                engine.getRuntimeService().createProcessInstanceQuery().count());
    }

    /**
     * As Camunda Modeler's Deploy dialog sends it (only what changed, the file under its own name), through the given
     * door: the engine REST API with a token, or the webapps' session API with paul.process's Tasklist session.
     */
    private HttpResponse<String> deploy(Via via, String file, String content) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("deployment-name", file);
        fields.put("deploy-changed-only", "true");
        fields.put("deployment-source", "Camunda Modeler");
        if (doors == null) {
            doors = fixtures.doors();
        }
        return doors.deploy(via, "paul.process", fields, file, content);
    }
}
