package org.partneraccess.drift;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * The reviewer had the drift corrected: the stored finding this review is bound to is looked for again in Keycloak,
 * and only its object is brought back to what the registry approved; a finding that is gone, or not about a partner
 * identity, changes nothing and ends the review with the BPMN error {@code DRIFT_FINDING_GONE}.
 */
@Component
class CorrectDriftDelegate implements JavaDelegate {

    private final DriftReconciliation drift;

    CorrectDriftDelegate(DriftReconciliation drift) {
        this.drift = drift;
    }

    @Override
    public void execute(DelegateExecution execution) {
        drift.correctOnReview(execution);
    }
}
