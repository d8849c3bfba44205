package org.partneraccess.human;

import static org.partneraccess.Variables.subject;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Tells the requester and the sponsor that the access request is rejected, and why. */
@Component
class NotifyHumanAccessRejectedDelegate implements JavaDelegate {

    private final HumanAccessNotices notices;

    NotifyHumanAccessRejectedDelegate(HumanAccessNotices notices) {
        this.notices = notices;
    }

    @Override
    public void execute(DelegateExecution execution) {
        notices.rejected(subject(execution));
    }
}
