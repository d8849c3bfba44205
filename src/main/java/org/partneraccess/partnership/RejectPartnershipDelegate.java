package org.partneraccess.partnership;

import static org.partneraccess.Variables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component
public class RejectPartnershipDelegate implements JavaDelegate {

    private final PartnershipService partnerships;

    RejectPartnershipDelegate(PartnershipService partnerships) {
        this.partnerships = partnerships;
    }

    @Override
    public void execute(DelegateExecution execution) {
        boolean bySecurityOfficer = Boolean.TRUE.equals(execution.getVariable(SPONSOR_APPROVED));
        String comment = string(execution, bySecurityOfficer ? SECURITY_OFFICER_COMMENT : SPONSOR_COMMENT);
        String fallback = bySecurityOfficer ? "rejected by a security officer" : "rejected by the sponsor";
        partnerships.reject(string(execution, PARTNERSHIP_KEY), string(execution, LAST_DECIDED_BY),
                comment == null || comment.isBlank() ? fallback : comment);
    }
}
