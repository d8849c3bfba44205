package org.partneraccess.human;

import static org.partneraccess.Variables.string;
import static org.partneraccess.partnership.PartnershipVariables.CONTACT_IDENTITY_ID;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component
class ProvisionPartnerContactDelegate implements JavaDelegate {

    private final HumanAccessService provisioning;

    ProvisionPartnerContactDelegate(HumanAccessService provisioning) {
        this.provisioning = provisioning;
    }

    @Override
    public void execute(DelegateExecution execution) {
        provisioning.provision(string(execution, CONTACT_IDENTITY_ID));
    }
}
