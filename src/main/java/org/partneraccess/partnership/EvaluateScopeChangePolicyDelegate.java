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
        execution.setVariable(SCOPE_CHANGE_SECURITY_OFFICER_APPROVAL, partnerships.decideScopeChangePolicy(
                string(execution, PARTNERSHIP_KEY), stringSet(execution, REQUESTED_SCOPES),
                stringSet(execution, REQUESTED_DATA_CLASSES), stringSet(execution, REQUESTED_ENVIRONMENTS))
                .securityOfficerApproval());
    }
}
