package org.partneraccess.machine;

import static org.partneraccess.Variables.subject;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Tells the requester and the owner that the machine registration is rejected, and why. */
@Component
class NotifyMachineRejectedDelegate implements JavaDelegate {

    private final MachineNotices notices;

    NotifyMachineRejectedDelegate(MachineNotices notices) {
        this.notices = notices;
    }

    @Override
    public void execute(DelegateExecution execution) {
        notices.rejected(subject(execution));
    }
}
