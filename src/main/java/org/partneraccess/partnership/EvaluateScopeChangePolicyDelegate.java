package org.partneraccess.partnership;

import static org.partneraccess.Variables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.partneraccess.policy.PolicyDecision;
import org.springframework.stereotype.Component;

@Component
public class EvaluateScopeChangePolicyDelegate implements JavaDelegate {

    private final PartnershipService partnerships;

    EvaluateScopeChangePolicyDelegate(PartnershipService partnerships) {
        this.partnerships = partnerships;
    }

    @Override
    public void execute(DelegateExecution execution) {
        PolicyDecision decision = partnerships.decideScopeChangePolicy(execution.getProcessBusinessKey());
        // the gateway's copy; the grant reads the decision record
        execution.setVariable(SCOPE_CHANGE_SECURITY_OFFICER_APPROVAL, decision.securityOfficerApproval());
        execution.setVariables(partnerships.shown(execution.getProcessBusinessKey(),
                string(execution, CONTACT_IDENTITY_ID)).change(decision).toVariables());
    }
}
