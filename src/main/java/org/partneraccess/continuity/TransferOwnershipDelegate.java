package org.partneraccess.continuity;

import static org.partneraccess.Variables.*;
import static org.partneraccess.continuity.OwnerReassignmentVariables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.partneraccess.security.TaskDecisionLog;
import org.springframework.stereotype.Component;

@Component
class TransferOwnershipDelegate implements JavaDelegate {

    private final OwnerContinuity continuity;
    private final TaskDecisionLog decisions;

    TransferOwnershipDelegate(OwnerContinuity continuity, TaskDecisionLog decisions) {
        this.continuity = continuity;
        this.decisions = decisions;
    }

    @Override
    public void execute(DelegateExecution execution) {
        continuity.handOver(string(execution, DEPARTED_USER), string(execution, SUCCESSOR),
                decisions.lastDecider(execution.getProcessInstanceId(), null));
    }
}
