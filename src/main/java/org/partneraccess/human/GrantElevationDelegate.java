package org.partneraccess.human;

import static org.partneraccess.Variables.*;
import static org.partneraccess.human.HumanAccessVariables.*;

import java.util.Date;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** The clock starts when the role is granted, not when it was asked for. */
@Component
class GrantElevationDelegate implements JavaDelegate {

    private final HumanAccessService humans;

    GrantElevationDelegate(HumanAccessService humans) {
        this.humans = humans;
    }

    @Override
    public void execute(DelegateExecution execution) {
        // the recorded request of the person the instance is bound to; the variable only sets the timer
        execution.setVariable(ELEVATION_UNTIL, Date.from(humans.grantElevation(subject(execution))));
    }
}
