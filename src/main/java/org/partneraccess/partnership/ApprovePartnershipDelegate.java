package org.partneraccess.partnership;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component
class ApprovePartnershipDelegate implements JavaDelegate {

    private final PartnershipService partnerships;

    ApprovePartnershipDelegate(PartnershipService partnerships) {
        this.partnerships = partnerships;
    }

    @Override
    public void execute(DelegateExecution execution) {
        // the partnership the instance is bound to, not a variable
        partnerships.approve(execution.getProcessBusinessKey());
    }
}
