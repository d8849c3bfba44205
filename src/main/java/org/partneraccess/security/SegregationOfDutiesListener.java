package org.partneraccess.security;

import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.partneraccess.Variables;

/**
 * On completion of any user task, attached by {@link SegregationOfDutiesPlugin} with the rule the task declares: the
 * engine, not the form, refuses a decision by no one, by someone the rule excludes, or by anyone but the assignee
 * where the rule says so. The decider is recorded from the authenticated user, never from submitted data (staff
 * cannot write these variables: see {@link EngineCommandGuard}).
 */
final class SegregationOfDutiesListener implements TaskListener {

    private final SegregationRules rules;

    SegregationOfDutiesListener(SegregationRules rules) {
        this.rules = rules;
    }

    @Override
    public void notify(DelegateTask task) {
        Authentication authentication = task.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
        String user = authentication == null ? null : authentication.getUserId();
        if (user == null || user.isBlank() || Authorization.ANY.equals(user)) {
            throw new SegregationOfDutiesException("A decision must be taken by an authenticated staff user");
        }
        String me = SegregationRules.canonical(user);
        if (rules.assigneeOnly() && task.getAssignee() != null && !me.equals(SegregationRules.canonical(task.getAssignee()))) {
            throw new SegregationOfDutiesException("Only " + task.getAssignee() + " decides this, not " + user);
        }
        for (String variable : rules.excludedVariables()) {
            if (me.equals(SegregationRules.canonical(task.getVariable(variable)))) {
                throw new SegregationOfDutiesException(variable.startsWith("decidedBy_")
                        ? "Four eyes: " + user + " decided an earlier step of this request already"
                        : "No one approves their own request: " + user + " requested this");
            }
        }
        task.getExecution().setVariable(Variables.decidedBy(task.getTaskDefinitionKey()), user);
        task.getExecution().setVariable(Variables.LAST_DECIDED_BY, user);
    }
}
