package org.partneraccess.machine;

import static org.partneraccess.Variables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.partneraccess.ProcessIds;
import org.springframework.stereotype.Component;

@Component
public class RecordMachineUseConfirmedDelegate implements JavaDelegate {

    private final MachineAccessService access;

    RecordMachineUseConfirmedDelegate(MachineAccessService access) {
        this.access = access;
    }

    @Override
    public void execute(DelegateExecution execution) {
        access.confirmUse(subject(execution),
                reason(execution, decidedBy(ProcessIds.TASK_REVIEW_UNUSED_MACHINE), "owner"),
                reason(execution, REVIEW_COMMENT, "still needed"));
    }
}
