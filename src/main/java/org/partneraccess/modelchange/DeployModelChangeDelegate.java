package org.partneraccess.modelchange;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component
class DeployModelChangeDelegate implements JavaDelegate {

    private final ModelChanges changes;

    DeployModelChangeDelegate(ModelChanges changes) {
        this.changes = changes;
    }

    @Override
    public void execute(DelegateExecution execution) {
        // the stored change the instance is bound to, not a variable
        changes.approve(execution.getProcessBusinessKey());
    }
}
