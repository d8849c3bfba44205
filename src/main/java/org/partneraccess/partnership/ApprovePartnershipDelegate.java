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
        String approvers = string(execution, SPONSOR_DECIDED_BY);
        String securityOfficer = string(execution, SECURITY_OFFICER_DECIDED_BY);
        partnerships.approve(string(execution, PARTNERSHIP_KEY),
                securityOfficer == null ? approvers : approvers + "," + securityOfficer);
    }
}
