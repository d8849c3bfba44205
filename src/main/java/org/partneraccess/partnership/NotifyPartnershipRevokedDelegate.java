package org.partneraccess.partnership;

import static org.partneraccess.Variables.subject;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component
class NotifyPartnershipRevokedDelegate implements JavaDelegate {

    private final PartnershipNotices notices;

    NotifyPartnershipRevokedDelegate(PartnershipNotices notices) {
        this.notices = notices;
    }

    @Override
    public void execute(DelegateExecution execution) {
        notices.revoked(subject(execution));
    }
}
