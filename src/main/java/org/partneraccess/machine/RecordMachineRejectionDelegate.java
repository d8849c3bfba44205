package org.partneraccess.machine;

import static org.partneraccess.Variables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component
public class RecordMachineRejectionDelegate implements JavaDelegate {

    private final MachineRegistrationService registrations;

    RecordMachineRejectionDelegate(MachineRegistrationService registrations) {
        this.registrations = registrations;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String reason = reason(execution, REJECTION_REASON,
                reason(execution, SECURITY_OFFICER_COMMENT, reason(execution, OWNER_COMMENT, "rejected")));
        registrations.reject(subject(execution), reason(execution, LAST_DECIDED_BY, "system"), reason);
    }
}
