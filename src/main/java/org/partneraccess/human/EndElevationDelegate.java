package org.partneraccess.human;

import static org.partneraccess.Variables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component
class EndElevationDelegate implements JavaDelegate {

    private final HumanAccessService humans;

    EndElevationDelegate(HumanAccessService humans) {
        this.humans = humans;
    }

    @Override
    public void execute(DelegateExecution execution) {
        humans.endElevation(subject(execution));
    }
}
