package org.partneraccess.machine;

import static org.partneraccess.Variables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.partneraccess.machine.MachineAccessService.Trigger;
import org.springframework.stereotype.Component;

@Component
public class RevokeMachineAccessDelegate implements JavaDelegate {

    private final MachineAccessService access;
    RevokeMachineAccessDelegate(MachineAccessService access) {
        this.access = access;
    }

    @Override
    public void execute(DelegateExecution execution) {
        Trigger trigger = Trigger.valueOf(string(execution, REVOCATION_TRIGGER));
        String reason = switch (trigger) {
            case IDENTITY_INCIDENT, PARTNER_INCIDENT -> "incident: " + reason(execution, INCIDENT_REASON, "reported");
            case PARTNERSHIP_TERMINATED -> reason(execution, REVOCATION_REASON, "partnership terminated");
            case ACCESS_ENDED -> MachineAccessService.END_DATE_REACHED;
            case UNUSED -> access.unusedReason();
        };
        String actor = trigger == Trigger.ACCESS_ENDED || trigger == Trigger.UNUSED ? "system" : actor(execution);
        access.revoke(subject(execution), trigger, reason, actor);
    }
}
