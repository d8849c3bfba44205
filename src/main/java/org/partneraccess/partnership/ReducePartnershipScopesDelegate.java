package org.partneraccess.partnership;

import static org.partneraccess.Variables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component
public class ReducePartnershipScopesDelegate implements JavaDelegate {

    private final PartnershipService partnerships;

    ReducePartnershipScopesDelegate(PartnershipService partnerships) {
        this.partnerships = partnerships;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String reviewer = string(execution, LAST_DECIDED_BY);
        partnerships.reduceScopes(subject(execution), stringSet(execution, KEPT_SCOPES), reviewer);
    }
}
