package org.partneraccess.revocation;

import static org.partneraccess.Variables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component
class SuspendPartnershipDelegate implements JavaDelegate {

    private final PartnershipAccessService access;

    SuspendPartnershipDelegate(PartnershipAccessService access) {
        this.access = access;
    }

    @Override
    public void execute(DelegateExecution execution) {
        access.suspend(subject(execution), reason(execution, SUSPENSION_REASON, "suspended"), actor(execution));
    }
}
