package org.partneraccess.partnership;

import static org.partneraccess.Variables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component
public class ApprovePartnershipDelegate implements JavaDelegate {

    private final PartnershipService partnerships;

    ApprovePartnershipDelegate(PartnershipService partnerships) {
        this.partnerships = partnerships;
    }

    @Override
    public void execute(DelegateExecution execution) {
        partnerships.approve(string(execution, PARTNERSHIP_KEY), approvers(execution));
    }
}
