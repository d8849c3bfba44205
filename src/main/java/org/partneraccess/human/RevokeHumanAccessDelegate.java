package org.partneraccess.human;

import static org.partneraccess.Variables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Each revoking task of the model maps its trigger's reason to the local variable {@code reason}. */
@Component
class RevokeHumanAccessDelegate implements JavaDelegate {

    static final String REASON = "reason";

    private final HumanAccessService humans;

    RevokeHumanAccessDelegate(HumanAccessService humans) {
        this.humans = humans;
    }

    @Override
    public void execute(DelegateExecution execution) {
        humans.revoke(subject(execution), reason(execution, REASON, HumanAccessService.END_DATE_REACHED), actor(execution));
    }
}
