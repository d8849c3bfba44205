package org.partneraccess.machine;

import static org.partneraccess.Variables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.partneraccess.security.TaskDecisionLog;
import org.springframework.stereotype.Component;

@Component
public class RecordMachineRejectionDelegate implements JavaDelegate {

    private final MachineRegistrationService registrations;
    private final TaskDecisionLog decisions;

    RecordMachineRejectionDelegate(MachineRegistrationService registrations, TaskDecisionLog decisions) {
        this.registrations = registrations;
        this.decisions = decisions;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String reason = reason(execution, REJECTION_REASON,
                reason(execution, SECURITY_OFFICER_COMMENT, reason(execution, OWNER_COMMENT, "rejected")));
        registrations.reject(subject(execution), decisions.lastDecider(execution.getProcessInstanceId(), "system"), reason);
    }
}
