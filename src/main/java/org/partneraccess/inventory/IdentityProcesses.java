package org.partneraccess.inventory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;

import org.camunda.bpm.engine.MismatchingMessageCorrelationException;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.partneraccess.Correlations;
import org.partneraccess.ProcessIds;
import org.partneraccess.Variables;
import org.springframework.stereotype.Service;

/**
 * Tells the process of a partner person or machine that its access ends, is suspended or is resumed, and passes on
 * what is asked of it (an elevation, a new secret): the one place that correlates messages to these processes, for
 * every sender (the partnership's bulk actions, the incident cut-off, incident reports, the expiry sweep, owner
 * continuity, the API). A process that does not wait for the message in its current state is left alone, and the
 * sender hears so. An instance of an earlier model version, which waits for the older trigger messages, is told by
 * those.
 */
@Service
public class IdentityProcesses {

    /** What a person or machine asks of its own process, through the API. */
    static final Set<String> REQUESTS = Set.of(ProcessIds.MESSAGE_IDENTITY_ELEVATION_REQUESTED,
            ProcessIds.MESSAGE_MACHINE_SCOPE_ELEVATION_REQUESTED, ProcessIds.MESSAGE_MACHINE_SECRET_RENEWAL_REQUESTED);

    /** What one message says: its name, its variables, and what an instance of an earlier model waits for instead. */
    public record Message(String name, Map<String, Object> variables, String legacyName, Map<String, Object> legacyVariables) {

        /** Access ends; {@code revokedAlready}: the sender revoked it and recorded it (the process only follows up). */
        public static Message accessEnds(AccessEndTrigger trigger, String reason, String actor, boolean revokedAlready) {
            Map<String, Object> variables = Map.of(Variables.REVOCATION_TRIGGER, trigger.name(),
                    Variables.REVOCATION_REASON, reason, Variables.TRIGGERED_BY, actor,
                    Variables.ACCESS_REVOKED, revokedAlready);
            Map<String, Object> legacy = new HashMap<>(variables);
            legacy.put(Variables.INCIDENT_REASON, reason);
            return new Message(ProcessIds.MESSAGE_IDENTITY_ACCESS_ENDS, variables, switch (trigger) {
                case IDENTITY_INCIDENT -> ProcessIds.MESSAGE_IDENTITY_INCIDENT_REPORTED;
                case PARTNER_INCIDENT -> ProcessIds.MESSAGE_PARTNER_INCIDENT_REPORTED;
                case PARTNERSHIP_TERMINATED -> ProcessIds.MESSAGE_PARTNERSHIP_TERMINATED;
                case ACCESS_ENDED -> ProcessIds.MESSAGE_ACCESS_END_DATE_REACHED;
                case UNUSED -> ProcessIds.MESSAGE_MACHINE_UNUSED_REVOKED;
            }, Map.copyOf(legacy));
        }

        public static Message suspended(String reason, String actor) {
            Map<String, Object> variables = Map.of(Variables.SUSPENSION_REASON, reason, Variables.TRIGGERED_BY, actor);
            return new Message(ProcessIds.MESSAGE_IDENTITY_ACCESS_SUSPENDED, variables,
                    ProcessIds.MESSAGE_PARTNERSHIP_SUSPENDED, variables);
        }

        public static Message resumed(String reason, String actor) {
            Map<String, Object> variables = Map.of(Variables.RESUMPTION_REASON, reason, Variables.TRIGGERED_BY, actor);
            return new Message(ProcessIds.MESSAGE_IDENTITY_ACCESS_RESUMED, variables,
                    ProcessIds.MESSAGE_PARTNERSHIP_RESUMED, variables);
        }
    }

    private final RuntimeService runtime;

    public IdentityProcesses(RuntimeService runtime) {
        this.runtime = runtime;
    }

    /** @return whether the active process of this person or machine took the message */
    public boolean tell(String identityId, Message message) {
        boolean told = false;
        for (ProcessInstance instance : active(identityId)) {
            told |= tellInstance(instance.getId(), message) > 0;
        }
        return told;
    }

    /**
     * Passes on what is asked of this person's or machine's process (one of {@link #REQUESTS}); the caller answers a
     * process that does not take it now with a refusal.
     *
     * @return whether its active process took the request
     */
    public boolean request(String identityId, String message, Map<String, Object> variables) {
        if (!REQUESTS.contains(message)) {
            throw new IllegalArgumentException(message + " is not a request to a person's or machine's process");
        }
        boolean taken = false;
        for (ProcessInstance instance : active(identityId)) {
            taken |= Correlations.retrying(message + " to " + identityId, () -> {
                try {
                    runtime.createMessageCorrelation(message).processInstanceId(instance.getId())
                            .setVariables(variables).correlateWithResult();
                    return true;
                } catch (MismatchingMessageCorrelationException notWaiting) {
                    return false;
                }
            });
        }
        return taken;
    }

    private List<ProcessInstance> active(String identityId) {
        return runtime.createProcessInstanceQuery().processInstanceBusinessKey(identityId)
                .processDefinitionKeyIn(ProcessIds.HUMAN_ACCESS_PROCESS, ProcessIds.MACHINE_ACCESS_PROCESS).active().list();
    }

    /** Tells the process of every person and machine of the partnership, in the caller's transaction. */
    public int tellPartnership(String partnershipKey, Message message) {
        int told = 0;
        for (String instance : instancesOf(partnershipKey)) {
            told += tellInstance(instance, message);
        }
        return told;
    }

    /**
     * As {@link #tellPartnership}, but each process in a transaction of its own on the given pool, so that one whose job
     * runs at that moment (an invitation, provisioning) conflicts with its own correlation only, which is tried again
     * at once, instead of failing the caller. A process that took an access end of the same trigger already is not
     * told again: a partner incident cut off twice (by its report while the process's step was held, then by that
     * step) would otherwise end a machine's retention early, deleting the client kept for investigation.
     */
    public int tellPartnershipEach(String partnershipKey, Message message, Executor pool) {
        Set<String> toldAlready = Set.of();
        Object trigger = message.variables().get(Variables.REVOCATION_TRIGGER);
        if (trigger != null) {
            toldAlready = runtime.createProcessInstanceQuery()
                    .processDefinitionKeyIn(ProcessIds.HUMAN_ACCESS_PROCESS, ProcessIds.MACHINE_ACCESS_PROCESS)
                    .variableValueEquals(Variables.PARTNERSHIP_KEY, partnershipKey)
                    .variableValueEquals(Variables.REVOCATION_TRIGGER, trigger).list().stream()
                    .map(ProcessInstance::getId).collect(Collectors.toSet());
        }
        List<CompletableFuture<Integer>> told = new ArrayList<>();
        for (String instance : instancesOf(partnershipKey)) {
            if (!toldAlready.contains(instance)) {
                told.add(CompletableFuture.supplyAsync(() -> tellInstance(instance, message), pool));
            }
        }
        return told.stream().mapToInt(CompletableFuture::join).sum();
    }

    private List<String> instancesOf(String partnershipKey) {
        return runtime.createProcessInstanceQuery()
                .processDefinitionKeyIn(ProcessIds.HUMAN_ACCESS_PROCESS, ProcessIds.MACHINE_ACCESS_PROCESS)
                .variableValueEquals(Variables.PARTNERSHIP_KEY, partnershipKey).list().stream()
                .map(ProcessInstance::getId).toList();
    }

    /** One correlation, tried again when a concurrent job of the instance committed first ({@link Correlations}). */
    private int tellInstance(String processInstanceId, Message message) {
        return Correlations.retrying(message.name() + " to " + processInstanceId, () -> {
            int told = correlate(processInstanceId, message.name(), message.variables());
            return told > 0 ? told : correlate(processInstanceId, message.legacyName(), message.legacyVariables());
        });
    }

    private int correlate(String processInstanceId, String name, Map<String, Object> variables) {
        return runtime.createMessageCorrelation(name).processInstanceId(processInstanceId).setVariables(variables)
                .correlateAllWithResult().size();
    }
}
