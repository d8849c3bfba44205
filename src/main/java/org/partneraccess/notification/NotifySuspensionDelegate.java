package org.partneraccess.notification;

import static org.partneraccess.Variables.PARTNERSHIP_KEY;
import static org.partneraccess.Variables.string;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component
public class NotifySuspensionDelegate implements JavaDelegate {

    private final PartnershipNotices notices;

    NotifySuspensionDelegate(PartnershipNotices notices) {
        this.notices = notices;
    }

    @Override
    public void execute(DelegateExecution execution) {
        notices.suspended(string(execution, PARTNERSHIP_KEY));
    }
}
