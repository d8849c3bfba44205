package org.partneraccess.human;

import static org.partneraccess.Variables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.partneraccess.security.TaskDecisionLog;
import org.springframework.stereotype.Component;

@Component
public class RejectElevationDelegate implements JavaDelegate {

    private final HumanAccessService humans;
    private final TaskDecisionLog decisions;

    RejectElevationDelegate(HumanAccessService humans, TaskDecisionLog decisions) {
        this.humans = humans;
        this.decisions = decisions;
    }

    @Override
    public void execute(DelegateExecution execution) {
        humans.rejectElevation(subject(execution), decisions.lastDecider(execution.getProcessInstanceId(), null),
                string(execution, ELEVATION_ROLE), string(execution, ELEVATION_COMMENT));
    }
}
