package org.partneraccess.revocation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

import org.camunda.bpm.engine.OptimisticLockingException;

import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.partneraccess.ProcessIds;
import org.partneraccess.Variables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;

/**
 * Passes a partnership's lifecycle message on to the process of each of its people and machines (and, for a change the
 * registry made on its own, to the partnership's process). A process that does not wait for the message in its current
 * state is left alone.
 */
@Service
public class IdentityProcessRelay {

    private static final Logger log = LoggerFactory.getLogger(IdentityProcessRelay.class);
    /** Tries of one correlation that meets a job of its instance running at the same moment. */
    private static final int CORRELATION_ATTEMPTS = 6;
    private static final long FIRST_PAUSE_MILLIS = 50;

    private final RuntimeService runtime;
    private final ExecutorService pool;

    IdentityProcessRelay(RuntimeService runtime, @Qualifier(RevocationConfiguration.POOL) ExecutorService pool) {
        this.runtime = runtime;
        this.pool = pool;
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
     * As {@link #forward}, but each identity process is told in a transaction of its own, on the revocation pool, so
     * that a process whose job runs at that moment (an invitation, provisioning) conflicts with its own correlation
     * only, which is tried again at once, instead of failing the caller's job and waiting for its retry.
     *
     * @return how many identity processes took the message
     */
    public int forwardEach(String partnershipKey, String message, Map<String, Object> variables) {
        List<CompletableFuture<Integer>> told = new ArrayList<>();
        for (ProcessInstance instance : runtime.createProcessInstanceQuery()
                .processDefinitionKeyIn(ProcessIds.HUMAN_ACCESS_PROCESS, ProcessIds.MACHINE_ACCESS_PROCESS)
                .variableValueEquals(Variables.PARTNERSHIP_KEY, partnershipKey).list()) {
            told.add(CompletableFuture.supplyAsync(() -> correlate(instance.getId(), message, variables), pool));
        }
        return told.stream().mapToInt(CompletableFuture::join).sum();
    }

    /** A thread of the pool has no command or transaction of the engine: each correlation commits on its own. */
    private int correlate(String processInstanceId, String message, Map<String, Object> variables) {
        long pause = FIRST_PAUSE_MILLIS;
        for (int attempt = 1; ; attempt++) {
            try {
                return runtime.createMessageCorrelation(message).processInstanceId(processInstanceId)
                        .setVariables(variables).correlateAllWithResult().size();
            } catch (OptimisticLockingException conflict) {
                if (attempt == CORRELATION_ATTEMPTS) {
                    throw conflict;
                }
                log.debug("{} to {} met a concurrent change, attempt {}: trying again", message, processInstanceId, attempt);
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw conflict;
                }
                pause *= 2;
            }
        }
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
