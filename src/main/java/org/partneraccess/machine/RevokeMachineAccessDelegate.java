package org.partneraccess.machine;

import static org.partneraccess.Variables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.partneraccess.machine.MachineAccessService.Trigger;
import org.springframework.stereotype.Component;

@Component
public class RevokeMachineAccessDelegate implements JavaDelegate {

    private final MachineAccessService access;
    private final MachineProperties properties;

    RevokeMachineAccessDelegate(MachineAccessService access, MachineProperties properties) {
        this.access = access;
        this.properties = properties;
    }

    @Override
    public void execute(DelegateExecution execution) {
        Trigger trigger = Trigger.valueOf(string(execution, REVOCATION_TRIGGER));
        String reason = switch (trigger) {
            case IDENTITY_INCIDENT, PARTNER_INCIDENT -> "incident: " + reason(execution, INCIDENT_REASON, "reported");
            case PARTNERSHIP_TERMINATED -> reason(execution, REVOCATION_REASON, "partnership terminated");
            case ACCESS_ENDED -> MachineAccessService.END_DATE_REACHED;
            case UNUSED -> "no token obtained for " + properties.unusedAfter() + " and the owner did not keep it";
        };
        String actor = trigger == Trigger.ACCESS_ENDED || trigger == Trigger.UNUSED ? "system" : actor(execution);
        access.revoke(subject(execution), trigger, reason, actor);
    }
}
