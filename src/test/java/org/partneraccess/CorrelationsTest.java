package org.partneraccess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;

import org.camunda.bpm.engine.MismatchingMessageCorrelationException;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.impl.ProcessEngineLogger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionSynchronizationManager;

class CorrelationsTest {

    private final AtomicInteger tries = new AtomicInteger();

    @AfterEach
    void noTransaction() {
        TransactionSynchronizationManager.setActualTransactionActive(false);
    }

    @Test
    void aConflictWithAConcurrentJobIsTriedAgain() {
        assertThat(Correlations.retrying("m", () -> {
            if (tries.incrementAndGet() < 3) {
                throw new OptimisticLockingException("a job of the instance committed first");
            }
            return true;
        })).isTrue();
        assertThat(tries).hasValue(3);
    }

    /** The engine's own exception, so that a change of its code or message fails here. */
    @Test
    void aParentDeletedByAConcurrentJobIsTriedAgain() {
        assertThat(Correlations.retrying("m", () -> {
            if (tries.incrementAndGet() < 3) {
                throw ProcessEngineLogger.PERSISTENCE_LOGGER.resolveParentOfExecutionFailedException("parent", "child");
            }
            return true;
        })).isTrue();
        assertThat(tries).hasValue(3);
    }

    @Test
    void aParentThatStaysMissingFailsAfterTheLastTry() {
        ProcessEngineException parentGone = ProcessEngineLogger.PERSISTENCE_LOGGER
                .resolveParentOfExecutionFailedException("parent", "child");
        assertThatThrownBy(() -> Correlations.retrying("m", () -> {
            tries.incrementAndGet();
            throw parentGone;
        })).isSameAs(parentGone);
        assertThat(tries).hasValue(Correlations.ATTEMPTS);
    }

    /** Another engine failure of the same component (a missing execution) is not a race and is not tried again. */
    @Test
    void anotherEngineFailureIsNotTriedAgain() {
        ProcessEngineException notFound = ProcessEngineLogger.PERSISTENCE_LOGGER.executionNotFoundException("child");
        assertThatThrownBy(() -> Correlations.retrying("m", () -> {
            tries.incrementAndGet();
            throw notFound;
        })).isSameAs(notFound);
        assertThat(tries).hasValue(1);
    }

    @Test
    void aLastingConflictFailsAfterTheLastTry() {
        assertThatThrownBy(() -> Correlations.retrying("m", () -> {
            tries.incrementAndGet();
            throw new OptimisticLockingException("always");
        })).isInstanceOf(OptimisticLockingException.class);
        assertThat(tries).hasValue(Correlations.ATTEMPTS);
    }

    @Test
    void insideTheCallersTransactionTheConflictIsTheCallersAtOnce() {
        TransactionSynchronizationManager.setActualTransactionActive(true);
        assertThatThrownBy(() -> Correlations.retrying("m", () -> {
            tries.incrementAndGet();
            throw new OptimisticLockingException("a job of the instance committed first");
        })).isInstanceOf(OptimisticLockingException.class);
        assertThat(tries).hasValue(1);
    }

    @Test
    void anythingElseIsNotTriedAgain() {
        assertThatThrownBy(() -> Correlations.retrying("m", () -> {
            tries.incrementAndGet();
            throw new MismatchingMessageCorrelationException("m", "no execution waits");
        })).isInstanceOf(MismatchingMessageCorrelationException.class);
        assertThat(tries).hasValue(1);
    }
}
