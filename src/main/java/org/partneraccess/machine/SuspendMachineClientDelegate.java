package org.partneraccess.machine;

import static org.partneraccess.Variables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component
class SuspendMachineClientDelegate implements JavaDelegate {

    private final MachineAccessService access;

    SuspendMachineClientDelegate(MachineAccessService access) {
        this.access = access;
    }

    @Override
    public void execute(DelegateExecution execution) {
        access.suspend(subject(execution), reason(execution, SUSPENSION_REASON, "partnership suspended"),
                actor(execution));
    }
}
