package org.partneraccess.machine;

import static org.partneraccess.Variables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.partneraccess.security.TaskDecisionLog;
import org.springframework.stereotype.Component;

@Component
public class RecordMachineElevationRejectionDelegate implements JavaDelegate {

    private final MachineAccessService access;
    private final TaskDecisionLog decisions;

    RecordMachineElevationRejectionDelegate(MachineAccessService access, TaskDecisionLog decisions) {
        this.access = access;
        this.decisions = decisions;
    }

    @Override
    public void execute(DelegateExecution execution) {
        access.rejectElevation(subject(execution), decisions.lastDecider(execution.getProcessInstanceId(), "system"),
                reason(execution, ELEVATION_COMMENT, "rejected"));
    }
}
