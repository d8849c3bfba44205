package org.partneraccess.revocation;

import static org.partneraccess.Variables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component
class ResumePartnershipDelegate implements JavaDelegate {

    private final PartnershipAccessService access;

    ResumePartnershipDelegate(PartnershipAccessService access) {
        this.access = access;
    }

    @Override
    public void execute(DelegateExecution execution) {
        access.resume(subject(execution), reason(execution, RESUMPTION_REASON, "resumed"), actor(execution));
    }
}
