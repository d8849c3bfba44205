package org.partneraccess.partnership;

import static org.partneraccess.Variables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.partneraccess.security.TaskDecisionLog;
import org.springframework.stereotype.Component;

@Component
public class RejectScopeChangeDelegate implements JavaDelegate {

    private final PartnershipService partnerships;
    private final TaskDecisionLog decisions;

    RejectScopeChangeDelegate(PartnershipService partnerships, TaskDecisionLog decisions) {
        this.partnerships = partnerships;
        this.decisions = decisions;
    }

    @Override
    public void execute(DelegateExecution execution) {
        partnerships.rejectScopeChange(subject(execution), decisions.lastDecider(execution.getProcessInstanceId(), null),
                reason(execution, SCOPE_CHANGE_COMMENT, "scope change rejected"));
    }
}
