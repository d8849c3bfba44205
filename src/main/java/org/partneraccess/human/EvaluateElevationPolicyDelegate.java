package org.partneraccess.human;

import static org.partneraccess.Variables.*;
import static org.partneraccess.human.HumanAccessVariables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.partneraccess.policy.ApprovalDeadlines;
import org.partneraccess.policy.PolicyDecision;
import org.partneraccess.security.StaffGroups;
import org.springframework.stereotype.Component;

/**
 * Who approves the extra role (security officers where the policy asks for them, the sponsors otherwise) and by when:
 * the approval deadline of the risk tier the policy gave the elevation.
 */
@Component
class EvaluateElevationPolicyDelegate implements JavaDelegate {

    private final HumanAccessService humans;
    private final ApprovalDeadlines approvalDeadlines;

    EvaluateElevationPolicyDelegate(HumanAccessService humans, ApprovalDeadlines approvalDeadlines) {
        this.humans = humans;
        this.approvalDeadlines = approvalDeadlines;
    }

    @Override
    public void execute(DelegateExecution execution) {
        PolicyDecision decision = humans.decideElevationPolicy(subject(execution));
        boolean securityOfficer = decision.securityOfficerApproval();
        execution.setVariables(humans.shown(subject(execution)).change(decision).toVariables());
        execution.setVariable(ELEVATION_APPROVERS, securityOfficer ? StaffGroups.SECURITY_OFFICERS : StaffGroups.SPONSORS);
        execution.setVariable(ELEVATION_APPROVAL_DUE, approvalDeadlines.dueFor(decision.riskTier()));
    }
}
