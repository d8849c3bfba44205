package org.partneraccess.notification;

import static org.partneraccess.Variables.IDENTITY_ID;
import static org.partneraccess.Variables.string;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component
public class NotifyHumanAccessRevokedDelegate implements JavaDelegate {

    private final HumanAccessNotices notices;

    NotifyHumanAccessRevokedDelegate(HumanAccessNotices notices) {
        this.notices = notices;
    }

    @Override
    public void execute(DelegateExecution execution) {
        notices.revoked(string(execution, IDENTITY_ID));
    }
}
