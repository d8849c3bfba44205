package org.partneraccess.partnership;

import static org.partneraccess.Variables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.partneraccess.security.TaskDecisionLog;
import org.springframework.stereotype.Component;

@Component
public class RejectPartnershipDelegate implements JavaDelegate {

    private final PartnershipService partnerships;
    private final TaskDecisionLog decisions;

    RejectPartnershipDelegate(PartnershipService partnerships, TaskDecisionLog decisions) {
        this.partnerships = partnerships;
        this.decisions = decisions;
    }

    @Override
    public void execute(DelegateExecution execution) {
        partnerships.reject(subject(execution), decisions.lastDecider(execution.getProcessInstanceId(), null),
                rejectionReason(execution));
    }
}
