package org.partneraccess.trust;

import static org.partneraccess.Variables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.partneraccess.policy.ApprovalDeadlines;
import org.partneraccess.policy.PolicyDecision;
import org.springframework.stereotype.Component;

/** The access policy on the trust, recorded; what the security officer sees, from the registry. */
@Component
class EvaluateWorkloadTrustPolicyDelegate implements JavaDelegate {

    private final WorkloadTrusts trusts;
    private final ApprovalDeadlines approvalDeadlines;

    EvaluateWorkloadTrustPolicyDelegate(WorkloadTrusts trusts, ApprovalDeadlines approvalDeadlines) {
        this.trusts = trusts;
        this.approvalDeadlines = approvalDeadlines;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String trustId = subject(execution);
        PolicyDecision decision = trusts.decidePolicy(trustId);
        execution.setVariables(trusts.shown(trustId, decision));
        execution.setVariable(APPROVAL_DUE, approvalDeadlines.dueFor(decision.riskTier()));
    }
}
