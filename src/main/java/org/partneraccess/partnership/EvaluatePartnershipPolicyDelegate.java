package org.partneraccess.partnership;

import static org.partneraccess.Variables.*;
import static org.partneraccess.partnership.PartnershipVariables.*;

import java.time.Duration;
import java.util.Date;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.partneraccess.policy.ApprovalDeadlines;
import org.partneraccess.policy.PolicyDecision;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Puts the policy's decision where the model reads it (approvals needed, recertification timers, contract end) and
 * what the approvers see: the risk tier and why, and what the partnership grants.
 */
@Component
class EvaluatePartnershipPolicyDelegate implements JavaDelegate {

    private final PartnershipService partnerships;
    private final Duration reviewDeadline;
    private final Duration riskDowngradeReviewDeadline;
    private final ApprovalDeadlines approvalDeadlines;

    EvaluatePartnershipPolicyDelegate(PartnershipService partnerships,
                                      @Value("${partner-access.recertification.deadline}") Duration reviewDeadline,
                                      @Value("${partner-access.recertification.risk-downgrade-deadline}")
                                      Duration riskDowngradeReviewDeadline,
                                      ApprovalDeadlines approvalDeadlines) {
        this.partnerships = partnerships;
        this.reviewDeadline = reviewDeadline;
        this.riskDowngradeReviewDeadline = riskDowngradeReviewDeadline;
        this.approvalDeadlines = approvalDeadlines;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String key = subject(execution);
        PolicyDecision decision = partnerships.decidePolicy(key);
        execution.setVariables(partnerships.shown(key, string(execution, CONTACT_IDENTITY_ID))
                .policy(decision, partnerships.get(key).getEndDate()).toVariables());
        execution.setVariable(SECURITY_OFFICER_APPROVAL, decision.securityOfficerApproval());
        execution.setVariable(APPROVAL_DUE, approvalDeadlines.dueFor(decision.riskTier()));
        execution.setVariable(REVIEW_INTERVAL, Duration.ofDays(decision.reviewCadenceDays()).toString());
        execution.setVariable(REVIEW_DEADLINE, reviewDeadline.toString());
        execution.setVariable(RISK_DOWNGRADE_REVIEW_DEADLINE, riskDowngradeReviewDeadline.toString());
        // access lasts through the end date
        execution.setVariable(CONTRACT_END, Date.from(Partnership.endOfDay(partnerships.get(key).getEndDate())));
    }
}
