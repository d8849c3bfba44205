package org.partneraccess.machine;

import static org.partneraccess.Variables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.partneraccess.inventory.AccessEndTrigger;
import org.springframework.stereotype.Component;

/**
 * The trigger is IdentityAccessEnds's, or the code of the error that ended the access inside the process; without one
 * the process's own end-date timer fired.
 */
@Component
class RevokeMachineAccessDelegate implements JavaDelegate {

    private final MachineAccessService access;
    RevokeMachineAccessDelegate(MachineAccessService access) {
        this.access = access;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String named = string(execution, REVOCATION_TRIGGER);
        AccessEndTrigger trigger = named == null ? AccessEndTrigger.ACCESS_ENDED : AccessEndTrigger.valueOf(named);
        String reason = switch (trigger) {
            case IDENTITY_INCIDENT, PARTNER_INCIDENT -> "incident: " + reason(execution, REVOCATION_REASON, "reported");
            case PARTNERSHIP_TERMINATED -> reason(execution, REVOCATION_REASON, "partnership terminated");
            case ACCESS_ENDED -> MachineAccessService.END_DATE_REACHED;
            case UNUSED -> access.unusedReason();
        };
        access.revoke(subject(execution), trigger, reason, trigger.bySystem() ? "system" : actor(execution));
    }
}
