package org.partneraccess.machine;

import static org.partneraccess.Variables.subject;

import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.partneraccess.ProcessIds;
import org.springframework.stereotype.Component;

@Component
class ProvisionMachineClientDelegate implements JavaDelegate {

    private final MachineAccessService access;

    ProvisionMachineClientDelegate(MachineAccessService access) {
        this.access = access;
    }

    @Override
    public void execute(DelegateExecution execution) {
        try {
            access.provision(subject(execution));
        } catch (MachineAccessService.PartnershipNotActiveException e) {
            // a business outcome: the partnership was suspended or ended while the request waited; the rejection
            // step reads the registry for it
            throw new BpmnError(ProcessIds.ERROR_PARTNERSHIP_NOT_ACTIVE, e.getMessage());
        }
    }
}
