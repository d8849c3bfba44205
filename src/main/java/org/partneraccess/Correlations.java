package org.partneraccess;

import java.util.function.Supplier;

import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.ProcessEnginePersistenceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The one retry behaviour of the application's message correlations: a job of the same instance may commit in between
 * (a notice being sent), an optimistic-locking conflict or, on some databases, a deadlock; both are transient and the
 * engine's advice is to try again, here after 50 ms, doubling, six tries in all.
 */
public final class Correlations {

    private static final Logger log = LoggerFactory.getLogger(Correlations.class);
    /** Tries of one correlation that meets a job of its instance committing at the same moment. */
    public static final int ATTEMPTS = 6;
    private static final long FIRST_PAUSE_MILLIS = 50;

    /**
     * Runs the correlation, tried again on a transient conflict. Inside the caller's transaction the failed command has
     * marked it for roll-back already, so a second try could not commit: the conflict is the caller's at once, and its
     * own retry applies (a job's, the next sweep's).
     */
    public static <T> T retrying(String message, Supplier<T> correlation) {
        long pause = FIRST_PAUSE_MILLIS;
        for (int attempt = 1; ; attempt++) {
            try {
                return correlation.get();
            } catch (OptimisticLockingException | ProcessEnginePersistenceException conflict) {
                if (attempt == ATTEMPTS || TransactionSynchronizationManager.isActualTransactionActive()) {
                    throw conflict;
                }
                log.debug("{} met a concurrent change, attempt {}: trying again", message, attempt);
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

    private Correlations() {
    }
}
