package org.partneraccess.partnership;

import static org.partneraccess.Variables.subject;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** The rejection the decision record holds for this instance, never one the flow alone arrived at. */
@Component
class RejectPartnershipDelegate implements JavaDelegate {

    private final PartnershipService partnerships;

    RejectPartnershipDelegate(PartnershipService partnerships) {
        this.partnerships = partnerships;
    }

    @Override
    public void execute(DelegateExecution execution) {
        partnerships.reject(subject(execution), execution.getProcessInstanceId());
    }
}
