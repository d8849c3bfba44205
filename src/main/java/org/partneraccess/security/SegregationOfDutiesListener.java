package org.partneraccess.security;

import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.partneraccess.ProcessIds;
import org.partneraccess.Variables;
import org.springframework.stereotype.Component;

/**
 * On completion of an approval task: the engine, not the form, refuses a decision by the requester, or by no one.
 * The decider is recorded from the authenticated user, never from submitted data.
 */
@Component
public class SegregationOfDutiesListener implements TaskListener {

    @Override
    public void notify(DelegateTask task) {
        Authentication authentication = task.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
        String user = authentication == null ? null : authentication.getUserId();
        if (user == null || Authorization.ANY.equals(user)) {
            throw new SegregationOfDutiesException("An approval must be completed by an authenticated staff user");
        }
        String key = task.getTaskDefinitionKey();
        boolean scopeChange = ProcessIds.TASK_APPROVE_SCOPE_CHANGE_AS_SPONSOR.equals(key)
                || ProcessIds.TASK_APPROVE_SCOPE_CHANGE_AS_SECURITY_OFFICER.equals(key);
        String requester = (String) task.getVariable(scopeChange ? Variables.SCOPE_CHANGE_REQUESTER
                : ProcessIds.TASK_APPROVE_ELEVATION.equals(key) ? Variables.ELEVATION_REQUESTER : Variables.REQUESTER);
        if (user.equals(requester)) {
            throw new SegregationOfDutiesException("No one approves their own request: " + user + " requested this");
        }
        String sponsorDecision = scopeChange ? Variables.decidedBy(ProcessIds.TASK_APPROVE_SCOPE_CHANGE_AS_SPONSOR)
                : Variables.SPONSOR_DECIDED_BY;
        boolean securityOfficerTask = ProcessIds.TASK_APPROVE_AS_SECURITY_OFFICER.equals(key)
                || ProcessIds.TASK_APPROVE_SCOPE_CHANGE_AS_SECURITY_OFFICER.equals(key);
        if (securityOfficerTask && user.equals(task.getVariable(sponsorDecision))) {
            throw new SegregationOfDutiesException("Four eyes: " + user + " approved as sponsor already");
        }
        task.getExecution().setVariable(Variables.decidedBy(key), user);
        task.getExecution().setVariable(Variables.LAST_DECIDED_BY, user);
    }
}
