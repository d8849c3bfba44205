package org.partneraccess.revocation;

import java.util.Map;

import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.partneraccess.ProcessIds;
import org.partneraccess.Variables;
import org.springframework.stereotype.Service;

/**
 * Passes a partnership's lifecycle message on to the process of each of its people and machines. An identity process
 * that does not wait for the message in its current state is left alone.
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
}
