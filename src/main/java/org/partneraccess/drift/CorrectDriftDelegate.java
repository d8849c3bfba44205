package org.partneraccess.drift;

import static org.partneraccess.Variables.LAST_DECIDED_BY;
import static org.partneraccess.Variables.REVIEW_COMMENT;
import static org.partneraccess.Variables.string;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** The reviewer had the drift corrected: Keycloak is brought back to what the registry approved. */
@Component
public class CorrectDriftDelegate implements JavaDelegate {

    private final DriftReconciliation drift;

    CorrectDriftDelegate(DriftReconciliation drift) {
        this.drift = drift;
    }

    @Override
    public void execute(DelegateExecution execution) {
        drift.correctOnReview(execution, string(execution, LAST_DECIDED_BY), string(execution, REVIEW_COMMENT));
    }
}
