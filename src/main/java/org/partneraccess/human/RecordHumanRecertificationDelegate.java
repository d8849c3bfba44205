package org.partneraccess.human;

import static org.partneraccess.Variables.*;
import static org.partneraccess.human.HumanAccessVariables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.partneraccess.security.TaskDecisionLog;
import org.springframework.stereotype.Component;

/** Keep, or reduce to the roles the sponsor kept; the next review is one interval away. */
@Component
class RecordHumanRecertificationDelegate implements JavaDelegate {

    static final String REDUCE = "REDUCE";

    private final HumanAccessService humans;
    private final TaskDecisionLog decisions;

    RecordHumanRecertificationDelegate(HumanAccessService humans, TaskDecisionLog decisions) {
        this.humans = humans;
        this.decisions = decisions;
    }

    @Override
    public void execute(DelegateExecution execution) {
        boolean reduce = REDUCE.equals(string(execution, REVIEW_DECISION));
        humans.recertify(subject(execution), decisions.lastDecider(execution.getProcessInstanceId(), null),
                reduce ? stringSet(execution, KEPT_ROLES) : null, string(execution, REVIEW_COMMENT));
        // the next review shows the roles kept
        execution.setVariables(humans.shown(subject(execution)).toVariables());
    }
}
