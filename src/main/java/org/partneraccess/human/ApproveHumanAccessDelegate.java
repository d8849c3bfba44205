package org.partneraccess.human;

import static org.partneraccess.Variables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component
public class ApproveHumanAccessDelegate implements JavaDelegate {

    private final HumanAccessService humans;

    ApproveHumanAccessDelegate(HumanAccessService humans) {
        this.humans = humans;
    }

    @Override
    public void execute(DelegateExecution execution) {
        humans.approve(string(execution, IDENTITY_ID), approvers(execution));
    }
}
