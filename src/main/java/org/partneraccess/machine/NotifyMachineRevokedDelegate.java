package org.partneraccess.machine;

import static org.partneraccess.Variables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component
class NotifyMachineRevokedDelegate implements JavaDelegate {

    private final MachineNotices notices;

    NotifyMachineRevokedDelegate(MachineNotices notices) {
        this.notices = notices;
    }

    @Override
    public void execute(DelegateExecution execution) {
        notices.revoked(subject(execution));
    }
}
