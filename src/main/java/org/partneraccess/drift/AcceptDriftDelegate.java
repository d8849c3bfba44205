package org.partneraccess.drift;

import static org.partneraccess.Variables.LAST_DECIDED_BY;
import static org.partneraccess.Variables.REVIEW_COMMENT;
import static org.partneraccess.Variables.string;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** The reviewer accepted the drift as it is: recorded, and the same finding is not reviewed again. */
@Component
public class AcceptDriftDelegate implements JavaDelegate {

    private final DriftReconciliation drift;

    AcceptDriftDelegate(DriftReconciliation drift) {
        this.drift = drift;
    }

    @Override
    public void execute(DelegateExecution execution) {
        drift.accept(execution, string(execution, LAST_DECIDED_BY), string(execution, REVIEW_COMMENT));
    }
}
