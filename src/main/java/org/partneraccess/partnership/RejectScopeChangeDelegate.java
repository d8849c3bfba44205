package org.partneraccess.partnership;

import static org.partneraccess.Variables.subject;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** The rejection of the scope change that the decision record holds for this instance. */
@Component
class RejectScopeChangeDelegate implements JavaDelegate {

    private final PartnershipService partnerships;

    RejectScopeChangeDelegate(PartnershipService partnerships) {
        this.partnerships = partnerships;
    }

    @Override
    public void execute(DelegateExecution execution) {
        partnerships.rejectScopeChange(subject(execution), execution.getProcessInstanceId());
    }
}
