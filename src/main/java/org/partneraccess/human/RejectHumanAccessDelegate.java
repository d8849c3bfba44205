package org.partneraccess.human;

import static org.partneraccess.Variables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.partneraccess.security.TaskDecisionLog;
import org.springframework.stereotype.Component;

@Component
public class RejectHumanAccessDelegate implements JavaDelegate {

    private final HumanAccessService humans;
    private final TaskDecisionLog decisions;

    RejectHumanAccessDelegate(HumanAccessService humans, TaskDecisionLog decisions) {
        this.humans = humans;
        this.decisions = decisions;
    }

    @Override
    public void execute(DelegateExecution execution) {
        humans.reject(subject(execution), decisions.lastDecider(execution.getProcessInstanceId(), null), rejectionReason(execution));
    }
}
