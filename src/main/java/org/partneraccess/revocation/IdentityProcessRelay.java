package org.partneraccess.revocation;

import java.util.Map;
import java.util.concurrent.ExecutorService;

import org.partneraccess.inventory.IdentityProcesses;
import org.partneraccess.partnership.PartnershipProcesses;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;

/**
 * Passes a partnership's decision on to the process of each of its people and machines through
 * {@link IdentityProcesses}, and tells the partnership's own process of a change the registry made on its own, through
 * {@link PartnershipProcesses}. A process that does not wait for the message in its current state is left alone.
 */
@Service
public class IdentityProcessRelay {

    private final PartnershipProcesses partnershipProcesses;
    private final IdentityProcesses processes;
    private final ExecutorService pool;

    IdentityProcessRelay(PartnershipProcesses partnershipProcesses, IdentityProcesses processes,
                         @Qualifier(RevocationConfiguration.POOL) ExecutorService pool) {
        this.partnershipProcesses = partnershipProcesses;
        this.processes = processes;
        this.pool = pool;
    }

    /** @return how many identity processes took the message */
    public int forward(String partnershipKey, IdentityProcesses.Message message) {
        return processes.tellPartnership(partnershipKey, message);
    }

    /**
     * As {@link #forward}, but each identity process is told in a transaction of its own, on the revocation pool, so
     * that a process whose job runs at that moment (an invitation, provisioning) conflicts with its own correlation
     * only, which is tried again at once, instead of failing the caller's job and waiting for its retry.
     *
     * @return how many identity processes took the message
     */
    public int forwardEach(String partnershipKey, IdentityProcesses.Message message) {
        return processes.tellPartnershipEach(partnershipKey, message, pool);
    }

    /**
     * Tells the partnership's own process of a change the registry made without it (a suspension by the expiry sweep),
     * when it runs and waits for the message; a process that does not (suspended or deleted through the engine's API,
     * or past that point already) is left alone.
     *
     * @return whether the partnership's process took the message
     */
    public boolean toPartnershipProcess(String partnershipKey, String message, Map<String, Object> variables) {
        return partnershipProcesses.tellIfWaiting(partnershipKey, message, variables);
    }
}
