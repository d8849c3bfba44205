package org.partneraccess.machine;

import static org.partneraccess.Variables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component
class ResumeMachineClientDelegate implements JavaDelegate {

    private final MachineAccessService access;

    ResumeMachineClientDelegate(MachineAccessService access) {
        this.access = access;
    }

    @Override
    public void execute(DelegateExecution execution) {
        access.resume(subject(execution), reason(execution, RESUMPTION_REASON, "partnership resumed"),
                actor(execution));
    }
}
