package org.partneraccess.human;

import static org.partneraccess.Variables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component
public class RejectHumanAccessDelegate implements JavaDelegate {

    private final HumanAccessService humans;

    RejectHumanAccessDelegate(HumanAccessService humans) {
        this.humans = humans;
    }

    @Override
    public void execute(DelegateExecution execution) {
        humans.reject(subject(execution), string(execution, LAST_DECIDED_BY), rejectionReason(execution));
    }
}
