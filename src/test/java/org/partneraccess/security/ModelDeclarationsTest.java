package org.partneraccess.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.StartEvent;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.BoundaryEvent;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;
import org.camunda.bpm.model.bpmn.instance.ServiceTask;
import org.camunda.bpm.model.bpmn.instance.TimerEventDefinition;
import org.camunda.bpm.model.bpmn.instance.UserTask;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaInputOutput;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperties;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperty;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Every user task of the shipped models declares its segregation rule and a form the application ships, and every
 * form it names lets the task's decision be submitted: what a task may change is derived from these declarations.
 */
class ModelDeclarationsTest {

    private final FormFields forms = FormFields.shipped();

    @Test
    void everyUserTaskDeclaresItsSegregationRuleAndAShippedFormWithEditableFields() throws IOException {
        List<String> userTasks = new ArrayList<>();
        for (BpmnModelInstance model : models()) {
            for (UserTask task : model.getModelElementsByType(UserTask.class)) {
                userTasks.add(task.getId());
                String declaration = task.getExtensionElements() == null ? null : task.getExtensionElements()
                        .getElementsQuery().filterByType(CamundaProperties.class)
                        .list().stream().flatMap(p -> p.getCamundaProperties().stream())
                        .filter(p -> SegregationRules.PROPERTY.equals(p.getCamundaName()))
                        .map(CamundaProperty::getCamundaValue).findFirst().orElse(null);
                SegregationRules.parse(task.getId(), declaration);
                assertThat(task.getCamundaFormRef()).as("form of %s", task.getId()).isNotNull();
                assertThat(forms.exists(task.getCamundaFormRef())).as("form %s shipped", task.getCamundaFormRef()).isTrue();
                assertThat(forms.of(task.getCamundaFormRef()).values()).as("editable fields of %s", task.getId())
                        .anyMatch(FormFields.Field::editable);
            }
            for (StartEvent start : model.getModelElementsByType(StartEvent.class)) {
                if (start.getParentElement() instanceof Process && start.getCamundaFormRef() != null) {
                    assertThat(forms.exists(start.getCamundaFormRef())).as("start form %s", start.getCamundaFormRef()).isTrue();
                }
            }
        }
        assertThat(userTasks).hasSizeGreaterThanOrEqualTo(18);
    }

    /**
     * Tasklist sorts and flags by due date: a task with a deadline or an escalation on a timer shows that moment as its
     * due date, so what the process acts on is what the assignee sees.
     */
    @Test
    void everyUserTaskWithADeadlineShowsItAsItsDueDate() throws IOException {
        List<String> checked = new ArrayList<>();
        for (BpmnModelInstance model : models()) {
            for (BoundaryEvent boundary : model.getModelElementsByType(BoundaryEvent.class)) {
                if (!(boundary.getAttachedTo() instanceof UserTask task)) {
                    continue;
                }
                boundary.getEventDefinitions().stream().filter(TimerEventDefinition.class::isInstance)
                        .map(TimerEventDefinition.class::cast).forEach(timer -> {
                            String when = timer.getTimeDate() != null ? timer.getTimeDate().getTextContent()
                                    : timer.getTimeDuration().getTextContent();
                            assertThat(task.getCamundaDueDate()).as("due date of %s", task.getId()).isEqualTo(when);
                            checked.add(task.getId());
                        });
            }
        }
        assertThat(checked).hasSizeGreaterThanOrEqualTo(11);
    }

    /** Nothing waits for a person without a date: every user task shows one in Tasklist, and a timer acts on it. */
    @Test
    void everyUserTaskHasADueDateThatATimerActsOn() throws IOException {
        List<String> checked = new ArrayList<>();
        for (BpmnModelInstance model : models()) {
            for (UserTask task : model.getModelElementsByType(UserTask.class)) {
                assertThat(task.getCamundaDueDate()).as("due date of %s", task.getId()).isNotBlank();
                assertThat(timersOn(model, task)).as("timers at the due date of %s", task.getId())
                        .anyMatch(timer -> task.getCamundaDueDate().equals(when(timer)));
                checked.add(task.getId());
            }
        }
        assertThat(checked).hasSizeGreaterThanOrEqualTo(19);
    }

    /**
     * An approval that passes its due date stays open for its approvers and is escalated to the security officers: a
     * non-interrupting timer at the due date leads to the overdue notice naming that task.
     */
    @Test
    void everyApprovalTaskIsEscalatedToTheSecurityOfficersAtItsDueDate() throws IOException {
        List<String> checked = new ArrayList<>();
        for (BpmnModelInstance model : models()) {
            for (UserTask task : model.getModelElementsByType(UserTask.class)) {
                if (!task.getId().startsWith("Task_Approve")) {
                    continue;
                }
                assertThat(timersOn(model, task)).as("escalation of %s", task.getId()).anyMatch(timer ->
                        !timer.cancelActivity() && task.getCamundaDueDate().equals(when(timer))
                                && timer.getOutgoing().stream().map(SequenceFlow::getTarget)
                                .filter(ServiceTask.class::isInstance).map(ServiceTask.class::cast)
                                .anyMatch(notice -> "${notifyApprovalOverdueDelegate}".equals(notice.getCamundaDelegateExpression())
                                        && task.getId().equals(overdueTask(notice))));
                checked.add(task.getId());
            }
        }
        assertThat(checked).hasSizeGreaterThanOrEqualTo(11);
    }

    private static List<BoundaryEvent> timersOn(BpmnModelInstance model, UserTask task) {
        return model.getModelElementsByType(BoundaryEvent.class).stream()
                .filter(boundary -> boundary.getAttachedTo() == task)
                .filter(boundary -> boundary.getEventDefinitions().stream().anyMatch(TimerEventDefinition.class::isInstance))
                .toList();
    }

    private static String when(BoundaryEvent boundary) {
        TimerEventDefinition timer = boundary.getEventDefinitions().stream().filter(TimerEventDefinition.class::isInstance)
                .map(TimerEventDefinition.class::cast).findFirst().orElseThrow();
        return timer.getTimeDate() != null ? timer.getTimeDate().getTextContent() : timer.getTimeDuration().getTextContent();
    }

    private static String overdueTask(ServiceTask notice) {
        return notice.getExtensionElements() == null ? null : notice.getExtensionElements().getElementsQuery()
                .filterByType(CamundaInputOutput.class).list().stream()
                .flatMap(io -> io.getCamundaInputParameters().stream())
                .filter(parameter -> org.partneraccess.Variables.OVERDUE_TASK.equals(parameter.getCamundaName()))
                .map(parameter -> parameter.getTextContent()).findFirst().orElse(null);
    }

    /**
     * Labels are plain words, so Modeler and the process pictures show no expressions: Tasklist's names carry the
     * object from one mechanism ({@link org.partneraccess.TaskNames}).
     */
    @Test
    void noElementNameHoldsAnExpression() throws IOException {
        List<String> named = new ArrayList<>();
        for (BpmnModelInstance model : models()) {
            for (BaseElement element : model.getModelElementsByType(BaseElement.class)) {
                String name = element.getAttributeValue("name");
                if (name != null) {
                    assertThat(name).as("name of %s", element.getId()).doesNotContain("${").doesNotContain("#{");
                    named.add(element.getId());
                }
            }
        }
        assertThat(named).hasSizeGreaterThanOrEqualTo(200);
    }

    @Test
    void shownFieldsAreNotEditable() {
        assertThat(forms.of("SponsorApprovalForm").get("requester").editable()).isFalse();
        assertThat(forms.of("SponsorApprovalForm").get("sponsorApproved").editable()).isTrue();
        assertThat(forms.of("RecertificationForm").get("reviewDecision").refusal("END")).isEmpty();
        assertThat(forms.of("RecertificationForm").get("reviewDecision").refusal("DELETE_ALL")).isPresent();
        assertThat(forms.of("RecertificationForm").get("keptScopes").refusal("[\"orders.read\",\"admin\"]")).isPresent();
    }

    private static List<BpmnModelInstance> models() throws IOException {
        List<BpmnModelInstance> models = new ArrayList<>();
        for (Resource resource : new PathMatchingResourcePatternResolver().getResources("classpath*:bpmn/*.bpmn")) {
            try (InputStream in = resource.getInputStream()) {
                models.add(Bpmn.readModelFromStream(in));
            }
        }
        assertThat(models).hasSizeGreaterThanOrEqualTo(5);
        return models;
    }
}
