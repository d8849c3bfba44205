package org.partneraccess.trust;

import static org.partneraccess.Variables.subject;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Ends a rejected request; the rejection and its reason are read from the decision record. */
@Component
class RejectWorkloadTrustDelegate implements JavaDelegate {

    private final WorkloadTrusts trusts;

    RejectWorkloadTrustDelegate(WorkloadTrusts trusts) {
        this.trusts = trusts;
    }

    @Override
    public void execute(DelegateExecution execution) {
        trusts.reject(subject(execution), execution.getProcessInstanceId());
    }
}
