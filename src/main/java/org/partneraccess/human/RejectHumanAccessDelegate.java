package org.partneraccess.human;

import static org.partneraccess.Variables.subject;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** The rejection the decision record holds for this instance, never one the flow alone arrived at. */
@Component
class RejectHumanAccessDelegate implements JavaDelegate {

    private final HumanAccessService humans;

    RejectHumanAccessDelegate(HumanAccessService humans) {
        this.humans = humans;
    }

    @Override
    public void execute(DelegateExecution execution) {
        humans.reject(subject(execution), execution.getProcessInstanceId());
    }
}
