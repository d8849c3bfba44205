package org.partneraccess.partnership;

import static org.partneraccess.Variables.reason;
import static org.partneraccess.Variables.subject;
import static org.partneraccess.partnership.PartnershipVariables.RISK_DOWNGRADE_REASON;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component
class MarkUnderReviewDelegate implements JavaDelegate {

    private final PartnershipService partnerships;

    MarkUnderReviewDelegate(PartnershipService partnerships) {
        this.partnerships = partnerships;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String reason = execution.getCurrentActivityId().contains("Downgrade")
                ? "vendor risk downgraded: " + reason(execution, RISK_DOWNGRADE_REASON, "no reason given")
                : "periodic recertification";
        partnerships.markUnderReview(subject(execution), reason);
    }
}
