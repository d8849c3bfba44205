package org.partneraccess.human;

import static org.partneraccess.Variables.subject;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Each warning once: after a suspension the active period starts again, and with it its warning timers. */
@Component
class NotifyHumanExpiryWarningDelegate implements JavaDelegate {

    private final HumanAccessNotices notices;

    NotifyHumanExpiryWarningDelegate(HumanAccessNotices notices) {
        this.notices = notices;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String sent = "sent_" + execution.getCurrentActivityId();
        if (!Boolean.TRUE.equals(execution.getVariable(sent))) {
            notices.expiryWarning(subject(execution));
            execution.setVariable(sent, true);
        }
    }
}
