package org.partneraccess.partnership;

import java.util.Map;

import org.camunda.bpm.engine.MismatchingMessageCorrelationException;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.ProcessEnginePersistenceException;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.partneraccess.ProcessIds;
import org.springframework.stereotype.Service;

/** Delivers a lifecycle message to the partnership's process, which decides what it means in its current state. */
@Service
public class LifecycleTriggers {

    static final int CORRELATION_ATTEMPTS = 5;

    private final RuntimeService runtime;
    private final HistoryService history;
    private final PartnershipService partnerships;

    LifecycleTriggers(RuntimeService runtime, HistoryService history, PartnershipService partnerships) {
        this.runtime = runtime;
        this.history = history;
        this.partnerships = partnerships;
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(50L * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while delivering a lifecycle message", e);
        }
    }

    /** One scope change at a time: a second would overwrite the first one's request while it is reviewed. */
    public boolean scopeChangeUnderReview(String partnershipKey) {
        ProcessInstance instance = runtime.createProcessInstanceQuery().processInstanceBusinessKey(partnershipKey)
                .processDefinitionKey(ProcessIds.PARTNERSHIP_PROCESS).singleResult();
        return instance != null && history.createHistoricActivityInstanceQuery().processInstanceId(instance.getId())
                .activityId(ProcessIds.SUBPROCESS_SCOPE_CHANGE_REVIEW).unfinished().count() > 0;
    }

    /**
     * @throws PartnershipNotFoundException when there is no such partnership
     * @throws TriggerNotAcceptedException when its process does not wait for this message now
     */
    public void send(String partnershipKey, String message, Map<String, Object> variables) {
        partnerships.get(partnershipKey);
        // a job of the same instance may commit in between (a notice being sent): an optimistic-locking conflict, or on
        // some databases a deadlock; both are transient, and the engine's advice is to try again
        for (int attempt = 1; ; attempt++) {
            try {
                runtime.createMessageCorrelation(message).processInstanceBusinessKey(partnershipKey)
                        .setVariables(variables).correlateWithResult();
                return;
            } catch (MismatchingMessageCorrelationException e) {
                throw new TriggerNotAcceptedException(partnershipKey, message, partnerships.get(partnershipKey).getState());
            } catch (OptimisticLockingException | ProcessEnginePersistenceException e) {
                if (attempt == CORRELATION_ATTEMPTS) {
                    throw e;
                }
                pause(attempt);
            }
        }
    }
}
