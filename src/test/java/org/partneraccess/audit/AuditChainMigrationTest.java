package org.partneraccess.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The trail's migrations keep what was written before them verifiable: the actor kind arrives (V4) without breaking the
 * chain, entries of then on cover the kind, and neither a changed kind nor a lowered hash version goes unnoticed; the
 * single chain becomes the closed legacy segment (V23) ahead of the per-partnership chains, and still verifies.
 */
class AuditChainMigrationTest {

    /** The migration that gave each partnership a chain of its own; the tests stop just before it. */
    private static final MigrationVersion CHAINS = MigrationVersion.fromVersion("23");

    private JdbcDataSource database;
    private JdbcTemplate jdbc;
    private AuditLog audit;

    @BeforeEach
    void registryAsItWasBeforeTheActorKind() {
        database = new JdbcDataSource();
        database.setURL("jdbc:h2:mem:audit-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        migrate("2");
        jdbc = new JdbcTemplate(database);
        audit = new AuditLog(null, jdbc, new AuditCheckpoints(jdbc, new AuditChainContract.TestSigner()));
    }

    @Test
    void entriesWrittenBeforeTheMigrationKeepTheirHashAndGetTheirKind() throws Exception {
        String previous = AuditLog.GENESIS;
        for (String actor : List.of("system", "policy", "sam.sponsor, sofia.security")) {
            previous = appendAsBefore(previous, actor);
        }
        migrate(null);

        assertThat(jdbc.queryForList("select actor_kind from audit_event order by id", String.class))
                .containsExactly("SYSTEM", "POLICY", "STAFF");
        assertThat(jdbc.queryForList("select hash_version from audit_event order by id", Integer.class))
                .containsOnly(1);
        assertThat(audit.verify().intact()).isTrue();

        // what the old hash covers is still guarded
        long second = jdbc.queryForObject("select min(id) + 1 from audit_event", Long.class);
        jdbc.update("update audit_event set detail = 'changed' where id = ?", second);
        AuditLog.Verification broken = audit.verify();
        assertThat(broken.intact()).isFalse();
        assertThat(broken.firstBrokenEntry()).isEqualTo(second);
        assertThat(broken.problem()).contains("was changed");
    }

    @Test
    void entriesOfVersionTwoCoverTheKindAndCannotBeLoweredToTheOldHash() {
        migrate(beforeChains());
        String previous = AuditLog.GENESIS;
        previous = append(previous, ActorKind.STAFF, "rita.requester");
        append(previous, ActorKind.PARTNER, "ada@acme.example");
        migrate(null);
        assertThat(audit.verify().intact()).isTrue();
        long partnerEntry = jdbc.queryForObject("select max(id) from audit_event", Long.class);

        jdbc.update("update audit_event set actor_kind = 'STAFF' where id = ?", partnerEntry);
        assertThat(audit.verify().firstBrokenEntry()).isEqualTo(partnerEntry);

        // claiming the entry was written before the kind was hashed does not help: its hash covers the kind
        jdbc.update("update audit_event set hash_version = 1 where id = ?", partnerEntry);
        assertThat(audit.verify().firstBrokenEntry()).isEqualTo(partnerEntry);
        jdbc.update("update audit_event set actor_kind = 'PARTNER', hash_version = 2 where id = ?", partnerEntry);
        assertThat(audit.verify().intact()).isTrue();
    }

    @Test
    void aRemovedEntryIsNamedByTheEntryAfterIt() {
        migrate(beforeChains());
        String previous = AuditLog.GENESIS;
        for (int i = 0; i < 3; i++) {
            previous = append(previous, ActorKind.SYSTEM, "system");
        }
        migrate(null);
        long first = jdbc.queryForObject("select min(id) from audit_event", Long.class);
        jdbc.update("delete from audit_event where id = ?", first + 1);

        AuditLog.Verification broken = audit.verify();
        assertThat(broken.firstBrokenEntry()).isEqualTo(first + 2);
        assertThat(broken.problem()).contains("removed or changed");
    }

    @Test
    void theSingleChainBecomesTheClosedLegacySegmentAheadOfThePartnershipsChains() throws Exception {
        String previous = appendAsBefore(AuditLog.GENESIS, "system");
        migrate(beforeChains());
        previous = append(previous, ActorKind.STAFF, "rita.requester");
        String head = append(previous, ActorKind.POLICY, "policy");
        migrate(null);
        long legacyHead = jdbc.queryForObject("select max(id) from audit_event", Long.class);
        assertThat(jdbc.queryForMap("select chain_position, hash, entry_id from audit_legacy_segment"))
                .containsValues(3L, head, legacyHead);

        new TransactionTemplate(new DataSourceTransactionManager(database)).executeWithoutResult(status ->
                audit.record("sam.sponsor", IdentityAction.ACCESS_APPROVED, "acme", "identity-1", null));
        assertThat(jdbc.queryForList("select hash_version from audit_event order by id", Integer.class))
                .containsExactly(1, 2, 2, 3);
        AuditCheckpoints checkpoints = new AuditCheckpoints(jdbc, new AuditChainContract.TestSigner());
        audit = new AuditLog(null, jdbc, checkpoints);
        assertThat(checkpoints.checkpoint()).contains(1L);
        assertThat(audit.verify().intact()).isTrue();
        assertThat(audit.verify().entriesChecked()).isEqualTo(4);

        // the segment is closed: an entry added to it after the checkpoint, however well computed, is named
        append(head, ActorKind.SYSTEM, "system");
        long added = jdbc.queryForObject("select max(id) from audit_event", Long.class);
        AuditLog.Verification broken = audit.verify();
        assertThat(broken.firstBrokenEntry()).isEqualTo(added);
        assertThat(broken.problem()).contains("was added to the legacy segment after the signed checkpoint 1");
        jdbc.update("delete from audit_event where id = ?", added);

        // and its end is signed like any chain's: removing its head is named
        jdbc.update("delete from audit_event where id = ?", legacyHead);
        broken = audit.verify();
        assertThat(broken.firstBrokenEntry()).isEqualTo(legacyHead);
        assertThat(broken.problem()).contains("head of the legacy segment at position 3");
    }

    /** An entry exactly as AuditLog wrote it before V4 (the hash as that code computed it, kept here verbatim). */
    private String appendAsBefore(String previous, String actor) throws Exception {
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        String canonical = String.join("\u001f", previous, at.toString(), actor, "ACTION", "acme", "identity-1",
                "detail");
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(canonical.getBytes(StandardCharsets.UTF_8)));
        jdbc.update("insert into audit_event (occurred_at, actor, action, partnership_key, identity_id, detail, "
                        + "previous_hash, hash) values (?, ?, ?, ?, ?, ?, ?, ?)", at.atOffset(ZoneOffset.UTC), actor,
                "ACTION", "acme", "identity-1", "detail", previous, hash);
        return hash;
    }

    /** An entry as AuditLog wrote it from V4 to V23: hash version 2, one chain. */
    private String append(String previous, ActorKind kind, String actor) {
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        String hash = AuditLog.hash(2, previous, at, kind, actor, "ACTION", "acme", "identity-1", null);
        jdbc.update("insert into audit_event (occurred_at, actor_kind, actor, action, partnership_key, identity_id, "
                        + "detail, previous_hash, hash, hash_version) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                at.atOffset(ZoneOffset.UTC), kind.name(), actor, "ACTION", "acme", "identity-1", null, previous, hash,
                2);
        return hash;
    }

    /** The last migration with a single chain, whichever number it has. */
    private String beforeChains() {
        return Arrays.stream(Flyway.configure().dataSource(database).locations("classpath:db/migration")
                        .table("partner_access_schema_history").load().info().all())
                .map(MigrationInfo::getVersion).filter(version -> version.compareTo(CHAINS) < 0)
                .max(Comparator.naturalOrder()).orElseThrow().getVersion();
    }

    private void migrate(String target) {
        var configuration = Flyway.configure().dataSource(database).locations("classpath:db/migration")
                .table("partner_access_schema_history");
        if (target != null) {
            configuration.target(target);
        }
        configuration.load().migrate();
    }
}
