package org.partneraccess.partnership;

import java.util.Map;

import org.camunda.bpm.engine.MismatchingMessageCorrelationException;
import org.camunda.bpm.engine.RuntimeService;
import org.springframework.stereotype.Service;

/** Delivers a lifecycle message to the partnership's process, which decides what it means in its current state. */
@Service
public class LifecycleTriggers {

    private final RuntimeService runtime;
    private final PartnershipService partnerships;

    LifecycleTriggers(RuntimeService runtime, PartnershipService partnerships) {
        this.runtime = runtime;
        this.partnerships = partnerships;
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
