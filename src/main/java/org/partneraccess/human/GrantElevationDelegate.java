package org.partneraccess.human;

import static org.partneraccess.Variables.*;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** The clock starts when the role is granted, not when it was asked for. */
@Component
public class GrantElevationDelegate implements JavaDelegate {

    private final HumanAccessService humans;

    GrantElevationDelegate(HumanAccessService humans) {
        this.humans = humans;
    }

    @Override
    public void execute(DelegateExecution execution) {
        Instant until = Instant.now().plus(Duration.ofHours(((Number) execution.getVariable(ELEVATION_HOURS)).longValue()));
        // the person the instance is bound to, not a variable
        humans.grantElevation(execution.getProcessBusinessKey(), string(execution, ELEVATION_ROLE), until,
                string(execution, ELEVATION_REQUESTER), string(execution, ELEVATION_REASON));
        execution.setVariable(ELEVATION_UNTIL, Date.from(until));
    }
}
