package org.partneraccess.continuity;

import static org.partneraccess.Variables.*;
import static org.partneraccess.continuity.OwnerReassignmentVariables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component
class SuspendOwnerlessAccessDelegate implements JavaDelegate {

    private final OwnerContinuity continuity;

    SuspendOwnerlessAccessDelegate(OwnerContinuity continuity) {
        this.continuity = continuity;
    }

    @Override
    public void execute(DelegateExecution execution) {
        continuity.suspendOwnerless(string(execution, DEPARTED_USER));
    }
}
