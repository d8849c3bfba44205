package org.partneraccess.partnership;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Applies the scope change the decision record holds for this instance's partnership; nothing from its variables. */
@Component
public class ApplyScopeChangeDelegate implements JavaDelegate {

    private final PartnershipService partnerships;

    ApplyScopeChangeDelegate(PartnershipService partnerships) {
        this.partnerships = partnerships;
    }

    @Override
    public void execute(DelegateExecution execution) {
        partnerships.applyScopeChange(execution.getProcessBusinessKey());
    }
}
