package org.partneraccess.human;

import static org.partneraccess.Variables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component
class MarkHumanUnderReviewDelegate implements JavaDelegate {

    private final HumanAccessService humans;

    MarkHumanUnderReviewDelegate(HumanAccessService humans) {
        this.humans = humans;
    }

    @Override
    public void execute(DelegateExecution execution) {
        humans.markUnderReview(subject(execution));
    }
}
