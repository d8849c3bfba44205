package org.partneraccess.trust;

import static org.partneraccess.Variables.subject;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** The approved trust becomes the partnership's identity provider; the approval is read from the decision record. */
@Component
class ProvisionWorkloadTrustDelegate implements JavaDelegate {

    private final WorkloadTrusts trusts;

    ProvisionWorkloadTrustDelegate(WorkloadTrusts trusts) {
        this.trusts = trusts;
    }

    @Override
    public void execute(DelegateExecution execution) {
        trusts.provision(subject(execution));
    }
}
