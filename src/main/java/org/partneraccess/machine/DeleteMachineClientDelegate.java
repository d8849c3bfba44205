package org.partneraccess.machine;

import static org.partneraccess.Variables.*;
import static org.partneraccess.machine.MachineAccessVariables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.partneraccess.inventory.AccessEndTrigger;
import org.springframework.stereotype.Component;

/** Deletes the client when its retention is over, or at once when access ends again during it. */
@Component
class DeleteMachineClientDelegate implements JavaDelegate {

    private final MachineAccessService access;

    DeleteMachineClientDelegate(MachineAccessService access) {
        this.access = access;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String trigger = string(execution, DELETION_TRIGGER);
        access.deleteClient(subject(execution), trigger == null ? "retention period over"
                : duringRetention(AccessEndTrigger.valueOf(trigger)));
    }

    static String duringRetention(AccessEndTrigger trigger) {
        return switch (trigger) {
            case IDENTITY_INCIDENT -> "identity incident reported";
            case PARTNER_INCIDENT -> "partner incident reported";
            case PARTNERSHIP_TERMINATED -> "partnership terminated";
            case ACCESS_ENDED -> "access end date reached";
            case UNUSED -> "found unused";
        } + " during retention";
    }
}
