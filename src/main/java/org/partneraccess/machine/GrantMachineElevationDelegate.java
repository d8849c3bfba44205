package org.partneraccess.machine;

import static org.partneraccess.Variables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component
public class GrantMachineElevationDelegate implements JavaDelegate {

    private final MachineAccessService access;
    private final MachineRegistrationService registrations;

    GrantMachineElevationDelegate(MachineAccessService access, MachineRegistrationService registrations) {
        this.access = access;
        this.registrations = registrations;
    }

    @Override
    public void execute(DelegateExecution execution) {
        // the machine the instance is bound to, not a variable
        String identityId = execution.getProcessBusinessKey();
        access.grantElevation(identityId, stringSet(execution, ELEVATION_SCOPES), reason(execution, ELEVATION_REASON, "not given"),
                registrations.elevationApprovers(identityId, string(execution, ELEVATION_REQUESTER)));
    }
}
