package org.partneraccess;

import java.util.function.Supplier;

import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.ProcessEnginePersistenceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The one retry behaviour of the application's message correlations: a job of the same instance may commit in between
 * (a notice being sent), an optimistic-locking conflict or, on some databases, a deadlock; both are transient and the
 * engine's advice is to try again, here after 50 ms, doubling, six tries in all.
 * <p>
 * The same race can show earlier, as the engine's {@value #PARENT_GONE} ("cannot resolve parent ... perhaps it was
 * deleted in the meantime"): the correlation has loaded an execution, a job of the instance then commits a change of
 * the execution tree that re-parents it and deletes its old parent (a concurrent branch ending), and when the
 * correlation next loads the whole tree its cached copy still names the deleted parent. The database cannot hold such
 * an orphan (a foreign key forbids it), so a new command reads a consistent tree: the conflict is as transient as an
 * optimistic-locking one, found before the flush instead of at it, and is tried again the same way.
 */
public final class Correlations {

    private static final Logger log = LoggerFactory.getLogger(Correlations.class);
    /** Tries of one correlation that meets a job of its instance committing at the same moment. */
    public static final int ATTEMPTS = 6;
    private static final long FIRST_PAUSE_MILLIS = 50;
    /** The engine's code for an execution whose parent is no longer in the tree it loaded. */
    static final String PARENT_GONE = "ENGINE-03077";

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
            } catch (ProcessEngineException failure) {
                if (!isTransient(failure) || attempt == ATTEMPTS
                        || TransactionSynchronizationManager.isActualTransactionActive()) {
                    throw failure;
                }
                log.debug("{} met a concurrent change, attempt {}: trying again", message, attempt);
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw failure;
                }
                pause *= 2;
            }
        }
    }

    /** By type, and for the tree race by the engine's message code, which leads its message. */
    static boolean isTransient(ProcessEngineException failure) {
        return failure instanceof OptimisticLockingException || failure instanceof ProcessEnginePersistenceException
                || failure.getMessage() != null && failure.getMessage().startsWith(PARENT_GONE + " ");
    }

    private Correlations() {
    }
}
