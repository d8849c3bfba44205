package org.partneraccess.expiry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.partneraccess.machine.MachineFixtures.*;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.partneraccess.LifecycleState;
import org.partneraccess.inventory.internal.PartnerIdentityRepository;
import org.partneraccess.keycloak.PartnerClients;
import org.partneraccess.operations.RegistryMetrics;
import org.partneraccess.support.ItFixtures;
import org.partneraccess.support.PartnerAccessTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** One node sweeps at a time: while another holds the sweep, this node's sweeps leave machines past their end alone. */
@PartnerAccessTest
class ExpirySweeperIT {

    @Autowired
    PartnerIdentityRepository identities;
    @Autowired
    PartnerClients partnerClients;
    @Autowired
    ExpirySweeper sweeper;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PlatformTransactionManager transactions;
    @Autowired
    RegistryMetrics metrics;
    @Autowired
    MeterRegistry meters;
    @Autowired
    ItFixtures fixtures;

    @Test
    void whileAnotherNodeSweepsThisOneSkipsItsTurnAndTheNextSweepRevokes() throws Exception {
        String partnership = fixtures.activePartnership();
        PartnerKey key = PartnerKey.generate();
        JsonNode machine = fixtures.activeMachine(partnership, registration("SIGNED_JWT", key));
        String id = machine.get("id").asText();
        String clientId = machine.get("clientId").asText();

        // "another node": a transaction holding the sweep's row, as a sweep in progress does
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> otherNode = CompletableFuture.runAsync(() -> new TransactionTemplate(transactions)
                .executeWithoutResult(status -> {
                    jdbc.queryForObject("select name from expiry_sweep where name = ? for update", String.class,
                            ExpirySweeper.SWEEP);
                    held.countDown();
                    try {
                        release.await(1, TimeUnit.MINUTES);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
        try {
            assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();
            jdbc.update("update partner_identity set end_date = ? where identity_id = ?",
                    Instant.now().minusSeconds(1).atOffset(ZoneOffset.UTC), id);

            assertThat(sweeper.sweep()).as("a sweep while another holds it").isZero();
            Thread.sleep(3_000); // three scheduled sweeps' turns
            assertThat(identities.findById(id).orElseThrow().getState()).isEqualTo(LifecycleState.ACTIVE);
            assertThat(partnerClients.findClient(clientId).orElseThrow().isEnabled()).isTrue();
            assertThat(machinesPastTheirEnd()).as("the operators' gauge shows the access outliving its end")
                    .isGreaterThanOrEqualTo(1);
        } finally {
            release.countDown();
            otherNode.get(1, TimeUnit.MINUTES);
        }

        await().atMost(Duration.ofSeconds(15)).until(() -> identities.findById(id).orElseThrow().getState()
                == LifecycleState.REVOKED);
        assertThat(partnerClients.findClient(clientId).orElseThrow().isEnabled()).isFalse();
        assertThat(tokenWithKey(fixtures.keycloakUrl(), clientId, key).statusCode()).isIn(400, 401);
        assertThat(machinesPastTheirEnd()).isEqualTo(jdbc.queryForObject("select count(*) from partner_identity where "
                + "kind = 'MACHINE' and state not in ('REVOKED', 'REJECTED') and end_date < ?", Long.class,
                Instant.now().atOffset(ZoneOffset.UTC)));
        assertThat(jdbc.queryForObject("select last_swept_at from expiry_sweep where name = ?", java.sql.Timestamp.class,
                ExpirySweeper.SWEEP).toInstant()).isAfter(identities.findById(id).orElseThrow().getEndDate());
    }

    private long machinesPastTheirEnd() {
        metrics.refresh();
        return (long) meters.get(RegistryMetrics.OVERDUE_EXPIRIES).tag("kind", "MACHINE").gauge().value();
    }
}
