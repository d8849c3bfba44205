package org.partneraccess.security;

import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;

import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.model.bpmn.instance.UserTask;
import org.partneraccess.Variables;

/**
 * On completion of any user task, attached by {@link SegregationOfDutiesPlugin} with the rule the task declares: the
 * engine, not the form, refuses a decision by no one, by someone the rule excludes, or by anyone but the assignee
 * where the rule says so. The decider is recorded from the authenticated user, never from submitted data (staff
 * cannot write these variables: see {@link EngineCommandGuard}). The decision itself (the form's editable fields) is
 * appended to the decision record, which grants read instead of variables.
 */
final class SegregationOfDutiesListener implements TaskListener {

    private final SegregationRules rules;
    private final TaskDecisionLog decisions;
    private final FormFields forms;

    SegregationOfDutiesListener(SegregationRules rules, TaskDecisionLog decisions, FormFields forms) {
        this.rules = rules;
        this.decisions = decisions;
        this.forms = forms;
    }

    @Override
    public void notify(DelegateTask task) {
        Authentication authentication = task.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
        String user = authentication == null ? null : authentication.getUserId();
        if (user == null || user.isBlank() || Authorization.ANY.equals(user)) {
            throw new SegregationOfDutiesException("A decision must be taken by an authenticated staff user");
        }
        String me = StaffDirectory.canonical(user);
        if (rules.assigneeOnly() && task.getAssignee() != null && !me.equals(StaffDirectory.canonical(task.getAssignee()))) {
            throw new SegregationOfDutiesException("Only " + task.getAssignee() + " decides this, not " + user);
        }
        for (String variable : rules.excludedVariables()) {
            if (me.equals(StaffDirectory.canonical(task.getVariable(variable)))) {
                throw new SegregationOfDutiesException("No one approves their own request: " + user + " requested this");
            }
        }
        for (String earlier : rules.earlierDeciders()) {
            if (decisions.deciderSince(task.getProcessInstanceId(), earlier, task.getTaskDefinitionKey())
                    .filter(me::equals).isPresent()) {
                throw new SegregationOfDutiesException("Four eyes: " + user + " decided an earlier step of this request already");
            }
        }
        task.getExecution().setVariable(Variables.decidedBy(task.getTaskDefinitionKey()), user);
        task.getExecution().setVariable(Variables.LAST_DECIDED_BY, user);
        String subject = task.getExecution().getProcessBusinessKey();
        decisions.append(subject != null ? subject : task.getProcessInstanceId(), task.getProcessInstanceId(),
                task.getTaskDefinitionKey(), me, decided(task));
    }

    /** The values of the fields the task's form lets the decider set; the rest is shown, not decided. */
    private Map<String, Object> decided(DelegateTask task) {
        UserTask userTask = task.getBpmnModelElementInstance();
        String formId = userTask == null ? null : userTask.getCamundaFormRef();
        Map<String, Object> fields = new LinkedHashMap<>();
        forms.of(formId).values().stream().filter(FormFields.Field::editable)
                .forEach(field -> fields.put(field.key(), plain(task.getVariable(field.key()))));
        return fields;
    }

    private static Object plain(Object value) {
        if (value == null || value instanceof Boolean || value instanceof Number || value instanceof String) {
            return value;
        }
        return value instanceof Date date ? date.toInstant().toString() : value.toString();
    }
}
