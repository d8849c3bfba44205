package org.partneraccess.partnership;

import static org.partneraccess.Variables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component
public class EvaluateScopeChangePolicyDelegate implements JavaDelegate {

    private final PartnershipService partnerships;

    EvaluateScopeChangePolicyDelegate(PartnershipService partnerships) {
        this.partnerships = partnerships;
    }

    @Override
    public void execute(DelegateExecution execution) {
        // the gateway's copy; the grant reads the decision record
        execution.setVariable(SCOPE_CHANGE_SECURITY_OFFICER_APPROVAL, partnerships.decideScopeChangePolicy(
                execution.getProcessBusinessKey()).securityOfficerApproval());
    }
}
