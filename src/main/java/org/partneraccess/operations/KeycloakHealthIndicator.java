package org.partneraccess.operations;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.partneraccess.keycloak.PartnerRealm;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health contributor {@code keycloak}: the partner realm answers the application's own credential within a short
 * timeout. Part of readiness: without Keycloak nothing can be provisioned or revoked.
 */
@Component
class KeycloakHealthIndicator implements HealthIndicator, DisposableBean {

    private final PartnerRealm partnerRealm;
    private final Duration timeout;
    // the admin client's own read timeout is longer than a probe should wait; a stuck check finishes on its own
    private final ExecutorService checks = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "keycloak-health");
        thread.setDaemon(true);
        return thread;
    });

    KeycloakHealthIndicator(PartnerRealm partnerRealm, OperationsProperties properties) {
        this.partnerRealm = partnerRealm;
        this.timeout = properties.keycloakHealthTimeout();
    }

    @Override
    public Health health() {
        CompletableFuture<Void> check = CompletableFuture.runAsync(partnerRealm::checkAccess, checks);
        try {
            check.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return Health.up().build();
        } catch (TimeoutException e) {
            check.cancel(true);
            return Health.down().withDetail("error", "no answer within " + timeout).build();
        } catch (ExecutionException e) {
            // KeycloakCalls' messages name the operation and the HTTP status, never a credential
            return Health.down().withDetail("error", e.getCause().getMessage()).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.unknown().build();
        }
    }

    @Override
    public void destroy() {
        checks.shutdownNow();
    }
}
