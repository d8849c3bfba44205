package org.partneraccess.partnership;

import java.util.Map;

import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.partneraccess.LifecycleState;
import org.partneraccess.ProcessIds;
import org.partneraccess.Variables;
import org.partneraccess.audit.AuditLog;
import org.partneraccess.audit.PartnershipAction;
import org.partneraccess.inventory.IdentityLifecycles;
import org.partneraccess.inventory.IdentityProcesses;
import org.partneraccess.inventory.IdentityRegistry;
import org.partneraccess.inventory.PartnerIdentity;
import org.partneraccess.inventory.IdentityNotFoundException;
import org.springframework.stereotype.Service;

/**
 * Delivers a lifecycle message to the process of a partnership or of one of its identities, which decides what it means
 * in its current state, through {@link PartnershipProcesses} and {@link IdentityProcesses}.
 */
@Service
public class LifecycleTriggers {

    private final RuntimeService runtime;
    private final HistoryService history;
    private final ManagementService management;
    private final PartnershipService partnerships;
    private final IdentityRegistry identities;
    private final AuditLog audit;
    private final PartnershipWithoutProcess withoutProcess;
    private final IdentityLifecycles lifecycles;
    private final PartnershipProcesses processes;
    private final IdentityProcesses identityProcesses;

    LifecycleTriggers(RuntimeService runtime, HistoryService history, ManagementService management,
                      PartnershipService partnerships, IdentityRegistry identities, AuditLog audit,
                      PartnershipWithoutProcess withoutProcess, IdentityLifecycles lifecycles,
                      PartnershipProcesses processes, IdentityProcesses identityProcesses) {
        this.processes = processes;
        this.identityProcesses = identityProcesses;
        this.withoutProcess = withoutProcess;
        this.lifecycles = lifecycles;
        this.runtime = runtime;
        this.history = history;
        this.management = management;
        this.partnerships = partnerships;
        this.identities = identities;
        this.audit = audit;
    }

    /** One scope change at a time: a second would overwrite the first one's request while it is reviewed. */
    public boolean scopeChangeUnderReview(String partnershipKey) {
        return inActivity(ProcessIds.PARTNERSHIP_PROCESS, partnershipKey, ProcessIds.SUBPROCESS_SCOPE_CHANGE_REVIEW);
    }

    /** Whether an active (not suspended) instance of the process runs for this business key. */
    public boolean running(String processDefinitionKey, String businessKey) {
        return runtime.createProcessInstanceQuery().processInstanceBusinessKey(businessKey)
                .processDefinitionKey(processDefinitionKey).active().count() > 0;
    }

    /**
     * Whether the active instance of the process for this business key holds work the engine will not run: a job that
     * is suspended while its instance is not, as after a Camunda administrator suspended the job definition of one of
     * its steps. A message it took may be waiting there for as long as the suspension lasts.
     */
    public boolean holdsSuspendedWork(String processDefinitionKey, String businessKey) {
        return instancesOf(processDefinitionKey, businessKey).stream().filter(instance -> !instance.isSuspended())
                .anyMatch(instance -> management.createJobQuery().processInstanceId(instance.getId()).suspended()
                        .count() > 0);
    }

    /** {@link #holdsSuspendedWork} for the process of one partner person or machine. */
    public boolean identityProcessHoldsSuspendedWork(String identityId) {
        return identities.find(identityId).map(identity -> holdsSuspendedWork(processOf(identity), identityId))
                .orElse(false);
    }

    /** Whether the process of this business key is inside the given activity now. */
    public boolean inActivity(String processDefinitionKey, String businessKey, String activityId) {
        return instancesOf(processDefinitionKey, businessKey).stream().anyMatch(instance -> history
                .createHistoricActivityInstanceQuery().processInstanceId(instance.getId()).activityId(activityId)
                .unfinished().count() > 0);
    }

    /** A list, not a single result: an administrator may have started a second instance for the same key. */
    private java.util.List<ProcessInstance> instancesOf(String processDefinitionKey, String businessKey) {
        return runtime.createProcessInstanceQuery().processInstanceBusinessKey(businessKey)
                .processDefinitionKey(processDefinitionKey).list();
    }

    /**
     * @throws PartnershipNotFoundException when there is no such partnership
     * @throws TriggerNotAcceptedException when its process does not wait for this message now
     */
    public void send(String partnershipKey, String message, Map<String, Object> variables) {
        processes.send(partnershipKey, message, variables);
    }

    /**
     * Ends the partnership and every identity of it, as a security officer decides; the process does the work. When
     * the process no longer runs (deleted or suspended through the engine's API) the registry ends it: ending access
     * never depends on the engine.
     *
     * @throws TriggerNotAcceptedException when the partnership has ended already, or its running process does not take
     *         a termination in its state
     */
    public void terminate(String partnershipKey, String reason, String actor) {
        try {
            send(partnershipKey, ProcessIds.MESSAGE_PARTNERSHIP_TERMINATED,
                    Map.of(Variables.REVOCATION_REASON, reason, Variables.TRIGGERED_BY, actor));
        } catch (TriggerNotAcceptedException notAccepted) {
            if (running(ProcessIds.PARTNERSHIP_PROCESS, partnershipKey)
                    || !withoutProcess.terminate(partnershipKey, reason, actor)) {
                throw notAccepted;
            }
        }
    }

    /**
     * Suspends the partnership and every identity of it, as a security officer decides; the process does the work.
     *
     * @throws TriggerNotAcceptedException when the partnership's process does not take a suspension in its state
     */
    public void suspend(String partnershipKey, String reason, String actor) {
        send(partnershipKey, ProcessIds.MESSAGE_PARTNERSHIP_SUSPENDED,
                Map.of(Variables.SUSPENSION_REASON, reason, Variables.TRIGGERED_BY, actor));
    }

    /**
     * Resumes a suspended partnership and re-enables its identities, as a security officer decides.
     *
     * @throws ResumptionWithoutProcessException when the partnership is suspended and its process does not run (its
     *         instance suspended or deleted in the engine): refused, audited, nothing changes
     * @throws TriggerNotAcceptedException when the partnership's process does not take a resumption in its state
     */
    public void resume(String partnershipKey, String reason, String actor) {
        try {
            send(partnershipKey, ProcessIds.MESSAGE_PARTNERSHIP_RESUMED,
                    Map.of(Variables.RESUMPTION_REASON, reason, Variables.TRIGGERED_BY, actor));
        } catch (TriggerNotAcceptedException notAccepted) {
            if (running(ProcessIds.PARTNERSHIP_PROCESS, partnershipKey)
                    || partnerships.get(partnershipKey).getState() != LifecycleState.SUSPENDED) {
                throw notAccepted;
            }
            // without its process nothing is resumed: no review or contract end would follow (a termination still ends it)
            ResumptionWithoutProcessException refused = new ResumptionWithoutProcessException(partnershipKey,
                    runtime.createProcessInstanceQuery().processInstanceBusinessKey(partnershipKey)
                            .processDefinitionKey(ProcessIds.PARTNERSHIP_PROCESS).suspended().count() > 0
                            ? ResumptionWithoutProcessException.Process.SUSPENDED
                            : ResumptionWithoutProcessException.Process.DELETED);
            audit.record(actor, PartnershipAction.RESUMPTION_PROCESS_UNAVAILABLE, partnershipKey, null, refused.auditDetail(reason));
            throw refused;
        }
    }

    /**
     * The business keys of the process's active (not suspended) instances that wait in the given activity, e.g. the
     * partnerships whose process waits for the resumption: one query, however many there are.
     */
    public java.util.Set<String> waitingIn(String processDefinitionKey, String activityId) {
        java.util.Set<String> keys = new java.util.HashSet<>();
        runtime.createProcessInstanceQuery().processDefinitionKey(processDefinitionKey).activityIdIn(activityId)
                .active().list().forEach(instance -> keys.add(instance.getBusinessKey()));
        return keys;
    }

    /**
     * Delivers a message to the process of one partner person or machine.
     *
     * @throws IdentityNotFoundException when there is no such identity
     * @throws TriggerNotAcceptedException when its process does not wait for this message now
     */
    public void sendToIdentity(String identityId, String message, Map<String, Object> variables) {
        PartnerIdentity identity = identities.find(identityId).orElseThrow(() -> new IdentityNotFoundException(identityId));
        if (!identityProcesses.request(identityId, message, variables)) {
            throw new TriggerNotAcceptedException("Identity " + identityId + " is " + identity.getState(), message);
        }
    }

    /**
     * Tells the process of one partner person or machine that its access ends, is suspended or resumed, through
     * {@link IdentityProcesses}.
     *
     * @throws IdentityNotFoundException when there is no such identity
     * @throws TriggerNotAcceptedException when its process does not wait for this message now
     */
    public void tellIdentity(String identityId, IdentityProcesses.Message message) {
        PartnerIdentity identity = identities.find(identityId).orElseThrow(() -> new IdentityNotFoundException(identityId));
        if (!identityProcesses.tell(identityId, message)) {
            throw new TriggerNotAcceptedException("Identity " + identityId + " is " + identity.getState(), message.name());
        }
    }

    /** Whether an active (not suspended) instance of the identity's process runs. */
    public boolean identityProcessRunning(String identityId) {
        return identities.find(identityId).map(identity -> running(processOf(identity), identityId)).orElse(false);
    }

    private String processOf(PartnerIdentity identity) {
        return lifecycles.of(identity.getKind()).processDefinitionKey();
    }
}
