package org.partneraccess.human;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component
class ApproveHumanAccessDelegate implements JavaDelegate {

    private final HumanAccessService humans;

    ApproveHumanAccessDelegate(HumanAccessService humans) {
        this.humans = humans;
    }

    @Override
    public void execute(DelegateExecution execution) {
        // the person the instance is bound to, not a variable
        humans.approve(execution.getProcessBusinessKey());
    }
}
