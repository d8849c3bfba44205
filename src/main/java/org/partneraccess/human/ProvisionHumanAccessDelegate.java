package org.partneraccess.human;

import static org.partneraccess.Variables.*;

import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** A partnership suspended or ended while the request waited gains no one: that is a business outcome. */
@Component
class ProvisionHumanAccessDelegate implements JavaDelegate {

    static final String PARTNERSHIP_NOT_ACTIVE = "PARTNERSHIP_NOT_ACTIVE";

    private final HumanAccessService humans;

    ProvisionHumanAccessDelegate(HumanAccessService humans) {
        this.humans = humans;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String identityId = subject(execution);
        if (!humans.partnershipHoldsAccess(identityId)) {
            throw new BpmnError(PARTNERSHIP_NOT_ACTIVE, "the partnership no longer grants access");
        }
        humans.provision(identityId);
    }
}
