package org.partneraccess.partnership;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.partneraccess.Variables;
import org.springframework.stereotype.Component;

/** Applies the scope change the decision record holds for this instance's partnership; nothing from its variables. */
@Component
class ApplyScopeChangeDelegate implements JavaDelegate {

    private final PartnershipService partnerships;

    ApplyScopeChangeDelegate(PartnershipService partnerships) {
        this.partnerships = partnerships;
    }

    @Override
    public void execute(DelegateExecution execution) {
        partnerships.applyScopeChange(execution.getProcessBusinessKey());
        // later reviews show the partnership as it is now
        execution.setVariables(partnerships.shown(execution.getProcessBusinessKey(),
                Variables.string(execution, PartnershipVariables.CONTACT_IDENTITY_ID)).toVariables());
    }
}
