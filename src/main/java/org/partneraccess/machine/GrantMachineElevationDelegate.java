package org.partneraccess.machine;

import static org.partneraccess.Variables.subject;
import static org.partneraccess.machine.MachineAccessVariables.ELEVATION_DURATION;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Grants the machine's recorded, approved elevation; the variable it sets only starts the timer that ends it. */
@Component
class GrantMachineElevationDelegate implements JavaDelegate {

    private final MachineAccessService access;

    GrantMachineElevationDelegate(MachineAccessService access) {
        this.access = access;
    }

    @Override
    public void execute(DelegateExecution execution) {
        execution.setVariable(ELEVATION_DURATION, access.grantElevation(subject(execution)).toString());
    }
}
