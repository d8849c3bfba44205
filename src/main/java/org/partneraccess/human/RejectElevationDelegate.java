package org.partneraccess.human;

import static org.partneraccess.Variables.subject;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** The rejection of the recorded elevation request that the decision record holds for this instance. */
@Component
class RejectElevationDelegate implements JavaDelegate {

    private final HumanAccessService humans;

    RejectElevationDelegate(HumanAccessService humans) {
        this.humans = humans;
    }

    @Override
    public void execute(DelegateExecution execution) {
        humans.rejectElevation(subject(execution), execution.getProcessInstanceId());
    }
}
