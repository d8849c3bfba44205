package org.partneraccess.machine;

import static org.partneraccess.Variables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.partneraccess.ProcessIds;
import org.springframework.stereotype.Component;

@Component
public class GrantMachineElevationDelegate implements JavaDelegate {

    private final MachineAccessService access;

    GrantMachineElevationDelegate(MachineAccessService access) {
        this.access = access;
    }

    @Override
    public void execute(DelegateExecution execution) {
        access.grantElevation(string(execution, IDENTITY_ID), stringSet(execution, ELEVATION_SCOPES),
                reason(execution, ELEVATION_REASON, "not given"),
                RecordMachineApprovalDelegate.approvers(execution, ProcessIds.TASK_APPROVE_ELEVATION_AS_OWNER,
                        ProcessIds.TASK_APPROVE_ELEVATION_AS_SECURITY_OFFICER, ELEVATION_AUTO_APPROVE));
    }
}
