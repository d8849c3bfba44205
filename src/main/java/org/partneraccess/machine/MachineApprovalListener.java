package org.partneraccess.machine;

import java.util.Set;

import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.partneraccess.ProcessIds;
import org.partneraccess.Variables;
import org.partneraccess.security.SegregationOfDutiesException;
import org.springframework.stereotype.Component;

/**
 * On completion of a machine's approval or review task: the engine, not the form, refuses a decision by no one, by the
 * one who asked, by anyone but the person the task is assigned to, or a security officer's second signature on their
 * own first one. The decider is recorded from the authenticated user, never from submitted data.
 */
@Component
public class MachineApprovalListener implements TaskListener {

    private static final Set<String> ELEVATION_TASKS = Set.of(ProcessIds.TASK_APPROVE_ELEVATION_AS_OWNER,
            ProcessIds.TASK_APPROVE_ELEVATION_AS_SECURITY_OFFICER);
    private static final Set<String> APPROVAL_TASKS = Set.of(ProcessIds.TASK_APPROVE_MACHINE_AS_OWNER,
            ProcessIds.TASK_APPROVE_MACHINE_AS_SECURITY_OFFICER, ProcessIds.TASK_APPROVE_ELEVATION_AS_OWNER,
            ProcessIds.TASK_APPROVE_ELEVATION_AS_SECURITY_OFFICER);

    @Override
    public void notify(DelegateTask task) {
        Authentication authentication = task.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
        String user = authentication == null ? null : authentication.getUserId();
        if (user == null || Authorization.ANY.equals(user)) {
            throw new SegregationOfDutiesException("A decision must be taken by an authenticated staff user");
        }
        String key = task.getTaskDefinitionKey();
        if (task.getAssignee() != null && !user.equals(task.getAssignee())) {
            throw new SegregationOfDutiesException("Only " + task.getAssignee() + " decides this, not " + user);
        }
        if (APPROVAL_TASKS.contains(key)) {
            Object requester = task.getVariable(ELEVATION_TASKS.contains(key) ? Variables.ELEVATION_REQUESTER
                    : Variables.REQUESTER);
            if (user.equals(requester)) {
                throw new SegregationOfDutiesException("No one approves their own request: " + user + " requested this");
            }
        }
        String firstSignature = switch (key) {
            case ProcessIds.TASK_APPROVE_MACHINE_AS_SECURITY_OFFICER ->
                    Variables.decidedBy(ProcessIds.TASK_APPROVE_MACHINE_AS_OWNER);
            case ProcessIds.TASK_APPROVE_ELEVATION_AS_SECURITY_OFFICER ->
                    Variables.decidedBy(ProcessIds.TASK_APPROVE_ELEVATION_AS_OWNER);
            default -> null;
        };
        if (firstSignature != null && user.equals(task.getVariable(firstSignature))) {
            throw new SegregationOfDutiesException("Four eyes: " + user + " approved in the owner's role already");
        }
        task.getExecution().setVariable(Variables.decidedBy(key), user);
        task.getExecution().setVariable(Variables.LAST_DECIDED_BY, user);
    }
}
