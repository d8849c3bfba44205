package org.partneraccess.partnership;

import static org.partneraccess.Variables.subject;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Tells the requester that the partnership request is rejected, and why. */
@Component
class NotifyPartnershipRejectedDelegate implements JavaDelegate {

    private final PartnershipNotices notices;

    NotifyPartnershipRejectedDelegate(PartnershipNotices notices) {
        this.notices = notices;
    }

    @Override
    public void execute(DelegateExecution execution) {
        notices.rejected(subject(execution));
    }
}
