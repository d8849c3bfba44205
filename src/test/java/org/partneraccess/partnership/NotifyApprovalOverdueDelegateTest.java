package org.partneraccess.partnership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.RETURNS_DEEP_STUBS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Instant;
import java.util.Date;
import java.util.List;

import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.runtime.ActivityInstance;
import org.camunda.bpm.engine.task.IdentityLink;
import org.camunda.bpm.engine.task.IdentityLinkType;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.model.xml.instance.ModelElementInstance;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.partneraccess.ProcessIds;
import org.partneraccess.Variables;
import org.partneraccess.mail.MailNotifier;
import org.partneraccess.security.StaffDirectory;
import org.partneraccess.security.StaffGroups;

class NotifyApprovalOverdueDelegateTest {

    private final StaffDirectory staff = mock(StaffDirectory.class);
    private final MailNotifier mail = mock(MailNotifier.class);
    private final DelegateExecution execution = mock(DelegateExecution.class, RETURNS_DEEP_STUBS);
    private final TaskService tasks = mock(TaskService.class, RETURNS_DEEP_STUBS);
    private final NotifyApprovalOverdueDelegate delegate = new NotifyApprovalOverdueDelegate(staff, mail);

    @BeforeEach
    void anInstanceWaitingForItsSecurityOfficerApproval() {
        when(execution.getProcessEngineServices().getTaskService()).thenReturn(tasks);
        when(execution.getProcessInstanceId()).thenReturn("instance-1");
        when(execution.getProcessBusinessKey()).thenReturn("acme");
        when(execution.getVariable(Variables.OVERDUE_TASK)).thenReturn(ProcessIds.TASK_APPROVE_AS_SECURITY_OFFICER);
        when(staff.emailsOfGroup(StaffGroups.SECURITY_OFFICERS)).thenReturn(List.of("sofia.security@example.com"));
    }

    @Test
    void theSecurityOfficersLearnWhatIsOverdueSinceWhenAndForWhom() {
        Task task = mock(Task.class);
        when(task.getId()).thenReturn("task-1");
        when(task.getName()).thenReturn("Approve partnership Acme Logistics — HIGH (security officer)");
        when(task.getTaskDefinitionKey()).thenReturn(ProcessIds.TASK_APPROVE_AS_SECURITY_OFFICER);
        labelled(ProcessIds.TASK_APPROVE_AS_SECURITY_OFFICER, "Approve partnership (security officer)");
        when(task.getDueDate()).thenReturn(Date.from(Instant.parse("2026-03-04T09:00:00Z")));
        IdentityLink group = mock(IdentityLink.class);
        when(group.getType()).thenReturn(IdentityLinkType.CANDIDATE);
        when(group.getGroupId()).thenReturn(StaffGroups.SECURITY_OFFICERS);
        when(tasks.createTaskQuery().processInstanceId("instance-1")
                .taskDefinitionKey(ProcessIds.TASK_APPROVE_AS_SECURITY_OFFICER).list()).thenReturn(List.of(task));
        when(tasks.getIdentityLinksForTask("task-1")).thenReturn(List.of(group));

        delegate.execute(execution);

        ArgumentCaptor<String> subject = ArgumentCaptor.forClass(String.class);
        ArgumentCaptor<String> body = ArgumentCaptor.forClass(String.class);
        verify(mail).send(org.mockito.ArgumentMatchers.eq(List.of("sofia.security@example.com")), subject.capture(),
                body.capture());
        assertThat(subject.getValue()).isEqualTo(
                "Partnership approval overdue: Approve partnership Acme Logistics — HIGH (security officer) (acme)");
        assertThat(body.getValue()).startsWith("The partnership approval \"Approve partnership Acme Logistics — HIGH"
                + " (security officer)\" is overdue since 2026-03-04 09:00 UTC; waiting for group security-officers.");
    }

    /** A review is not called an approval: the notice says what is overdue from the task's label. */
    @Test
    void aReviewIsReportedAsAReview() {
        when(execution.getVariable(Variables.OVERDUE_TASK)).thenReturn("Task_ReviewDriftAsOwner");
        Task task = mock(Task.class);
        when(task.getId()).thenReturn("task-1");
        when(task.getName()).thenReturn("Review drift as owner");
        when(task.getTaskDefinitionKey()).thenReturn("Task_ReviewDriftAsOwner");
        when(task.getAssignee()).thenReturn("olga.owner");
        when(task.getDueDate()).thenReturn(Date.from(Instant.parse("2026-03-04T09:00:00Z")));
        when(tasks.createTaskQuery().processInstanceId("instance-1").taskDefinitionKey("Task_ReviewDriftAsOwner").list())
                .thenReturn(List.of(task));
        labelled("Task_ReviewDriftAsOwner", "Review drift as owner");

        delegate.execute(execution);

        ArgumentCaptor<String> subject = ArgumentCaptor.forClass(String.class);
        verify(mail).send(any(), subject.capture(), anyString());
        assertThat(subject.getValue()).isEqualTo("Drift review overdue: Review drift as owner (acme)");
    }

    private void labelled(String taskKey, String label) {
        ModelElementInstance element = mock(ModelElementInstance.class);
        when(element.getAttributeValue("name")).thenReturn(label);
        when(execution.getBpmnModelInstance().<ModelElementInstance>getModelElementById(taskKey)).thenReturn(element);
    }

    @Test
    void anApprovalDecidedBeforeTheNoticeRanIsNotReported() {
        when(tasks.createTaskQuery().processInstanceId("instance-1")
                .taskDefinitionKey(ProcessIds.TASK_APPROVE_AS_SECURITY_OFFICER).list()).thenReturn(List.of());

        delegate.execute(execution);

        verify(mail, never()).send(any(), anyString(), anyString());
    }

    /** Two elevations of one identity wait side by side: the notice is about the one whose timer fired. */
    @Test
    void ofTasksOpenSideBySideTheOneInTheTimersScopeIsReported() {
        when(execution.getVariable(Variables.OVERDUE_TASK)).thenReturn(ProcessIds.TASK_APPROVE_ELEVATION);
        when(execution.getParentActivityInstanceId()).thenReturn("SubProcess_Elevation:2");
        Task first = openTask("task-1", "execution-1", "2026-03-01T09:00:00Z");
        Task second = openTask("task-2", "execution-2", "2026-03-04T09:00:00Z");
        when(tasks.createTaskQuery().processInstanceId("instance-1").taskDefinitionKey(ProcessIds.TASK_APPROVE_ELEVATION)
                .list()).thenReturn(List.of(first, second));
        ActivityInstance root = activityInstance("instance-1", null,
                activityInstance("SubProcess_Elevation:1", null,
                        activityInstance("Task_ApproveElevation:1", "execution-1")),
                activityInstance("SubProcess_Elevation:2", null,
                        activityInstance("Task_ApproveElevation:2", "execution-2")));
        when(execution.getProcessEngineServices().getRuntimeService().getActivityInstance("instance-1")).thenReturn(root);

        delegate.execute(execution);

        ArgumentCaptor<String> body = ArgumentCaptor.forClass(String.class);
        verify(mail).send(any(), anyString(), body.capture());
        assertThat(body.getValue()).contains("overdue since 2026-03-04 09:00 UTC");
    }

    private static Task openTask(String id, String executionId, String due) {
        Task task = mock(Task.class);
        when(task.getId()).thenReturn(id);
        when(task.getExecutionId()).thenReturn(executionId);
        when(task.getName()).thenReturn("Approve elevation of Pat Partner");
        when(task.getAssignee()).thenReturn("sam.sponsor");
        when(task.getDueDate()).thenReturn(Date.from(Instant.parse(due)));
        return task;
    }

    private static ActivityInstance activityInstance(String id, String executionId, ActivityInstance... children) {
        ActivityInstance instance = mock(ActivityInstance.class);
        when(instance.getId()).thenReturn(id);
        when(instance.getChildActivityInstances()).thenReturn(children);
        String activityId = id.substring(0, id.indexOf(':') < 0 ? id.length() : id.indexOf(':'));
        when(instance.getActivityId()).thenReturn(activityId);
        when(instance.getExecutionIds()).thenReturn(executionId == null ? new String[0] : new String[] {executionId});
        ActivityInstance[] approvals = java.util.Arrays.stream(children)
                .filter(child -> ProcessIds.TASK_APPROVE_ELEVATION.equals(child.getActivityId()))
                .toArray(ActivityInstance[]::new);
        when(instance.getActivityInstances(ProcessIds.TASK_APPROVE_ELEVATION)).thenReturn(approvals);
        return instance;
    }
}
