package org.partneraccess.partnership;

import static org.partneraccess.Variables.OVERDUE_TASK;
import static org.partneraccess.Variables.string;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.runtime.ActivityInstance;
import org.camunda.bpm.engine.task.IdentityLink;
import org.camunda.bpm.engine.task.IdentityLinkType;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.model.xml.instance.ModelElementInstance;
import org.partneraccess.TaskNames;
import org.partneraccess.mail.MailNotifier;
import org.partneraccess.security.StaffDirectory;
import org.partneraccess.security.StaffGroups;
import org.springframework.stereotype.Component;

/**
 * Tells the security officers that a task (an approval, a review, a reassignment) passed its due date, once: run from
 * the task's non-interrupting timer, so the task stays open for its approvers. The task is named by the model
 * ({@code overdueTask}); its label says what is overdue, its name the object, its candidates who it waits for.
 * Every process with such a deadline names this one bean (people, machines, workload trusts and drift reviews too);
 * it lives with the partnership, whose approvals the others' build on and which they all depend on already.
 */
@Component
class NotifyApprovalOverdueDelegate implements JavaDelegate {

    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final StaffDirectory staff;
    private final MailNotifier mail;

    NotifyApprovalOverdueDelegate(StaffDirectory staff, MailNotifier mail) {
        this.staff = staff;
        this.mail = mail;
    }

    @Override
    public void execute(DelegateExecution execution) {
        TaskService tasks = execution.getProcessEngineServices().getTaskService();
        Task task = overdueTask(execution, tasks, string(execution, OVERDUE_TASK));
        if (task == null || task.getDueDate() == null) {
            // decided between the timer and this step: nothing is overdue any more
            return;
        }
        String since = SHOWN.format(task.getDueDate().toInstant());
        String request = execution.getProcessBusinessKey();
        // what is overdue is worded from the model's label ("Review drift as owner": a drift review)
        ModelElementInstance element = execution.getBpmnModelInstance().getModelElementById(task.getTaskDefinitionKey());
        String work = TaskNames.work(element == null ? null : element.getAttributeValue("name"));
        mail.send(staff.emailsOfGroup(StaffGroups.SECURITY_OFFICERS),
                Character.toUpperCase(work.charAt(0)) + work.substring(1) + " overdue: " + task.getName() + " (" + request + ")",
                """
                The %s "%s" is overdue since %s; waiting for %s.
                Request: %s
                """.formatted(work, task.getName(), since, waitingFor(tasks, task), request));
    }

    private static Task overdueTask(DelegateExecution execution, TaskService tasks, String taskKey) {
        List<Task> open = tasks.createTaskQuery().processInstanceId(execution.getProcessInstanceId())
                .taskDefinitionKey(taskKey).list();
        if (open.size() <= 1) {
            return open.isEmpty() ? null : open.get(0);
        }
        // requests of the same kind open side by side (elevations): the task whose timer fired shares this step's scope
        ActivityInstance scope = find(execution.getProcessEngineServices().getRuntimeService()
                .getActivityInstance(execution.getProcessInstanceId()), execution.getParentActivityInstanceId());
        Set<String> executions = scope == null ? Set.of() : Arrays.stream(scope.getActivityInstances(taskKey))
                .flatMap(instance -> Arrays.stream(instance.getExecutionIds())).collect(Collectors.toSet());
        return open.stream().filter(task -> executions.contains(task.getExecutionId())).findFirst().orElse(null);
    }

    private static ActivityInstance find(ActivityInstance instance, String id) {
        if (instance == null || instance.getId().equals(id)) {
            return instance;
        }
        for (ActivityInstance child : instance.getChildActivityInstances()) {
            ActivityInstance found = find(child, id);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static String waitingFor(TaskService tasks, Task task) {
        if (task.getAssignee() != null) {
            return task.getAssignee();
        }
        List<String> candidates = new ArrayList<>();
        for (IdentityLink link : tasks.getIdentityLinksForTask(task.getId())) {
            if (IdentityLinkType.CANDIDATE.equals(link.getType())) {
                candidates.add(link.getUserId() != null ? link.getUserId() : "group " + link.getGroupId());
            }
        }
        return candidates.isEmpty() ? "no one (no candidate is set)" : String.join(", ", candidates);
    }
}
