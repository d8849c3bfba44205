package org.partneraccess.human;

import static org.partneraccess.Variables.*;

import java.time.Duration;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.partneraccess.policy.ApprovalDeadlines;
import org.partneraccess.policy.PolicyDecision;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Puts the policy's decision where the model reads it (approvals needed, the recertification timers) and what the
 * approvers see: the risk tier and why, the roles as text, and the partnership the person joins.
 */
@Component
class EvaluateHumanAccessPolicyDelegate implements JavaDelegate {

    private final HumanAccessService humans;
    private final Duration reviewDeadline;
    private final ApprovalDeadlines approvalDeadlines;

    EvaluateHumanAccessPolicyDelegate(HumanAccessService humans,
                                      @Value("${partner-access.recertification.deadline}") Duration reviewDeadline,
                                      ApprovalDeadlines approvalDeadlines) {
        this.humans = humans;
        this.reviewDeadline = reviewDeadline;
        this.approvalDeadlines = approvalDeadlines;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String identityId = subject(execution);
        PolicyDecision decision = humans.decidePolicy(identityId);
        execution.setVariables(humans.shown(identityId).policy(decision, humans.get(identityId).getLastDay())
                .toVariables());
        execution.setVariable(SECURITY_OFFICER_APPROVAL, decision.securityOfficerApproval());
        execution.setVariable(APPROVAL_DUE, approvalDeadlines.dueFor(decision.riskTier()));
        execution.setVariable(REVIEW_INTERVAL, Duration.ofDays(decision.reviewCadenceDays()).toString());
        execution.setVariable(REVIEW_DEADLINE, reviewDeadline.toString());
    }
}
