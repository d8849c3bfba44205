package org.partneraccess.notification;

import static org.partneraccess.Variables.OVERDUE_TASK;
import static org.partneraccess.Variables.string;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.task.IdentityLink;
import org.camunda.bpm.engine.task.IdentityLinkType;
import org.camunda.bpm.engine.task.Task;
import org.partneraccess.security.StaffDirectory;
import org.partneraccess.security.StaffGroups;
import org.springframework.stereotype.Component;

/**
 * Tells the security officers that an approval passed its due date, once: run from the approval task's
 * non-interrupting timer, so the task stays open for its approvers. The task is named by the model
 * ({@code overdueTask}); its name names the object, its candidates who it waits for.
 */
@Component
public class NotifyApprovalOverdueDelegate implements JavaDelegate {

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
        Task task = tasks.createTaskQuery().processInstanceId(execution.getProcessInstanceId())
                .taskDefinitionKey(string(execution, OVERDUE_TASK)).singleResult();
        if (task == null || task.getDueDate() == null) {
            // decided between the timer and this step: nothing is overdue any more
            return;
        }
        String since = SHOWN.format(task.getDueDate().toInstant());
        String request = execution.getProcessBusinessKey();
        mail.send(staff.emailsOfGroup(StaffGroups.SECURITY_OFFICERS),
                "Approval overdue: " + task.getName() + " (" + request + ")",
                """
                Approval of %s is overdue since %s; waiting for %s.
                Request: %s
                """.formatted(task.getName(), since, waitingFor(tasks, task), request));
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
