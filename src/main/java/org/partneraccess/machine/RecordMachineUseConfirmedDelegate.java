package org.partneraccess.machine;

import static org.partneraccess.Variables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.partneraccess.security.TaskDecisionLog;
import org.springframework.stereotype.Component;

@Component
class RecordMachineUseConfirmedDelegate implements JavaDelegate {

    private final MachineAccessService access;
    private final TaskDecisionLog decisions;

    RecordMachineUseConfirmedDelegate(MachineAccessService access, TaskDecisionLog decisions) {
        this.access = access;
        this.decisions = decisions;
    }

    @Override
    public void execute(DelegateExecution execution) {
        access.confirmUse(subject(execution),
                decisions.lastDecider(execution.getProcessInstanceId(), "owner"),
                reason(execution, REVIEW_COMMENT, "still needed"));
    }
}
