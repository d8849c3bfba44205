package org.partneraccess.partnership;

import static org.partneraccess.Variables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.partneraccess.security.TaskDecisionLog;
import org.springframework.stereotype.Component;

@Component
class RecordRecertificationDelegate implements JavaDelegate {

    private final PartnershipService partnerships;
    private final TaskDecisionLog decisions;

    RecordRecertificationDelegate(PartnershipService partnerships, TaskDecisionLog decisions) {
        this.partnerships = partnerships;
        this.decisions = decisions;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String reviewer = decisions.lastDecider(execution.getProcessInstanceId(), null);
        partnerships.recordRecertification(subject(execution), reviewer,
                string(execution, REVIEW_DECISION), string(execution, REVIEW_COMMENT));
    }
}
