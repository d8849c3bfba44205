package org.partneraccess.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.form.validator.FormFieldValidationException;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.variable.Variables;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine's own guard, in a real in-memory engine with the guard and the segregation plugin: a staff user outside
 * the application may read, start with the start form's fields, claim for themselves and complete with the task
 * form's fields; every other write is refused and leaves the instance as it was.
 */
class EngineCommandGuardTest {

    private static final String PROCESS = """
            <?xml version="1.0" encoding="UTF-8"?>
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="test">
              <bpmn:process id="GuardedProcess" isExecutable="true" camunda:historyTimeToLive="P1D">
                <bpmn:startEvent id="Start" camunda:formRef="PartnershipRequestForm" camunda:formRefBinding="latest" camunda:initiator="requester" />
                <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Task_ApproveAsSponsor" />
                <bpmn:userTask id="Task_ApproveAsSponsor" camunda:formRef="SponsorApprovalForm" camunda:formRefBinding="latest" camunda:candidateUsers="sam.sponsor">
                  <bpmn:extensionElements>
                    <camunda:properties><camunda:property name="segregation" value="requester" /></camunda:properties>
                  </bpmn:extensionElements>
                </bpmn:userTask>
                <bpmn:sequenceFlow id="F2" sourceRef="Task_ApproveAsSponsor" targetRef="Wait" />
                <bpmn:intermediateCatchEvent id="Wait">
                  <bpmn:messageEventDefinition messageRef="Message_Go" />
                </bpmn:intermediateCatchEvent>
                <bpmn:sequenceFlow id="F3" sourceRef="Wait" targetRef="End" />
                <bpmn:endEvent id="End" />
              </bpmn:process>
              <bpmn:message id="Message_Go" name="Go" />
            </bpmn:definitions>
            """;

    private static ProcessEngine engine;

    @BeforeAll
    static void engine() {
        ProcessEngineConfigurationImpl configuration = (ProcessEngineConfigurationImpl) ProcessEngineConfiguration
                .createStandaloneInMemProcessEngineConfiguration()
                .setJdbcUrl("jdbc:h2:mem:engine-guard-test;DB_CLOSE_DELAY=1000")
                .setJobExecutorActivate(false);
        configuration.setProcessEnginePlugins(List.of(new EngineGuardPlugin(), new SegregationOfDutiesPlugin()));
        configuration.setProcessEngineName("engine-guard-test");
        engine = configuration.buildProcessEngine();
        engine.getRepositoryService().createDeployment()
                .addString("GuardedProcess.bpmn", PROCESS.strip()).deploy();
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    @AfterEach
    void signOut() {
        engine.getIdentityService().clearAuthentication();
    }

    @Test
    void aStaffUserStartsWithTheStartFormsFieldsOnlyAndNoBusinessKey() {
        long before = engine.getRuntimeService().createProcessInstanceQuery().count();
        as("rita.requester", "requesters");
        // the field is named, as for a form submission (the engine REST API's start answers it with 400 too)
        assertThatThrownBy(() -> engine.getRuntimeService().startProcessInstanceByKey("GuardedProcess",
                Map.of("partnershipKey", "acme", "requester", "sam.sponsor")))
                .isInstanceOf(FormFieldValidationException.class).hasMessageContaining("requester: not a field");
        assertThatThrownBy(() -> engine.getRuntimeService().startProcessInstanceByKey("GuardedProcess", "acme"))
                .isInstanceOf(FormFieldValidationException.class).hasMessageContaining("businessKey");
        assertThatThrownBy(() -> engine.getFormService().submitStartForm(definitionId(), "acme", Map.of()))
                .isInstanceOf(FormFieldValidationException.class).hasMessageContaining("businessKey");
        assertThatThrownBy(() -> engine.getRuntimeService().createProcessInstanceByKey("GuardedProcess")
                .startBeforeActivity("Wait").execute())
                .isInstanceOf(AuthorizationException.class);
        assertThat(engine.getRuntimeService().createProcessInstanceQuery().count()).isEqualTo(before);

        ProcessInstance started = engine.getRuntimeService().startProcessInstanceByKey("GuardedProcess",
                Map.of("partnershipKey", "acme", "clientScopes", "[\"orders.read\"]"));
        signOut();
        assertThat(engine.getRuntimeService().getVariable(started.getId(), "requester")).isEqualTo("rita.requester");
    }

    @Test
    void aTaskTakesItsFormsEditableFieldsTypedAsTheFormTypesThem() {
        ProcessInstance instance = startAsRequester();
        Task task = engine.getTaskService().createTaskQuery().processInstanceId(instance.getId()).singleResult();
        as("sam.sponsor", "sponsors");

        assertThatThrownBy(() -> engine.getTaskService().complete(task.getId(),
                Map.of("sponsorApproved", true, "securityOfficerApproval", false)))
                .isInstanceOf(FormFieldValidationException.class).hasMessageContaining("securityOfficerApproval");
        assertThatThrownBy(() -> engine.getTaskService().complete(task.getId(), Map.of("sponsorApproved", "yes")))
                .isInstanceOf(FormFieldValidationException.class).hasMessageContaining("true or false");
        assertThatThrownBy(() -> engine.getFormService().submitTaskForm(task.getId(),
                Map.of("sponsorApproved", true, "requester", "sam.sponsor")))
                .isInstanceOf(FormFieldValidationException.class).hasMessageContaining("requester");
        // a shown field may come back as shown, not changed
        assertThatThrownBy(() -> engine.getTaskService().complete(task.getId(),
                Map.of("sponsorApproved", true, "partnershipKey", "other")))
                .isInstanceOf(FormFieldValidationException.class).hasMessageContaining("partnershipKey");
        assertThat(engine.getTaskService().createTaskQuery().taskId(task.getId()).count()).isOne();

        engine.getTaskService().complete(task.getId(), Map.of("sponsorApproved", true, "partnershipKey", "acme",
                "sponsorComment", "fine"));
        signOut();
        assertThat(engine.getRuntimeService().getVariable(instance.getId(), "decidedBy_Task_ApproveAsSponsor"))
                .isEqualTo("sam.sponsor");
    }

    @Test
    void everyOtherWriteIsForCamundaAdministratorsOnly() {
        ProcessInstance instance = startAsRequester();
        Task task = engine.getTaskService().createTaskQuery().processInstanceId(instance.getId()).singleResult();
        as("sam.sponsor", "sponsors");
        List<Runnable> attacks = List.of(
                () -> engine.getRuntimeService().setVariable(instance.getId(), "requester", "nobody"),
                () -> engine.getTaskService().setVariable(task.getId(), "requester", "nobody"),
                () -> engine.getRuntimeService().createProcessInstanceModification(instance.getId())
                        .startBeforeActivity("Wait").execute(),
                () -> engine.getRuntimeService().createMessageCorrelation("Go").correlateAll(),
                () -> engine.getRuntimeService().signalEventReceived("Anything"),
                () -> engine.getTaskService().addCandidateGroup(task.getId(), "sponsors"),
                () -> engine.getTaskService().setAssignee(task.getId(), "sarah.sponsor"),
                () -> engine.getTaskService().claim(task.getId(), "sarah.sponsor"),
                () -> engine.getRuntimeService().deleteProcessInstance(instance.getId(), "gone"),
                () -> engine.getRuntimeService().suspendProcessInstanceById(instance.getId()),
                () -> engine.getIdentityService().checkPassword("sofia.security", "demo"),
                () -> engine.getAuthorizationService().saveAuthorization(
                        engine.getAuthorizationService().createNewAuthorization(1)));
        for (int i = 0; i < attacks.size(); i++) {
            assertThat(catchThrowable(attacks.get(i)::run)).as("attack %d", i).isInstanceOf(ProcessEngineException.class);
        }
        assertThat(catchThrowable(() -> engine.getIdentityService().createUserQuery().list()))
                .as("the staff directory").isInstanceOf(AuthorizationException.class);
        assertThat(catchThrowable(() -> engine.getAuthorizationService().createAuthorizationQuery().list()))
                .as("the grants").isInstanceOf(AuthorizationException.class);
        engine.getIdentityService().createUserQuery().userId("rita.requester").list();
        engine.getIdentityService().createGroupQuery().groupMember("sam.sponsor").list();
        // reads and claiming for oneself still work
        assertThat(engine.getTaskService().createTaskQuery().taskId(task.getId()).count()).isOne();
        engine.getTaskService().claim(task.getId(), "sam.sponsor");
        signOut();
        assertThat(engine.getRuntimeService().getVariable(instance.getId(), "requester")).isEqualTo("rita.requester");
        assertThat(engine.getTaskService().getIdentityLinksForTask(task.getId()))
                .noneMatch(link -> "sponsors".equals(link.getGroupId()));
        assertThat(engine.getRuntimeService().createProcessInstanceQuery().processInstanceId(instance.getId())
                .active().count()).isOne();

        as("adam.admin", StaffGroups.CAMUNDA_ADMIN);
        engine.getRuntimeService().setVariable(instance.getId(), "note", "administrators may");
    }

    @Test
    void theRequesterCannotApproveTheirOwnRequest() {
        ProcessInstance instance = startAsRequester();
        Task task = engine.getTaskService().createTaskQuery().processInstanceId(instance.getId()).singleResult();
        as("RITA.requester", "sponsors");
        assertThatThrownBy(() -> engine.getTaskService().complete(task.getId(), Map.of("sponsorApproved", true)))
                .hasRootCauseInstanceOf(SegregationOfDutiesException.class);
    }

    @Test
    void aUserTaskWithoutASegregationRuleIsNotDeployed() {
        String undeclared = PROCESS.replace("<camunda:properties><camunda:property name=\"segregation\" value=\"requester\" /></camunda:properties>", "")
                .replace("GuardedProcess", "UndeclaredProcess");
        assertThatThrownBy(() -> engine.getRepositoryService().createDeployment()
                .addInputStream("UndeclaredProcess.bpmn", new java.io.ByteArrayInputStream(
                        undeclared.strip().getBytes(StandardCharsets.UTF_8))).deploy())
                .hasMessageContaining("segregation");
    }

    private ProcessInstance startAsRequester() {
        as("rita.requester", "requesters");
        try {
            return engine.getRuntimeService().startProcessInstanceByKey("GuardedProcess",
                    Variables.createVariables().putValue("partnershipKey", "acme"));
        } finally {
            signOut();
        }
    }

    private String definitionId() {
        return engine.getRepositoryService().createProcessDefinitionQuery().processDefinitionKey("GuardedProcess")
                .singleResult().getId();
    }

    private static void as(String user, String group) {
        engine.getIdentityService().setAuthentication(user, List.of(group));
    }
}
