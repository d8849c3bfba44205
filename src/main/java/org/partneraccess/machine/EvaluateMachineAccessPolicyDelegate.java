package org.partneraccess.machine;

import static org.partneraccess.Variables.*;
import static org.partneraccess.machine.MachineAccessVariables.*;

import java.time.Duration;
import java.util.Date;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.partneraccess.policy.ApprovalDeadlines;
import org.partneraccess.policy.PolicyDecision;
import org.springframework.stereotype.Component;

/** Puts the policy's decision where the model reads it: approvals needed, and the machine's timers. */
@Component
class EvaluateMachineAccessPolicyDelegate implements JavaDelegate {

    private final MachineRegistrationService registrations;
    private final MachineProperties properties;
    private final ApprovalDeadlines approvalDeadlines;

    EvaluateMachineAccessPolicyDelegate(MachineRegistrationService registrations, MachineProperties properties,
                                        ApprovalDeadlines approvalDeadlines) {
        this.registrations = registrations;
        this.properties = properties;
        this.approvalDeadlines = approvalDeadlines;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String identityId = subject(execution);
        PolicyDecision decision = registrations.decidePolicy(identityId);
        execution.setVariables(registrations.shown(identityId)
                .policy(decision, registrations.machine(identityId).getLastDay()).toVariables());
        execution.setVariable(AUTO_APPROVE, decision.autoApprove());
        execution.setVariable(SECURITY_OFFICER_APPROVAL, decision.securityOfficerApproval());
        execution.setVariable(APPROVAL_DUE, approvalDeadlines.dueFor(decision.riskTier()));
        execution.setVariable(TOKEN_LIFESPAN_SECONDS, registrations.profile(identityId).getTokenLifespanSeconds());
        execution.setVariable(ROTATION_INTERVAL, Duration.ofDays(decision.rotationDays()).toString());
        execution.setVariable(ACCESS_END, Date.from(registrations.machine(identityId).getEndDate()));
        execution.setVariable(RETENTION_PERIOD, properties.retention().toString());
        execution.setVariable(USE_CHECK_INTERVAL, properties.useCheckInterval().toString());
        execution.setVariable(UNUSED_REVIEW_DEADLINE, properties.unusedReviewDeadline().toString());
    }
}
