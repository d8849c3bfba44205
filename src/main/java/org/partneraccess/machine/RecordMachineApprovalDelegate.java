package org.partneraccess.machine;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component
class RecordMachineApprovalDelegate implements JavaDelegate {

    private final MachineRegistrationService registrations;

    RecordMachineApprovalDelegate(MachineRegistrationService registrations) {
        this.registrations = registrations;
    }

    @Override
    public void execute(DelegateExecution execution) {
        // the machine the instance is bound to, not a variable
        registrations.approve(execution.getProcessBusinessKey());
    }
}
