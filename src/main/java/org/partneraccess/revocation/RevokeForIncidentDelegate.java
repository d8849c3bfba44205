package org.partneraccess.revocation;

import static org.partneraccess.Variables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component
public class RevokeForIncidentDelegate implements JavaDelegate {

    private final PartnershipAccessService access;

    RevokeForIncidentDelegate(PartnershipAccessService access) {
        this.access = access;
    }

    @Override
    public void execute(DelegateExecution execution) {
        access.cutOff(string(execution, PARTNERSHIP_KEY), reason(execution, INCIDENT_REASON, "incident reported"), actor(execution));
    }
}
