package org.partneraccess.continuity;

import static org.partneraccess.Variables.*;
import static org.partneraccess.continuity.OwnerReassignmentVariables.*;

import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.stereotype.Component;

/** On completion of the reassignment task: a successor who could not take over is refused, the task stays open. */
@Component
class CheckSuccessorListener implements TaskListener {

    private final OwnerContinuity continuity;

    CheckSuccessorListener(OwnerContinuity continuity) {
        this.continuity = continuity;
    }

    @Override
    public void notify(DelegateTask task) {
        continuity.checkSuccessor(string(task, DEPARTED_USER), string(task, SUCCESSOR));
    }
}
