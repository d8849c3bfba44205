package org.partneraccess.human;

import static org.partneraccess.Variables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component
public class RejectElevationDelegate implements JavaDelegate {

    private final HumanAccessService humans;

    RejectElevationDelegate(HumanAccessService humans) {
        this.humans = humans;
    }

    @Override
    public void execute(DelegateExecution execution) {
        humans.rejectElevation(subject(execution), string(execution, LAST_DECIDED_BY),
                string(execution, ELEVATION_ROLE), string(execution, ELEVATION_COMMENT));
    }
}
