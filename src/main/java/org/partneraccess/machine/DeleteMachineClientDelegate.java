package org.partneraccess.machine;

import static org.partneraccess.Variables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component
public class DeleteMachineClientDelegate implements JavaDelegate {

    private final MachineAccessService access;

    DeleteMachineClientDelegate(MachineAccessService access) {
        this.access = access;
    }

    @Override
    public void execute(DelegateExecution execution) {
        access.deleteClient(subject(execution), reason(execution, DELETION_REASON, "retention period over"));
    }
}
