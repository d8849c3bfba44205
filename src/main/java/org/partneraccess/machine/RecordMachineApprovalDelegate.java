package org.partneraccess.machine;

import static org.partneraccess.Variables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.partneraccess.ProcessIds;
import org.springframework.stereotype.Component;

@Component
public class RecordMachineApprovalDelegate implements JavaDelegate {

    private final MachineRegistrationService registrations;

    RecordMachineApprovalDelegate(MachineRegistrationService registrations) {
        this.registrations = registrations;
    }

    @Override
    public void execute(DelegateExecution execution) {
        registrations.approve(string(execution, IDENTITY_ID), approvers(execution,
                ProcessIds.TASK_APPROVE_MACHINE_AS_OWNER, ProcessIds.TASK_APPROVE_MACHINE_AS_SECURITY_OFFICER, AUTO_APPROVE));
    }

    /** "policy" when the access policy approved on its own, else who approved, in order. */
    static String approvers(DelegateExecution execution, String ownerTask, String securityOfficerTask, String autoApprove) {
        if (Boolean.TRUE.equals(execution.getVariable(autoApprove))) {
            return "policy";
        }
        String owner = string(execution, decidedBy(ownerTask));
        String securityOfficer = string(execution, decidedBy(securityOfficerTask));
        return securityOfficer == null ? owner : owner + "," + securityOfficer;
    }
}
