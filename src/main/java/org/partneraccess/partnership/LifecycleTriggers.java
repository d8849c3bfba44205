package org.partneraccess.partnership;

import java.util.Map;

import org.camunda.bpm.engine.MismatchingMessageCorrelationException;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.partneraccess.ProcessIds;
import org.springframework.stereotype.Service;

/** Delivers a lifecycle message to the partnership's process, which decides what it means in its current state. */
@Service
public class LifecycleTriggers {

    private final RuntimeService runtime;
    private final HistoryService history;
    private final PartnershipService partnerships;

    LifecycleTriggers(RuntimeService runtime, HistoryService history, PartnershipService partnerships) {
        this.runtime = runtime;
        this.history = history;
        this.partnerships = partnerships;
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
        try {
            runtime.createMessageCorrelation(message).processInstanceBusinessKey(partnershipKey)
                    .setVariables(variables).correlateWithResult();
        } catch (MismatchingMessageCorrelationException e) {
            throw new TriggerNotAcceptedException(partnershipKey, message, partnerships.get(partnershipKey).getState());
        }
    }
}
