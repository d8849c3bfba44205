package org.partneraccess.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Appends audit evidence as a hash chain and verifies that nothing in it was changed or removed.
 *
 * <p>Each entry's hash covers its predecessor's hash and its own content. Which content is versioned per entry: entries
 * of hash version 1 (written before the actor kind existed) cover time, actor, action, partnership, identity and
 * detail; version 2 adds the actor kind. A version cannot be lowered to escape the check: the stored hash was computed
 * over the version-2 content, so recomputing it the version-1 way gives another value, and the entry shows as changed.
 */
@Service
public class AuditLog {

    static final String GENESIS = "0".repeat(64);
    /** The hash version new entries are written with. */
    static final int CURRENT_HASH_VERSION = 2;
    /** Entries read per round trip while verifying the whole chain. */
    private static final int VERIFY_FETCH_SIZE = 1000;

    private final AuditEventRepository events;
    private final JdbcTemplate jdbc;

    AuditLog(AuditEventRepository events, JdbcTemplate jdbc) {
        this.events = events;
        this.jdbc = jdbc;
    }

    /** The outcome of a verification: intact, or the first entry that fails and why. */
    public record Verification(boolean intact, Long firstBrokenEntry, String problem, long entriesChecked,
                               Instant checkedAt) {
    }

    /**
     * Records what an actor named the way the application always has: {@code system}, {@code policy}, or a staff user
     * (or several, comma separated); the kind follows from the name ({@link ActorKind#of}).
     */
    @Transactional
    public void record(String actor, AuditAction action, String partnershipKey, String identityId, String detail) {
        record(ActorKind.of(actor), actor, action, partnershipKey, identityId, detail);
    }

    /**
     * Records what an actor of the given kind did, e.g. a partner ({@link ActorKind#PARTNER}) by their Keycloak name.
     * Inside a transaction the entry is appended when it commits, after the transaction's earlier entries, and stamped
     * with that time: the trail's order is the order of its times.
     */
    @Transactional
    public void record(ActorKind kind, String actor, AuditAction action, String partnershipKey, String identityId,
                       String detail) {
        Objects.requireNonNull(kind, "actor kind");
        Pending entry = new Pending(kind, actor, action.name(), partnershipKey, identityId, detail);
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            append(List.of(entry));
            return;
        }
        pendingOfThisTransaction().add(entry);
    }

    /**
     * The entries this transaction has recorded so far. They are appended just before it commits: the chain's lock is
     * then held for the appends and the commit only, not for everything else the transaction does (a job's Keycloak
     * calls, a process start's policy decision and engine writes), so that transactions on every thread and node
     * overlap everywhere but at the chain's head. Kept with the transaction's synchronizations, which a nested
     * transaction suspends, so each transaction appends its own entries.
     */
    private List<Pending> pendingOfThisTransaction() {
        for (TransactionSynchronization synchronization : TransactionSynchronizationManager.getSynchronizations()) {
            if (synchronization instanceof AppendAtCommit append && append.log() == this) {
                return append.entries();
            }
        }
        AppendAtCommit append = new AppendAtCommit(this, new ArrayList<>());
        TransactionSynchronizationManager.registerSynchronization(append);
        return append.entries();
    }

    private record AppendAtCommit(AuditLog log, List<Pending> entries) implements TransactionSynchronization {
        @Override
        public void beforeCommit(boolean readOnly) {
            log.append(entries);
        }
    }

    private void append(List<Pending> entries) {
        if (entries.isEmpty()) {
            return;
        }
        // the transaction's other writes first: the chain's lock is then always the last one a transaction takes
        events.flush();
        // held until commit: the next append, on any node, reads the last of these entries as its predecessor
        jdbc.queryForObject("select id from audit_chain_lock where id = 1 for update", Integer.class);
        String previous = events.findFirstByOrderByIdDesc().map(AuditEvent::getHash).orElse(GENESIS);
        for (Pending entry : entries) {
            // the database keeps microseconds; hash what is stored
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            String hash = hash(CURRENT_HASH_VERSION, previous, now, entry.kind(), entry.actor(), entry.action(),
                    entry.partnershipKey(), entry.identityId(), entry.detail());
            events.save(new AuditEvent(now, entry.kind(), entry.actor(), entry.action(), entry.partnershipKey(),
                    entry.identityId(), entry.detail(), previous, hash, CURRENT_HASH_VERSION));
            previous = hash;
        }
        entries.clear();
    }

    private record Pending(ActorKind kind, String actor, String action, String partnershipKey,
                           String identityId, String detail) {
    }

    @Transactional(readOnly = true)
    public List<AuditEvent> ofPartnership(String partnershipKey) {
        return events.findByPartnershipKeyOrderById(partnershipKey);
    }

    /** The partnership's newest event of this kind. */
    @Transactional(readOnly = true)
    public java.util.Optional<AuditEvent> latest(String partnershipKey, AuditAction action) {
        return events.findFirstByPartnershipKeyAndActionOrderByIdDesc(partnershipKey, action.name());
    }

    @Transactional(readOnly = true)
    public List<AuditEvent> ofIdentity(String identityId) {
        return events.findByIdentityIdOrderById(identityId);
    }

    /** Walks the whole chain; returns the id of the first entry that does not match, or null when intact. */
    @Transactional(readOnly = true)
    public Long firstBrokenEntry() {
        return verify().firstBrokenEntry();
    }

    /**
     * Walks the whole chain in id order, reading it in batches, and stops at the first entry whose hash does not
     * match its content (it was changed) or whose recorded predecessor hash is not the hash of the entry before it (an
     * entry before it was removed or changed).
     */
    @Transactional(readOnly = true)
    public Verification verify() {
        Instant checkedAt = Instant.now();
        return jdbc.query(connection -> {
            PreparedStatement statement = connection.prepareStatement("select " + COLUMNS
                    + " from audit_event order by id", ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            statement.setFetchSize(VERIFY_FETCH_SIZE);
            return statement;
        }, rs -> {
            String previous = GENESIS;
            long checked = 0;
            while (rs.next()) {
                Entry entry = entry(rs);
                checked++;
                String problem = entry.problem(previous);
                if (problem != null) {
                    return new Verification(false, entry.id(), problem, checked, checkedAt);
                }
                previous = entry.hash();
            }
            return new Verification(true, null, null, checked, checkedAt);
        });
    }

    /**
     * Checks the given entries one by one against their neighbours in the chain: each must match its own content and
     * name the hash of the entry just before it. Returns a problem per entry (null when the entry is sound).
     */
    @Transactional(readOnly = true)
    public List<String> checkEntries(List<AuditEvent> entries) {
        List<String> problems = new ArrayList<>(entries.size());
        for (AuditEvent event : entries) {
            List<String> before = jdbc.queryForList(
                    "select hash from audit_event where id < ? order by id desc limit 1", String.class, event.getId());
            List<Entry> stored = jdbc.query("select " + COLUMNS + " from audit_event where id = ?",
                    (rs, n) -> entry(rs), event.getId());
            problems.add(stored.isEmpty() ? "entry is gone"
                    : stored.get(0).problem(before.isEmpty() ? GENESIS : before.get(0)));
        }
        return problems;
    }

    /**
     * The evidence of one identity for an auditor to file: its entries, each checked against its neighbours, and the
     * verification of the whole trail at the same moment.
     */
    @Transactional(readOnly = true)
    public EvidenceReport evidenceOf(String identityId) {
        List<AuditEvent> entries = ofIdentity(identityId);
        List<String> problems = checkEntries(entries);
        List<EvidenceReport.Line> lines = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            lines.add(new EvidenceReport.Line(Evidence.of(entries.get(i)), problems.get(i)));
        }
        return new EvidenceReport(identityId, lines, verify());
    }

    private static final String COLUMNS = "id, occurred_at, actor_kind, actor, action, partnership_key, identity_id, "
            + "detail, previous_hash, hash, hash_version";

    private record Entry(long id, Instant occurredAt, String actorKind, String actor, String action,
                         String partnershipKey, String identityId, String detail, String previousHash, String hash,
                         int hashVersion) {

        String problem(String expectedPrevious) {
            if (!expectedPrevious.equals(previousHash)) {
                return "does not follow the entry before it: an entry before it was removed or changed";
            }
            ActorKind kind;
            try {
                kind = actorKind == null ? null : ActorKind.valueOf(actorKind);
            } catch (IllegalArgumentException e) {
                return "content does not match its hash: unknown actor kind";
            }
            if (hashVersion < 1 || hashVersion > CURRENT_HASH_VERSION || (hashVersion >= 2 && kind == null)
                    || !AuditLog.hash(hashVersion, previousHash, occurredAt, kind, actor, action, partnershipKey, identityId,
                    detail).equals(hash)) {
                return "content does not match its hash: the entry was changed";
            }
            return null;
        }
    }

    private static Entry entry(ResultSet rs) throws SQLException {
        OffsetDateTime at = rs.getObject("occurred_at", OffsetDateTime.class);
        return new Entry(rs.getLong("id"), at == null ? Instant.EPOCH : at.toInstant(), rs.getString("actor_kind"),
                rs.getString("actor"), rs.getString("action"), rs.getString("partnership_key"),
                rs.getString("identity_id"), rs.getString("detail"), rs.getString("previous_hash"),
                rs.getString("hash"), rs.getInt("hash_version"));
    }

    static String hash(int version, String previous, Instant at, ActorKind kind, String actor, String action,
                       String partnershipKey, String identityId, String detail) {
        List<String> fields = new ArrayList<>(List.of(previous, at.toString(), String.valueOf(actor),
                String.valueOf(action), String.valueOf(partnershipKey), String.valueOf(identityId),
                String.valueOf(detail)));
        if (version >= 2) {
            fields.add(kind.name());
        }
        String canonical = String.join("\u001f", fields);
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
