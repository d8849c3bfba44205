package org.partneraccess.machine;

import static org.partneraccess.Variables.subject;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** The rejection the decision record holds for this instance, or the partnership that no longer grants access. */
@Component
class RecordMachineRejectionDelegate implements JavaDelegate {

    private final MachineRegistrationService registrations;

    RecordMachineRejectionDelegate(MachineRegistrationService registrations) {
        this.registrations = registrations;
    }

    @Override
    public void execute(DelegateExecution execution) {
        registrations.reject(subject(execution), execution.getProcessInstanceId());
    }
}
