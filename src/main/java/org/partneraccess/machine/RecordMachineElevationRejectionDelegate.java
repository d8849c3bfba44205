package org.partneraccess.machine;

import static org.partneraccess.Variables.subject;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** The rejection of the recorded elevation request that the decision record holds for this instance. */
@Component
class RecordMachineElevationRejectionDelegate implements JavaDelegate {

    private final MachineAccessService access;

    RecordMachineElevationRejectionDelegate(MachineAccessService access) {
        this.access = access;
    }

    @Override
    public void execute(DelegateExecution execution) {
        access.rejectElevation(subject(execution), execution.getProcessInstanceId());
    }
}
