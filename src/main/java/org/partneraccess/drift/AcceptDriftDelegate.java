package org.partneraccess.drift;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * The reviewer accepted the drift as it is: the stored finding this review is bound to is closed as accepted and
 * audited with the reviewer recorded at the decision; the same finding is not reviewed again.
 */
@Component
class AcceptDriftDelegate implements JavaDelegate {

    private final DriftReconciliation drift;

    AcceptDriftDelegate(DriftReconciliation drift) {
        this.drift = drift;
    }

    @Override
    public void execute(DelegateExecution execution) {
        drift.accept(execution);
    }
}
