package org.partneraccess.partnership;

import static org.partneraccess.Variables.*;
import static org.partneraccess.partnership.PartnershipVariables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.partneraccess.security.TaskDecisionLog;
import org.springframework.stereotype.Component;

@Component
class ReducePartnershipScopesDelegate implements JavaDelegate {

    private final PartnershipService partnerships;
    private final TaskDecisionLog decisions;

    ReducePartnershipScopesDelegate(PartnershipService partnerships, TaskDecisionLog decisions) {
        this.partnerships = partnerships;
        this.decisions = decisions;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String reviewer = decisions.lastDecider(execution.getProcessInstanceId(), null);
        partnerships.reduceScopes(subject(execution), stringSet(execution, KEPT_SCOPES), reviewer);
        // later reviews show the partnership as it is now
        execution.setVariables(partnerships.shown(subject(execution), string(execution, CONTACT_IDENTITY_ID)).toVariables());
    }
}
