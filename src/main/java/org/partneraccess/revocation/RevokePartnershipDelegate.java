package org.partneraccess.revocation;

import static org.partneraccess.Variables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component
class RevokePartnershipDelegate implements JavaDelegate {

    private final PartnershipAccessService access;

    RevokePartnershipDelegate(PartnershipAccessService access) {
        this.access = access;
    }

    @Override
    public void execute(DelegateExecution execution) {
        access.revoke(subject(execution), reason(execution, REVOCATION_REASON, "revoked"), actor(execution));
    }
}
