package org.partneraccess.machine;

import static org.partneraccess.Variables.*;
import static org.partneraccess.machine.MachineAccessVariables.*;

import java.util.Date;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component
class CheckMachineLastUseDelegate implements JavaDelegate {

    private final MachineAccessService access;

    CheckMachineLastUseDelegate(MachineAccessService access) {
        this.access = access;
    }

    @Override
    public void execute(DelegateExecution execution) {
        MachineAccessService.LastUse lastUse = access.checkLastUse(subject(execution));
        execution.setVariable(MACHINE_UNUSED, lastUse.unused());
        execution.setVariable(LAST_USED_AT, lastUse.lastUsedAt() == null ? null : Date.from(lastUse.lastUsedAt()));
    }
}
