package org.partneraccess.security.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import org.camunda.bpm.engine.ParseException;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.Problem;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.impl.cfg.StandaloneInMemProcessEngineConfiguration;
import org.camunda.bpm.engine.repository.DeploymentBuilder;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.camunda.bpm.engine.test.mock.MockExpressionManager;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.partneraccess.support.ProcessUnitTests;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Every construct the deployment policy refuses, each in a model an engine without the policy deploys (and would run):
 * the policy's engine refuses the deployment as a whole, names the element and the rule, and keeps nothing.
 */
class DeploymentPolicyTest {

    @RegisterExtension
    static ProcessEngineExtension engine = ProcessUnitTests.engine();

    /**
     * An engine without the policy: proof that each refused model is otherwise deployable. Held in a record, since the
     * engine extension fills every field of type ProcessEngine with its own.
     */
    private static Unchecked unchecked;

    private record Unchecked(ProcessEngine engine) {
    }

    @BeforeAll
    static void uncheckedEngine() {
        StandaloneInMemProcessEngineConfiguration configuration = new StandaloneInMemProcessEngineConfiguration();
        configuration.setProcessEngineName("unchecked");
        configuration.setJdbcUrl("jdbc:h2:mem:deployment-policy-unchecked;DB_CLOSE_DELAY=1000");
        configuration.setJobExecutorActivate(false);
        configuration.setExpressionManager(new MockExpressionManager());
        unchecked = new Unchecked(configuration.buildProcessEngine());
    }

    @AfterAll
    static void closeUnchecked() {
        unchecked.engine().close();
    }

    @AfterEach
    void resetMocks() {
        Mocks.reset();
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                // the timer is computed when the model is deployed: configuration read with nobody starting anything
                attack("timer start reads the configuration", "StartEvent_Timer", BpmnModelCheck.EXPRESSION, """
                        <bpmn:startEvent id="StartEvent_Timer"><bpmn:timerEventDefinition>
                          <bpmn:timeDate xsi:type="bpmn:tFormalExpression">${environment.getProperty('spring.datasource.password')}</bpmn:timeDate>
                        </bpmn:timerEventDefinition></bpmn:startEvent>"""),
                attack("engine services from the execution", "StartEvent_1", BpmnModelCheck.EXPRESSION, """
                        <bpmn:startEvent id="StartEvent_1"><bpmn:extensionElements>
                          <camunda:executionListener event="start" expression="${execution.getProcessEngineServices().getIdentityService()}" />
                        </bpmn:extensionElements></bpmn:startEvent>"""),
                attack("engine services as a property", "StartEvent_1", BpmnModelCheck.EXPRESSION, """
                        <bpmn:startEvent id="StartEvent_1"><bpmn:extensionElements>
                          <camunda:executionListener event="start" expression="${execution.processEngineServices}" />
                        </bpmn:extensionElements></bpmn:startEvent>"""),
                attack("engine services through brackets", "StartEvent_1", BpmnModelCheck.EXPRESSION, """
                        <bpmn:startEvent id="StartEvent_1"><bpmn:extensionElements>
                          <camunda:executionListener event="start" expression="${execution['processEngineServices']}" />
                        </bpmn:extensionElements></bpmn:startEvent>"""),
                attack("a call on what a helper returns", "Task_Approve", BpmnModelCheck.EXPRESSION, """
                        <bpmn:userTask id="Task_Approve" camunda:candidateUsers="${sponsors.of(execution).getClass()}"><bpmn:extensionElements><camunda:properties><camunda:property name="segregation" value="none" /></camunda:properties></bpmn:extensionElements></bpmn:userTask>"""),
                attack("a function", "Task_Approve", BpmnModelCheck.EXPRESSION, """
                        <bpmn:userTask id="Task_Approve" camunda:dueDate="${dateTime().plusDays(1).toDate()}"><bpmn:extensionElements><camunda:properties><camunda:property name="segregation" value="none" /></camunda:properties></bpmn:extensionElements></bpmn:userTask>"""),
                attack("the execution handed on as a value", "Task_Approve", BpmnModelCheck.EXPRESSION, """
                        <bpmn:userTask id="Task_Approve"><bpmn:extensionElements><camunda:properties><camunda:property name="segregation" value="none" /></camunda:properties><camunda:inputOutput>
                          <camunda:outputParameter name="leak">${execution}</camunda:outputParameter>
                        </camunda:inputOutput></bpmn:extensionElements></bpmn:userTask>"""),
                attack("a bean that is not a helper", "Message_Attack", BpmnModelCheck.EXPRESSION, """
                        <bpmn:intermediateCatchEvent id="Event_Wait"><bpmn:messageEventDefinition messageRef="Message_Attack" /></bpmn:intermediateCatchEvent>
                        """, """
                        <bpmn:message id="Message_Attack" name="${keycloakGateway.findUser('x')}" />"""),
                attack("script task", "Task_Script", BpmnModelCheck.SCRIPT, """
                        <bpmn:scriptTask id="Task_Script" scriptFormat="javascript">
                          <bpmn:script>java.lang.Runtime.getRuntime().exec('id')</bpmn:script>
                        </bpmn:scriptTask>"""),
                attack("script in a listener", "StartEvent_1", BpmnModelCheck.SCRIPT, """
                        <bpmn:startEvent id="StartEvent_1"><bpmn:extensionElements>
                          <camunda:executionListener event="start"><camunda:script scriptFormat="groovy">'id'.execute()</camunda:script></camunda:executionListener>
                        </bpmn:extensionElements></bpmn:startEvent>"""),
                attack("script in an input mapping", "Task_Approve", BpmnModelCheck.SCRIPT, """
                        <bpmn:userTask id="Task_Approve"><bpmn:extensionElements><camunda:properties><camunda:property name="segregation" value="none" /></camunda:properties><camunda:inputOutput>
                          <camunda:inputParameter name="x"><camunda:script scriptFormat="javascript">1</camunda:script></camunda:inputParameter>
                        </camunda:inputOutput></bpmn:extensionElements></bpmn:userTask>"""),
                attack("script condition", "Flow_Script", BpmnModelCheck.SCRIPT, """
                        <bpmn:startEvent id="StartEvent_1" />
                        <bpmn:endEvent id="EndEvent_1" />
                        <bpmn:sequenceFlow id="Flow_Script" sourceRef="StartEvent_1" targetRef="EndEvent_1">
                          <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" language="javascript">true</bpmn:conditionExpression>
                        </bpmn:sequenceFlow>"""),
                attack("a script resource", "Flow_Resource", BpmnModelCheck.RESOURCE, """
                        <bpmn:startEvent id="StartEvent_1" />
                        <bpmn:endEvent id="EndEvent_1" />
                        <bpmn:sequenceFlow id="Flow_Resource" sourceRef="StartEvent_1" targetRef="EndEvent_1">
                          <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" language="groovy" camunda:resource="deployment://check.groovy" />
                        </bpmn:sequenceFlow>"""),
                attack("class on a service task", "Task_Class", BpmnModelCheck.CLASS, """
                        <bpmn:serviceTask id="Task_Class" camunda:class="org.camunda.bpm.engine.impl.bpmn.behavior.NoneEndEventActivityBehavior" />"""),
                attack("class on a listener", "Task_Approve", BpmnModelCheck.CLASS, """
                        <bpmn:userTask id="Task_Approve"><bpmn:extensionElements><camunda:properties><camunda:property name="segregation" value="none" /></camunda:properties>
                          <camunda:taskListener event="create" class="org.example.Listener" />
                        </bpmn:extensionElements></bpmn:userTask>"""),
                attack("expression service task", "Task_Expression", BpmnModelCheck.EXPRESSION, """
                        <bpmn:serviceTask id="Task_Expression" camunda:expression="${keycloakGateway.disableUser('partner')}" />"""),
                attack("delegate expression naming a bean that is no delegate", "Task_Gateway", BpmnModelCheck.DELEGATE, """
                        <bpmn:serviceTask id="Task_Gateway" camunda:delegateExpression="${keycloakGateway}" />"""),
                attack("delegate expression naming a helper", "Task_Helper", BpmnModelCheck.DELEGATE, """
                        <bpmn:serviceTask id="Task_Helper" camunda:delegateExpression="${sponsors}" />"""),
                attack("delegate expression computing its bean", "Task_Computed", BpmnModelCheck.DELEGATE, """
                        <bpmn:serviceTask id="Task_Computed" camunda:delegateExpression="${execution.getVariable('bean')}" />"""),
                attack("field injection into a delegate", "Task_Field", BpmnModelCheck.FIELD_INJECTION, """
                        <bpmn:serviceTask id="Task_Field" camunda:delegateExpression="${recordPartnershipRequestDelegate}">
                          <bpmn:extensionElements><camunda:field name="partnerships" stringValue="x" /></bpmn:extensionElements>
                        </bpmn:serviceTask>"""),
                attack("connector", "Task_Connector", BpmnModelCheck.CONNECTOR, """
                        <bpmn:serviceTask id="Task_Connector"><bpmn:extensionElements>
                          <camunda:connector><camunda:connectorId>http-connector</camunda:connectorId></camunda:connector>
                        </bpmn:extensionElements></bpmn:serviceTask>"""),
                attack("external task", "Task_External", BpmnModelCheck.EXTERNAL_TASK, """
                        <bpmn:serviceTask id="Task_External" camunda:type="external" camunda:topic="anything" />"""),
                attack("embedded form", "Task_Form", BpmnModelCheck.FORM_KEY, """
                        <bpmn:userTask id="Task_Form" camunda:formKey="embedded:deployment:approve.html"><bpmn:extensionElements><camunda:properties><camunda:property name="segregation" value="none" /></camunda:properties></bpmn:extensionElements></bpmn:userTask>"""),
                attack("generated form", "Task_Form", BpmnModelCheck.GENERATED_FORM, """
                        <bpmn:userTask id="Task_Form"><bpmn:extensionElements><camunda:properties><camunda:property name="segregation" value="none" /></camunda:properties><camunda:formData>
                          <camunda:formField id="approved" type="boolean" />
                        </camunda:formData></bpmn:extensionElements></bpmn:userTask>"""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void refused(String construct, String model, String elementId, String rule) {
        Properties environment = new Properties();
        environment.setProperty("spring.datasource.password", "2099-01-01T00:00:00");
        Mocks.register("environment", environment);
        // connectors need Camunda's connect plugin, which the application does not have either
        if (!construct.equals("connector")) {
            assertThat(deploy(unchecked.engine().getRepositoryService(), "Attack.bpmn", model).getId())
                    .as("deployable without the policy").isNotNull();
        }

        List<Problem> problems = refusedDeployment("Attack.bpmn", model);

        assertThat(problems).as(construct).anySatisfy(problem -> {
            assertThat(problem.getMainElementId()).isEqualTo(elementId);
            assertThat(problem.getElementIds()).contains(elementId);
            assertThat(problem.getMessage()).contains("(" + rule + ")").contains(elementId);
        });
    }

    @Test
    void everyViolationOfAModelIsReportedWithItsElement() {
        String model = PolicyModels.process("""
                <bpmn:scriptTask id="Task_Script" scriptFormat="groovy"><bpmn:script>1</bpmn:script></bpmn:scriptTask>
                <bpmn:serviceTask id="Task_Class" camunda:class="org.example.Delegate" />
                <bpmn:userTask id="Task_Form" camunda:formKey="app:approve.html"><bpmn:extensionElements><camunda:properties><camunda:property name="segregation" value="none" /></camunda:properties></bpmn:extensionElements></bpmn:userTask>""");

        assertThat(refusedDeployment("Attack.bpmn", model)).extracting(Problem::getMainElementId)
                .containsExactlyInAnyOrder("Task_Script", "Task_Class", "Task_Form");
    }

    @Test
    void theAllowedGrammarDeploys() {
        String model = PolicyModels.process("""
                <bpmn:startEvent id="StartEvent_1" name="Started by ${authenticatedUserId}" />
                <bpmn:userTask id="Task_Approve" camunda:candidateUsers="${kind == 'sponsors' ? sponsors.of(execution) : sponsors.none()}"
                    camunda:assignee="${empty owner ? null : owner}" camunda:dueDate="${expiryBackstop.dueAfter(accessEnd)}">
                  <bpmn:extensionElements><camunda:properties><camunda:property name="segregation" value="none" /></camunda:properties>
                    <camunda:executionListener event="end" expression="${execution.setVariable('reason', execution.getVariable('given'))}" />
                    <camunda:taskListener event="complete" delegateExpression="${checkSuccessorListener}" />
                  </bpmn:extensionElements>
                </bpmn:userTask>
                <bpmn:serviceTask id="Task_Record" camunda:delegateExpression="${recordPartnershipRequestDelegate}" />
                <bpmn:sequenceFlow id="Flow_1" sourceRef="StartEvent_1" targetRef="Task_Approve">
                  <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${!(approved != true) &amp;&amp; count &gt;= -1 || not empty x}</bpmn:conditionExpression>
                </bpmn:sequenceFlow>""");

        assertThat(deploy(repository(), "Allowed.bpmn", model).getId()).isNotNull();
    }

    @Test
    void theShippedModelsAndFormsDeploy() throws IOException {
        DeploymentBuilder deployment = repository().createDeployment().name("shipped");
        int resources = 0;
        for (String pattern : List.of("classpath*:bpmn/*.bpmn", "classpath*:bpmn/*.dmn", "classpath*:forms/*.form")) {
            for (Resource resource : new PathMatchingResourcePatternResolver().getResources(pattern)) {
                try (InputStream in = resource.getInputStream()) {
                    deployment.addInputStream(resource.getFilename(), in);
                }
                resources++;
            }
        }
        assertThat(resources).isGreaterThanOrEqualTo(20);

        String id = deployment.deploy().getId();

        assertThat(repository().createProcessDefinitionQuery().deploymentId(id).count()).isEqualTo(7);
        assertThat(repository().createDecisionDefinitionQuery().deploymentId(id).count()).isEqualTo(1);
        repository().deleteDeployment(id, true);
    }

    @Test
    void everyDelegateTheShippedModelsNameIsFoundAndNothingElse() {
        assertThat(DelegateBeans.scan()).contains("recordPartnershipRequestDelegate", "recordDriftDecisionDelegate",
                "checkSuccessorListener", "provisionMachineClientDelegate")
                .doesNotContain("keycloakGateway", "sponsors", "expiryBackstop", "segregationOfDutiesListener")
                .allSatisfy(name -> assertThat(name).matches("[a-z][A-Za-z]*(Delegate|Listener)"));
    }

    @ParameterizedTest
    @MethodSource
    void decisionsAreFeelOnly(String dmn, String elementId) {
        assertThat(deploy(unchecked.engine().getRepositoryService(), "Attack.dmn", dmn).getId()).isNotNull();

        assertThat(refusedDeployment("Attack.dmn", dmn)).anySatisfy(problem -> {
            assertThat(problem.getMainElementId()).isEqualTo(elementId);
            assertThat(problem.getMessage()).contains("(" + DmnModelCheck.FEEL_ONLY + ")");
        });
    }

    static Stream<Arguments> decisionsAreFeelOnly() {
        return Stream.of(
                Arguments.of(PolicyModels.decision("", "expressionLanguage=\"juel\"", "", ""), "InputExpression_1"),
                Arguments.of(PolicyModels.decision("", "", "expressionLanguage=\"javascript\"", ""), "InputEntry_1"),
                Arguments.of(PolicyModels.decision("", "", "", "expressionLanguage=\"groovy\""), "OutputEntry_1"),
                Arguments.of(PolicyModels.decision("expressionLanguage=\"juel\"", "", "", ""), "Definitions_Attack"));
    }

    @ParameterizedTest
    @MethodSource
    void onlyModelsAndFormsAreDeployed(String name) {
        assertThat(refusedDeployment(name, "<p>anything</p>")).singleElement().satisfies(problem ->
                assertThat(problem.getMessage()).contains("(" + DeploymentResourceCheck.RESOURCE_KIND + ")"));
    }

    static Stream<String> onlyModelsAndFormsAreDeployed() {
        return Stream.of("approve.html", "approve.js", "Case.cmmn", "script.groovy", "notes.txt");
    }

    /** Deploying fails as a whole: the engine's parse error, and not one deployment or definition more. */
    private List<Problem> refusedDeployment(String name, String model) {
        long deployments = repository().createDeploymentQuery().count();
        long definitions = repository().createProcessDefinitionQuery().count()
                + repository().createDecisionDefinitionQuery().count();
        long jobs = engine.getProcessEngine().getManagementService().createJobQuery().count();

        ParseException refused = catchThrowableOfType(ParseException.class, () -> deploy(repository(), name, model));

        assertThat(refused).as("refused").isNotNull();
        assertThat(repository().createDeploymentQuery().count()).isEqualTo(deployments);
        assertThat(repository().createProcessDefinitionQuery().count()
                + repository().createDecisionDefinitionQuery().count()).isEqualTo(definitions);
        assertThat(engine.getProcessEngine().getManagementService().createJobQuery().count()).isEqualTo(jobs);
        return refused.getResorceReports().get(0).getErrors();
    }

    private static org.camunda.bpm.engine.repository.Deployment deploy(RepositoryService repository, String name,
                                                                        String model) {
        return repository.createDeployment().addString(name, model).deploy();
    }

    private RepositoryService repository() {
        return engine.getProcessEngine().getRepositoryService();
    }

    private static Arguments attack(String construct, String elementId, String rule, String body) {
        return Arguments.of(construct, PolicyModels.process(body), elementId, rule);
    }

    private static Arguments attack(String construct, String elementId, String rule, String body, String definitions) {
        return Arguments.of(construct, PolicyModels.process(body, definitions), elementId, rule);
    }
}
