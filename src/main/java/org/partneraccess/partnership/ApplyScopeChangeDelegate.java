package org.partneraccess.partnership;

import static org.partneraccess.Variables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.partneraccess.ProcessIds;
import org.springframework.stereotype.Component;

@Component
public class ApplyScopeChangeDelegate implements JavaDelegate {

    private final PartnershipService partnerships;

    ApplyScopeChangeDelegate(PartnershipService partnerships) {
        this.partnerships = partnerships;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String sponsor = string(execution, decidedBy(ProcessIds.TASK_APPROVE_SCOPE_CHANGE_AS_SPONSOR));
        String securityOfficer = Boolean.TRUE.equals(execution.getVariable(SCOPE_CHANGE_SECURITY_OFFICER_APPROVAL))
                ? string(execution, decidedBy(ProcessIds.TASK_APPROVE_SCOPE_CHANGE_AS_SECURITY_OFFICER)) : null;
        partnerships.applyScopeChange(string(execution, PARTNERSHIP_KEY), stringSet(execution, REQUESTED_SCOPES),
                stringSet(execution, REQUESTED_DATA_CLASSES), stringSet(execution, REQUESTED_ENVIRONMENTS),
                securityOfficer == null ? sponsor : sponsor + "," + securityOfficer);
    }
}
