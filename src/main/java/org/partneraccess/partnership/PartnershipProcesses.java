package org.partneraccess.partnership;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.MismatchingMessageCorrelationException;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.partneraccess.Correlations;
import org.partneraccess.ProcessIds;
import org.partneraccess.security.EngineCaller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Service;

/**
 * Starts the partnership's process and tells it each of its messages: the one place that does, for every sender (the
 * API and the dashboard, incident reports, owner continuity, the expiry sweep). A message goes to the active instance
 * of the partnership key, tried again on a transient conflict ({@link Correlations}).
 */
@Service
public class PartnershipProcesses {

    private static final Logger log = LoggerFactory.getLogger(PartnershipProcesses.class);
    /** What the partnership's process takes; its people and machines are told through IdentityProcesses. */
    static final Set<String> MESSAGES = Set.of(ProcessIds.MESSAGE_PARTNER_INCIDENT_REPORTED,
            ProcessIds.MESSAGE_PARTNERSHIP_TERMINATED, ProcessIds.MESSAGE_PARTNERSHIP_SUSPENDED,
            ProcessIds.MESSAGE_PARTNERSHIP_RESUMED, ProcessIds.MESSAGE_PARTNER_RISK_DOWNGRADED,
            ProcessIds.MESSAGE_PARTNERSHIP_SCOPE_CHANGE_REQUESTED);

    private final RuntimeService runtime;
    private final IdentityService identity;
    private final PartnershipService partnerships;

    PartnershipProcesses(RuntimeService runtime, IdentityService identity, PartnershipService partnerships) {
        this.runtime = runtime;
        this.identity = identity;
        this.partnerships = partnerships;
    }

    /**
     * Starts the process of a requested partnership as the requester, whom the engine records as its initiator and
     * whose request its start checks again. Not tried again: a start meets no concurrent job, and a failed one is the
     * request's answer.
     */
    void start(String partnershipKey, Map<String, Object> variables, Authentication requester) {
        EngineCaller.as(identity, requester,
                () -> runtime.startProcessInstanceByKey(ProcessIds.PARTNERSHIP_PROCESS, partnershipKey, variables));
    }

    /**
     * Tells the partnership's process what someone asks of it (a security officer, an incident reporter, a requester,
     * owner continuity): a process that does not take it now is a refusal the sender hears of.
     *
     * @throws PartnershipNotFoundException when there is no such partnership
     * @throws TriggerNotAcceptedException when no active process of the partnership waits for this message (its
     *         state, or its instance suspended or deleted through the engine's API)
     */
    public void send(String partnershipKey, String message, Map<String, Object> variables) {
        partnerships.get(partnershipKey);
        if (!tellIfWaiting(partnershipKey, message, variables)) {
            throw new TriggerNotAcceptedException("Partnership " + partnershipKey + " is "
                    + partnerships.get(partnershipKey).getState(), message);
        }
    }

    /**
     * Tells the partnership's process of what the registry did without it (the sweep's suspension): a process that
     * does not wait for it (past that point, or its instance suspended or deleted) is left alone, since the registry
     * holds the change either way.
     *
     * @return whether the process took the message
     */
    public boolean tellIfWaiting(String partnershipKey, String message, Map<String, Object> variables) {
        if (!MESSAGES.contains(message)) {
            throw new IllegalArgumentException(message + " is not a message of " + ProcessIds.PARTNERSHIP_PROCESS);
        }
        List<ProcessInstance> instances = runtime.createProcessInstanceQuery().processInstanceBusinessKey(partnershipKey)
                .processDefinitionKey(ProcessIds.PARTNERSHIP_PROCESS).active().list();
        if (instances.size() > 1) {
            // only an administrator starts a second one; each holds the partnership's access, so a revocation reaches all
            log.warn("{} active processes of partnership {}: {} goes to each", instances.size(), partnershipKey, message);
        }
        boolean told = false;
        for (ProcessInstance instance : instances) {
            told |= Correlations.retrying(message + " to " + partnershipKey, () -> correlate(instance.getId(), message,
                    variables));
        }
        return told;
    }

    private boolean correlate(String processInstanceId, String message, Map<String, Object> variables) {
        try {
            runtime.createMessageCorrelation(message).processInstanceId(processInstanceId).setVariables(variables)
                    .correlateWithResult();
            return true;
        } catch (MismatchingMessageCorrelationException notWaiting) {
            return false;
        }
    }
}
