package org.partneraccess.machine;

import static org.partneraccess.Variables.*;
import static org.partneraccess.machine.MachineAccessVariables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.partneraccess.policy.ApprovalDeadlines;
import org.partneraccess.policy.PolicyDecision;
import org.springframework.stereotype.Component;

/** Synchronous on purpose: a request the policy cannot decide fails the request and starts no elevation. */
@Component
class EvaluateMachineElevationPolicyDelegate implements JavaDelegate {

    private final MachineRegistrationService registrations;
    private final ApprovalDeadlines approvalDeadlines;

    EvaluateMachineElevationPolicyDelegate(MachineRegistrationService registrations,
                                           ApprovalDeadlines approvalDeadlines) {
        this.registrations = registrations;
        this.approvalDeadlines = approvalDeadlines;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String identityId = subject(execution);
        // an earlier elevation's deciders must not sign this one
        execution.removeVariable(decidedBy(org.partneraccess.ProcessIds.TASK_APPROVE_ELEVATION_AS_OWNER));
        execution.removeVariable(decidedBy(org.partneraccess.ProcessIds.TASK_APPROVE_ELEVATION_AS_SECURITY_OFFICER));
        PolicyDecision decision = registrations.decideElevationPolicy(identityId);
        execution.setVariable(ELEVATION_AUTO_APPROVE, decision.autoApprove());
        execution.setVariable(ELEVATION_SECURITY_OFFICER_APPROVAL, decision.securityOfficerApproval());
        execution.setVariable(ELEVATION_APPROVER, registrations.elevationApprover(identityId));
        execution.setVariable(ELEVATION_APPROVAL_DUE, approvalDeadlines.dueFor(decision.riskTier()));
        execution.setVariables(registrations.shown(identityId).change(decision).toVariables());
    }
}
