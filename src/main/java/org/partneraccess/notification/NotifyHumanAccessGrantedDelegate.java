package org.partneraccess.notification;

import static org.partneraccess.Variables.IDENTITY_ID;
import static org.partneraccess.Variables.string;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component
public class NotifyHumanAccessGrantedDelegate implements JavaDelegate {

    private final HumanAccessNotices notices;

    NotifyHumanAccessGrantedDelegate(HumanAccessNotices notices) {
        this.notices = notices;
    }

    @Override
    public void execute(DelegateExecution execution) {
        notices.granted(string(execution, IDENTITY_ID));
    }
}
