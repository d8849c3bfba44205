package org.partneraccess.partnership;

import static org.partneraccess.Variables.subject;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component
class NotifyPartnershipActiveDelegate implements JavaDelegate {

    private final PartnershipNotices notices;

    NotifyPartnershipActiveDelegate(PartnershipNotices notices) {
        this.notices = notices;
    }

    @Override
    public void execute(DelegateExecution execution) {
        notices.active(subject(execution));
    }
}
