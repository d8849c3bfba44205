package org.partneraccess.partnership;

import static org.partneraccess.Variables.*;
import static org.partneraccess.partnership.PartnershipVariables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.partneraccess.policy.ApprovalDeadlines;
import org.partneraccess.policy.PolicyDecision;
import org.springframework.stereotype.Component;

/** Whether a security officer approves the change too, and by when: the deadline of the change's risk tier. */
@Component
class EvaluateScopeChangePolicyDelegate implements JavaDelegate {

    private final PartnershipService partnerships;
    private final ApprovalDeadlines approvalDeadlines;

    EvaluateScopeChangePolicyDelegate(PartnershipService partnerships, ApprovalDeadlines approvalDeadlines) {
        this.partnerships = partnerships;
        this.approvalDeadlines = approvalDeadlines;
    }

    @Override
    public void execute(DelegateExecution execution) {
        PolicyDecision decision = partnerships.decideScopeChangePolicy(execution.getProcessBusinessKey());
        // the gateway's copy; the grant reads the decision record
        execution.setVariable(SCOPE_CHANGE_SECURITY_OFFICER_APPROVAL, decision.securityOfficerApproval());
        execution.setVariable(SCOPE_CHANGE_APPROVAL_DUE, approvalDeadlines.dueFor(decision.riskTier()));
        execution.setVariables(partnerships.shown(execution.getProcessBusinessKey(),
                string(execution, CONTACT_IDENTITY_ID)).change(decision).toVariables());
    }
}
