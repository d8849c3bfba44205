package org.partneraccess.revocation;

import java.util.Map;

import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.partneraccess.ProcessIds;
import org.partneraccess.Variables;
import org.springframework.stereotype.Service;

/**
 * Passes a partnership's lifecycle message on to the process of each of its people and machines (and, for a change the
 * registry made on its own, to the partnership's process). A process that does not wait for the message in its current
 * state is left alone.
 */
@Service
public class IdentityProcessRelay {

    private final RuntimeService runtime;

    IdentityProcessRelay(RuntimeService runtime) {
        this.runtime = runtime;
    }

    /** @return how many identity processes took the message */
    public int forward(String partnershipKey, String message, Map<String, Object> variables) {
        int delivered = 0;
        for (ProcessInstance instance : runtime.createProcessInstanceQuery()
                .processDefinitionKeyIn(ProcessIds.HUMAN_ACCESS_PROCESS, ProcessIds.MACHINE_ACCESS_PROCESS)
                .variableValueEquals(Variables.PARTNERSHIP_KEY, partnershipKey).list()) {
            delivered += runtime.createMessageCorrelation(message).processInstanceId(instance.getId())
                    .setVariables(variables).correlateAllWithResult().size();
        }
        return delivered;
    }

    /**
     * Tells the partnership's own process of a change the registry made without it (a suspension by the expiry sweep),
     * when it runs and waits for the message; a process that does not (suspended or deleted through the engine's API,
     * or past that point already) is left alone.
     *
     * @return whether the partnership's process took the message
     */
    public boolean toPartnershipProcess(String partnershipKey, String message, Map<String, Object> variables) {
        for (ProcessInstance instance : runtime.createProcessInstanceQuery().processInstanceBusinessKey(partnershipKey)
                .processDefinitionKey(ProcessIds.PARTNERSHIP_PROCESS).active().list()) {
            if (!runtime.createMessageCorrelation(message).processInstanceId(instance.getId()).setVariables(variables)
                    .correlateAllWithResult().isEmpty()) {
                return true;
            }
        }
        return false;
    }
}
