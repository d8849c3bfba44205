package org.partneraccess.partnership;

import static org.partneraccess.Variables.subject;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component
class NotifySuspensionDelegate implements JavaDelegate {

    private final PartnershipNotices notices;

    NotifySuspensionDelegate(PartnershipNotices notices) {
        this.notices = notices;
    }

    @Override
    public void execute(DelegateExecution execution) {
        notices.suspended(subject(execution));
    }
}
