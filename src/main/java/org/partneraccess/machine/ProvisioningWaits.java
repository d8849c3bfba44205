package org.partneraccess.machine;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Lets a registering request answer once its auto-approved machine's client exists, so that the partner's first token
 * request after the {@code 201} succeeds. The provisioning job stays the record and the retry path: the start
 * transaction's commit hints this node's job executor, so the job usually runs here; when it runs on another node,
 * fails or waits for a retry, the request answers after the bound with the state the registry has then.
 */
@Component
class ProvisioningWaits {

    /** A machine's client committed to the registry as provisioned. */
    record Provisioned(String identityId) {
    }

    private final Map<String, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();
    private final Duration bound;

    ProvisioningWaits(MachineProperties properties) {
        this.bound = properties.provisioningWait();
    }

    /** Taken before the process starts: its job may end before the request asks. */
    Wait expect(String identityId) {
        CompletableFuture<Void> provisioned = new CompletableFuture<>();
        waiting.put(identityId, provisioned);
        return new Wait(identityId, provisioned);
    }

    @TransactionalEventListener
    void provisioned(Provisioned event) {
        CompletableFuture<Void> provisioned = waiting.get(event.identityId());
        if (provisioned != null) {
            provisioned.complete(null);
        }
    }

    final class Wait implements AutoCloseable {

        private final String identityId;
        private final CompletableFuture<Void> provisioned;

        private Wait(String identityId, CompletableFuture<Void> provisioned) {
            this.identityId = identityId;
            this.provisioned = provisioned;
        }

        /** At most the bound; a request that was not answered in time is answered anyway. */
        void await() {
            try {
                provisioned.get(bound.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // the job goes on without the request
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            waiting.remove(identityId, provisioned);
        }
    }
}
