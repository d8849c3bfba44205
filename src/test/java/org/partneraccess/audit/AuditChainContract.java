package org.partneraccess.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The audit chains on a real database, the same for each the application runs on: appends of two partnerships in
 * transactions of their own do not wait for each other, two first appends of a new chain both land, one after the
 * other, and every kind of tampering is named by the verification, against signed checkpoints.
 */
public abstract class AuditChainContract {

    /** A fresh, empty database of the kind under test. */
    protected abstract DataSource freshDatabase() throws Exception;

    private DataSource database;
    private JdbcTemplate jdbc;
    private TransactionTemplate transactions;
    private TestSigner signer;
    private AuditCheckpoints checkpoints;
    private AuditLog audit;
    private ExecutorService threads;

    @BeforeEach
    public void schema() throws Exception {
        database = freshDatabase();
        Flyway.configure().dataSource(database).locations("classpath:db/migration")
                .table("partner_access_schema_history").load().migrate();
        jdbc = new JdbcTemplate(database);
        DataSourceTransactionManager manager = new DataSourceTransactionManager(database);
        transactions = new TransactionTemplate(manager);
        signer = new TestSigner();
        checkpoints = new AuditCheckpoints(jdbc, signer);
        audit = new AuditLog(null, jdbc, checkpoints);
        threads = Executors.newCachedThreadPool();
    }

    @AfterEach
    public void stop() {
        threads.shutdownNow();
    }

    @Test
    public void eachPartnershipHasAChainOfItsOwnAndEntriesWithoutOneAnother() {
        record("acme", "first");
        record("globex", "first");
        record(null, "first");
        record("acme", "second");

        assertThat(jdbc.queryForList("select chain_key || ':' || chain_position from audit_event order by id",
                String.class)).containsExactly("acme:1", "globex:1", "-:1", "acme:2");
        List<AuditEvent> acme = entriesOf("acme");
        assertThat(acme.get(0).getPreviousHash()).isEqualTo(AuditLog.GENESIS);
        assertThat(acme.get(1).getPreviousHash()).isEqualTo(acme.get(0).getHash());
        assertThat(jdbc.queryForList("select distinct hash_version from audit_event", Integer.class))
                .containsExactly(AuditLog.CURRENT_HASH_VERSION);
        assertThat(audit.verify().intact()).isTrue();
        assertThat(audit.checkEntries(acme)).containsOnlyNulls();
    }

    @Test
    public void anAppendWaitsOnlyForItsOwnPartnershipsChain() throws Exception {
        record("acme", "first");
        CountDownLatch release = new CountDownLatch(1);
        // acme's transaction has appended and holds its chain's head until it commits
        Future<?> holding = heldOpen("acme", "held open", release);
        try {
            // another partnership's append commits meanwhile
            threads.submit(() -> record("globex", "not waiting")).get(10, TimeUnit.SECONDS);
            assertThat(entriesOf("globex")).extracting(AuditEvent::getDetail).containsExactly("not waiting");
            // a second append to acme waits for the first
            Future<?> sameChain = threads.submit(() -> record("acme", "after the held one"));
            assertThat(finishesWithin(sameChain, 1000)).isFalse();
            release.countDown();
            holding.get(10, TimeUnit.SECONDS);
            sameChain.get(10, TimeUnit.SECONDS);
        } finally {
            release.countDown();
        }
        assertThat(entriesOf("acme")).extracting(AuditEvent::getDetail)
                .containsExactly("first", "held open", "after the held one");
        assertThat(entriesOf("acme")).extracting(AuditEvent::getChainPosition).containsExactly(1L, 2L, 3L);
        assertThat(audit.verify().intact()).isTrue();
    }

    @Test
    public void twoFirstAppendsOfANewChainBothLandOneAfterTheOther() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Future<?> first = heldOpen("initech", "first", release);
        // the chain's head row is inserted but not committed: the second first append waits for it
        Future<?> second = threads.submit(() -> record("initech", "second"));
        try {
            assertThat(finishesWithin(second, 1000)).isFalse();
        } finally {
            release.countDown();
        }
        first.get(10, TimeUnit.SECONDS);
        second.get(10, TimeUnit.SECONDS);
        assertThat(entriesOf("initech")).extracting(AuditEvent::getDetail).containsExactly("first", "second");
        assertThat(entriesOf("initech")).extracting(AuditEvent::getChainPosition).containsExactly(1L, 2L);

        // eight first appends of another new chain released at the same moment
        CyclicBarrier start = new CyclicBarrier(8);
        List<Future<?>> racing = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String detail = "racer " + i;
            racing.add(threads.submit(() -> {
                start.await(10, TimeUnit.SECONDS);
                record("umbrella", detail);
                return null;
            }));
        }
        for (Future<?> racer : racing) {
            racer.get(30, TimeUnit.SECONDS);
        }
        assertThat(entriesOf("umbrella")).extracting(AuditEvent::getChainPosition)
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
        assertThat(jdbc.queryForObject("select count(*) from audit_chain_head where chain_key = 'umbrella'",
                Integer.class)).isOne();
        assertThat(audit.verify().intact()).isTrue();
    }

    @Test
    public void aChangedEntryIsNamed() {
        for (int i = 0; i < 3; i++) {
            record("acme", "entry " + i);
        }
        long changed = entriesOf("acme").get(1).getId();
        jdbc.update("update audit_event set detail = 'changed' where id = ?", changed);

        AuditLog.Verification broken = audit.verify();
        assertThat(broken.intact()).isFalse();
        assertThat(broken.firstBrokenEntry()).isEqualTo(changed);
        assertThat(broken.problem()).contains("was changed");
        assertThat(audit.checkEntries(entriesOf("acme"))).containsExactly(null, broken.problem(), null);
    }

    @Test
    public void aRemovedEntryInsideAChainIsNamedByTheEntryAfterIt() {
        for (int i = 0; i < 3; i++) {
            record("acme", "entry " + i);
            record("globex", "entry " + i);
        }
        List<AuditEvent> acme = entriesOf("acme");
        jdbc.update("delete from audit_event where id = ?", acme.get(1).getId());

        AuditLog.Verification broken = audit.verify();
        assertThat(broken.firstBrokenEntry()).isEqualTo(acme.get(2).getId());
        assertThat(broken.problem()).contains("an entry before it was removed or changed");
        assertThat(audit.checkEntries(List.of(acme.get(2)))).containsExactly(broken.problem());
        assertThat(audit.checkEntries(entriesOf("globex"))).containsOnlyNulls();
    }

    @Test
    public void entriesRemovedFromAChainsEndBeforeTheCheckpointAreNamed() {
        for (int i = 0; i < 3; i++) {
            record("acme", "entry " + i);
        }
        record("globex", "other");
        assertThat(checkpoints.checkpoint()).contains(1L);
        List<AuditEvent> acme = entriesOf("acme");
        // the tail is removed and the head row rewound, so the chain itself looks whole
        jdbc.update("delete from audit_event where id = ?", acme.get(2).getId());
        jdbc.update("update audit_chain_head set chain_position = 2, hash = ?, entry_id = ? where chain_key = 'acme'",
                acme.get(1).getHash(), acme.get(1).getId());

        AuditLog.Verification broken = audit.verify();
        assertThat(broken.intact()).isFalse();
        assertThat(broken.firstBrokenEntry()).isEqualTo(acme.get(2).getId());
        assertThat(broken.problem()).startsWith("entry is gone: the signed checkpoint 1 of")
                .contains("head of chain acme at position 3").contains("entries were removed from its end");
        assertThat(broken.checkpoint()).isEqualTo(1L);
        // and a later checkpoint does not bury it
        record("globex", "moves on");
        assertThat(checkpoints.checkpoint()).isEmpty();
        assertThat(audit.verify().firstBrokenEntry()).isEqualTo(acme.get(2).getId());
    }

    @Test
    public void aTailRemovedAfterTheCheckpointIsNamedByTheNextAppendToItsChain() {
        record("acme", "checkpointed");
        checkpoints.checkpoint();
        record("acme", "after the checkpoint");
        AuditEvent removed = entriesOf("acme").get(1);
        jdbc.update("delete from audit_event where id = ?", removed.getId());
        // the chain alone still looks whole: this is the window a checkpoint interval leaves
        assertThat(audit.verify().intact()).isTrue();

        record("acme", "next");
        AuditLog.Verification broken = audit.verify();
        assertThat(broken.firstBrokenEntry()).isEqualTo(entriesOf("acme").get(1).getId());
        assertThat(broken.problem()).contains("an entry before it was removed or changed");
    }

    @Test
    public void aChainRewrittenFromACheckpointedEntryOnIsNamed() {
        record("acme", "one");
        record("acme", "two");
        checkpoints.checkpoint();
        AuditEvent head = entriesOf("acme").get(1);
        // recomputed consistently, as anyone who can write the table can: only the signed head tells
        String forged = AuditLog.hash(3, head.getPreviousHash(), head.getOccurredAt(), head.getActorKind(),
                head.getActor(), head.getAction(), head.getPartnershipKey(), head.getIdentityId(), "rewritten",
                "acme", 2);
        jdbc.update("update audit_event set detail = 'rewritten', hash = ? where id = ?", forged, head.getId());

        AuditLog.Verification broken = audit.verify();
        assertThat(broken.firstBrokenEntry()).isEqualTo(head.getId());
        assertThat(broken.problem()).contains("differs from the signed checkpoint 1");
    }

    @Test
    public void aLoweredHashVersionIsNamed() {
        record("acme", "one");
        record("acme", "two");
        AuditEvent lowered = entriesOf("acme").get(1);
        jdbc.update("update audit_event set hash_version = 2 where id = ?", lowered.getId());
        assertThat(audit.verify().firstBrokenEntry()).isEqualTo(lowered.getId());
        assertThat(audit.verify().problem()).contains("was changed");

        // nor does it help to move it into the legacy segment
        jdbc.update("update audit_event set chain_key = null, chain_position = null where id = ?", lowered.getId());
        assertThat(audit.verify().firstBrokenEntry()).isEqualTo(lowered.getId());
    }

    @Test
    public void aForgedCheckpointFailsTheVerification() throws Exception {
        record("acme", "one");
        record("acme", "two");
        checkpoints.checkpoint();
        assertThat(audit.verify().intact()).isTrue();

        // a head lowered in the checkpoint's rows, to hide a removal: the signed digest does not match
        jdbc.update("update audit_checkpoint_head set chain_position = 1 where chain_key = 'acme'");
        AuditLog.Verification broken = audit.verify();
        assertThat(broken.intact()).isFalse();
        assertThat(broken.firstBrokenEntry()).isNull();
        assertThat(broken.problem()).contains("the newest checkpoint (1) signed other heads");
        // nor is a new checkpoint signed over it, which would bury the forgery
        record("acme", "three");
        assertThat(checkpoints.checkpoint()).isEmpty();
        jdbc.update("update audit_checkpoint_head set chain_position = 2 where chain_key = 'acme'");
        assertThat(audit.verify().intact()).isTrue();

        // the statement changed to match, and a new checkpoint row signed by no one
        String signed = jdbc.queryForObject("select signed from audit_checkpoint where sequence = 1", String.class);
        ObjectNode file = (ObjectNode) new ObjectMapper().readTree(signed);
        ((ObjectNode) file.get("receipt")).put("chains", 7);
        jdbc.update("update audit_checkpoint set signed = ? where sequence = 1", file.toString());
        assertThat(audit.verify().problem()).contains("the newest checkpoint (1) does not verify");
        jdbc.update("update audit_checkpoint set signed = ? where sequence = 1", signed);
        jdbc.update("insert into audit_checkpoint (sequence, issued_at, heads_digest, signed) "
                + "select 2, issued_at, heads_digest, signed from audit_checkpoint where sequence = 1");
        assertThat(audit.verify().problem()).contains("the newest checkpoint (2) is not what its signed statement says");
    }

    @Test
    public void aCheckpointIsMadeOnlyWhenAHeadMoved() {
        assertThat(checkpoints.checkpoint()).contains(1L);
        assertThat(checkpoints.checkpoint()).isEmpty();
        record("acme", "one");
        assertThat(checkpoints.checkpoint()).contains(2L);
        assertThat(checkpoints.checkpoint()).isEmpty();
        assertThat(signer.problem(checkpoints.newestSigned().orElseThrow())).isNull();
    }

    @Test
    public void aKeyMadeAtStartSignsTheHeadsAgainAtOnceAndNoOtherKeyDoes() {
        record("acme", "one");
        assertThat(checkpoints.checkpoint()).contains(1L);
        // a restart with another key: the earlier checkpoint cannot verify with it
        AuditCheckpoints kept = new AuditCheckpoints(jdbc, new TestSigner());
        kept.signAgainWithAKeyMadeAtStart();
        assertThat(new AuditLog(null, jdbc, kept).verify().intact()).as("a configured key signs over nothing").isFalse();
        AuditCheckpoints madeAtStart = new AuditCheckpoints(jdbc, new TestSigner(true));
        madeAtStart.signAgainWithAKeyMadeAtStart();
        assertThat(new AuditLog(null, jdbc, madeAtStart).verify().intact()).isTrue();
        assertThat(jdbc.queryForObject("select max(sequence) from audit_checkpoint", Long.class)).isEqualTo(2L);
    }

    private void record(String partnershipKey, String detail) {
        transactions.executeWithoutResult(status -> audit.record("system", IdentityAction.IDENTITY_PROVISIONED,
                partnershipKey, "id-1", detail));
    }

    List<AuditEvent> entriesOf(String chain) {
        return jdbc.query("select id from audit_event where chain_key = ? order by chain_position",
                (rs, n) -> rs.getLong(1), chain).stream().map(this::event).toList();
    }

    private AuditEvent event(long id) {
        return jdbc.queryForObject("select * from audit_event where id = ?", (rs, n) -> {
            AuditEvent event = new AuditEvent();
            set(event, "id", rs.getLong("id"));
            set(event, "occurredAt", rs.getObject("occurred_at", java.time.OffsetDateTime.class).toInstant());
            set(event, "actorKind", ActorKind.valueOf(rs.getString("actor_kind")));
            set(event, "actor", rs.getString("actor"));
            set(event, "action", rs.getString("action"));
            set(event, "partnershipKey", rs.getString("partnership_key"));
            set(event, "identityId", rs.getString("identity_id"));
            set(event, "detail", rs.getString("detail"));
            set(event, "previousHash", rs.getString("previous_hash"));
            set(event, "hash", rs.getString("hash"));
            set(event, "hashVersion", rs.getInt("hash_version"));
            set(event, "chainKey", rs.getString("chain_key"));
            long position = rs.getLong("chain_position");
            set(event, "chainPosition", rs.wasNull() ? null : position);
            return event;
        }, id);
    }

    private static void set(AuditEvent event, String field, Object value) {
        try {
            var declared = AuditEvent.class.getDeclaredField(field);
            declared.setAccessible(true);
            declared.set(event, value);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An append whose transaction has written its entry and waits at its commit until released. */
    private Future<?> heldOpen(String partnershipKey, String detail, CountDownLatch release) throws InterruptedException {
        CountDownLatch appended = new CountDownLatch(1);
        Future<?> holding = threads.submit(() -> transactions.executeWithoutResult(status -> {
            audit.record("system", IdentityAction.IDENTITY_PROVISIONED, partnershipKey, "id-1", detail);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void beforeCommit(boolean readOnly) {
                    appended.countDown();
                    await(release);
                }
            });
        }));
        assertThat(appended.await(10, TimeUnit.SECONDS)).isTrue();
        return holding;
    }

    private static boolean finishesWithin(Future<?> future, long millis) throws Exception {
        try {
            future.get(millis, TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Signs with a key the database does not hold, as the receipts' key; the file has the receipts' shape. */
    static final class TestSigner implements CheckpointSigner {

        private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
        private final byte[] key = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
        private final boolean madeAtStart;

        TestSigner() {
            this(false);
        }

        TestSigner(boolean madeAtStart) {
            this.madeAtStart = madeAtStart;
        }

        @Override
        public Optional<String> sign(Map<String, Object> statement) {
            try {
                String payload = JSON.writeValueAsString(statement);
                return Optional.of(JSON.writeValueAsString(Map.of("receipt", JSON.readTree(payload),
                        "jws", mac(payload))));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String problem(String signedFile) {
            try {
                var file = JSON.readTree(signedFile);
                String payload = JSON.writeValueAsString(JSON.treeToValue(file.get("receipt"), Object.class));
                return mac(payload).equals(file.path("jws").asText()) ? null : "the signature does not match";
            } catch (Exception e) {
                return "unreadable";
            }
        }

        @Override
        public boolean keyMadeAtStart() {
            return madeAtStart;
        }

        private String mac(String payload) throws GeneralSecurityException {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        }
    }
}
