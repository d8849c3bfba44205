package org.partneraccess.human;

import static org.partneraccess.Variables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component
class InviteHumanDelegate implements JavaDelegate {

    private final HumanAccessService humans;

    InviteHumanDelegate(HumanAccessService humans) {
        this.humans = humans;
    }

    @Override
    public void execute(DelegateExecution execution) {
        humans.invite(subject(execution));
    }
}
