package org.partneraccess.machine;

import static org.partneraccess.Variables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component
class NotifySecretRotatedDelegate implements JavaDelegate {

    /** The same notice after a renewal the owner asked for. */
    static final String RENEWAL_NOTICE = "Task_NotifySecretRenewed";

    private final MachineNotices notices;

    NotifySecretRotatedDelegate(MachineNotices notices) {
        this.notices = notices;
    }

    @Override
    public void execute(DelegateExecution execution) {
        notices.rotated(subject(execution), RENEWAL_NOTICE.equals(execution.getCurrentActivityId()));
    }
}
