package org.partneraccess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;

import org.camunda.bpm.engine.MismatchingMessageCorrelationException;
import org.camunda.bpm.engine.OptimisticLockingException;
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
