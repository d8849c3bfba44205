package org.partneraccess.continuity;

import static org.partneraccess.Variables.*;
import static org.partneraccess.continuity.OwnerReassignmentVariables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component
class NotifyOwnerlessAccessSuspendedDelegate implements JavaDelegate {

    private final OwnerContinuity continuity;

    NotifyOwnerlessAccessSuspendedDelegate(OwnerContinuity continuity) {
        this.continuity = continuity;
    }

    @Override
    public void execute(DelegateExecution execution) {
        continuity.notifyOwnerlessSuspended(string(execution, DEPARTED_USER), string(execution, AFFECTED_SUMMARY));
    }
}
