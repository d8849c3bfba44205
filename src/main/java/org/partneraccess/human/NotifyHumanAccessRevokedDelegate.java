package org.partneraccess.human;

import static org.partneraccess.Variables.subject;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component
class NotifyHumanAccessRevokedDelegate implements JavaDelegate {

    private final HumanAccessNotices notices;

    NotifyHumanAccessRevokedDelegate(HumanAccessNotices notices) {
        this.notices = notices;
    }

    @Override
    public void execute(DelegateExecution execution) {
        notices.revoked(subject(execution));
    }
}
