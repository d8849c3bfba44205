package org.partneraccess.trust;

import static org.partneraccess.Variables.*;
import static org.partneraccess.trust.WorkloadTrustVariables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.partneraccess.security.EngineCaller;
import org.springframework.stereotype.Component;

/** Runs inside the start transaction: an invalid request throws, and nothing is started or stored. */
@Component
class RecordWorkloadTrustRequestDelegate implements JavaDelegate {

    private final WorkloadTrusts trusts;

    RecordWorkloadTrustRequestDelegate(WorkloadTrusts trusts) {
        this.trusts = trusts;
    }

    @Override
    public void execute(DelegateExecution execution) {
        WorkloadTrustRequest request = new WorkloadTrustRequest(string(execution, TRUST_KIND),
                string(execution, TRUST_ISSUER), string(execution, TRUST_JWKS_URL));
        // who asked is who started the instance, never a variable (segregation of duties reads it from here)
        String requester = EngineCaller.authenticatedUser(execution.getProcessEngineServices());
        trusts.request(subject(execution), string(execution, PARTNERSHIP_KEY), request, requester);
        execution.setVariable(REQUESTER, requester);
    }
}
