package org.partneraccess.machine;

import static org.partneraccess.Variables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component
public class RecordMachineElevationRejectionDelegate implements JavaDelegate {

    private final MachineAccessService access;

    RecordMachineElevationRejectionDelegate(MachineAccessService access) {
        this.access = access;
    }

    @Override
    public void execute(DelegateExecution execution) {
        access.rejectElevation(subject(execution), reason(execution, LAST_DECIDED_BY, "system"),
                reason(execution, ELEVATION_COMMENT, "rejected"));
    }
}
