package org.partneraccess.partnership;

import static org.partneraccess.Variables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component
public class RejectScopeChangeDelegate implements JavaDelegate {

    private final PartnershipService partnerships;

    RejectScopeChangeDelegate(PartnershipService partnerships) {
        this.partnerships = partnerships;
    }

    @Override
    public void execute(DelegateExecution execution) {
        partnerships.rejectScopeChange(subject(execution), string(execution, LAST_DECIDED_BY),
                reason(execution, SCOPE_CHANGE_COMMENT, "scope change rejected"));
    }
}
