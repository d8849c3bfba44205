package org.partneraccess.drift;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Writes the reviewer's decision into the stored finding, with the engine's authenticated user as who decided. Runs in
 * the transaction that completes the review task (not asynchronous), where that user is known.
 */
@Component
class RecordDriftDecisionDelegate implements JavaDelegate {

    private final DriftReconciliation drift;

    RecordDriftDecisionDelegate(DriftReconciliation drift) {
        this.drift = drift;
    }

    @Override
    public void execute(DelegateExecution execution) {
        drift.recordDecision(execution);
    }
}
