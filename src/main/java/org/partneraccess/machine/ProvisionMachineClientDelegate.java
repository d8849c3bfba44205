package org.partneraccess.machine;

import static org.partneraccess.Variables.*;

import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.partneraccess.ProcessIds;
import org.springframework.stereotype.Component;

@Component
public class ProvisionMachineClientDelegate implements JavaDelegate {

    private final MachineAccessService access;

    ProvisionMachineClientDelegate(MachineAccessService access) {
        this.access = access;
    }

    @Override
    public void execute(DelegateExecution execution) {
        try {
            access.provision(subject(execution));
        } catch (MachineAccessService.PartnershipNotActiveException e) {
            // a business outcome: the partnership was suspended or ended while the request waited
            execution.setVariable(REJECTION_REASON, e.getMessage() + " when the machine was to be provisioned");
            throw new BpmnError(ProcessIds.ERROR_PARTNERSHIP_NOT_ACTIVE, e.getMessage());
        }
    }
}
