package org.partneraccess.continuity;

import static org.partneraccess.Variables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.partneraccess.ProcessIds;
import org.springframework.stereotype.Component;

@Component
public class TransferOwnershipDelegate implements JavaDelegate {

    private final OwnerContinuity continuity;

    TransferOwnershipDelegate(OwnerContinuity continuity) {
        this.continuity = continuity;
    }

    @Override
    public void execute(DelegateExecution execution) {
        continuity.handOver(string(execution, DEPARTED_USER), string(execution, SUCCESSOR),
                string(execution, decidedBy(ProcessIds.TASK_REASSIGN_OWNERSHIP)));
    }
}
