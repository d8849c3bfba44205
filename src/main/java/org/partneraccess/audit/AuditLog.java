package org.partneraccess.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Appends audit evidence as hash chains, one per partnership (entries without a partnership in a chain of their own),
 * and verifies that nothing in them was changed or removed.
 *
 * <p>Each entry's hash covers its predecessor's hash in its chain and its own content. Which content is versioned per
 * entry: entries of hash version 1 (written before the actor kind existed) cover time, actor, action, partnership,
 * identity and detail; version 2 adds the actor kind; version 3 adds the chain and the entry's position in it. Entries
 * of versions 1 and 2 were written to a single chain before there was one per partnership: they form a closed legacy
 * segment, verified in id order as before. A version cannot be lowered to escape the check: the stored hash was
 * computed over the newer content, so recomputing it the older way gives another value, and the entry shows as changed;
 * nor can an entry move between the legacy segment and a chain, as each version belongs to one of them.
 *
 * <p>Appends to one chain take turns on its head row; appends to different chains do not wait for each other. Signed
 * checkpoints ({@link AuditCheckpoints}) over every chain's head name what a chain alone cannot show: entries removed
 * from a chain's end.
 */
@Service
public class AuditLog {

    static final String GENESIS = "0".repeat(64);
    /** The hash version new entries are written with. */
    static final int CURRENT_HASH_VERSION = 3;
    /** The chain of the entries that concern no partnership. */
    static final String NO_PARTNERSHIP_CHAIN = "-";
    /** The SQL state of a unique key violation, the same on H2 and PostgreSQL. */
    private static final String UNIQUE_VIOLATION = "23505";
    /** Entries read per round trip while verifying the whole trail. */
    private static final int VERIFY_FETCH_SIZE = 1000;

    private final AuditEventRepository events;
    private final JdbcTemplate jdbc;
    private final AuditCheckpoints checkpoints;

    AuditLog(AuditEventRepository events, JdbcTemplate jdbc, AuditCheckpoints checkpoints) {
        this.events = events;
        this.jdbc = jdbc;
        this.checkpoints = checkpoints;
    }

    /**
     * The outcome of a verification: intact, or the first entry that fails and why (an entry removed from a chain's end
     * is named by the id the checkpoint recorded for it). {@code checkpoint} is the sequence of the signed checkpoint
     * the chains' ends were checked against (null before the first); a forged checkpoint fails the verification with no
     * entry named.
     */
    public record Verification(boolean intact, Long firstBrokenEntry, String problem, long entriesChecked,
                               Instant checkedAt, Long checkpoint) {
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
            append(new ArrayList<>(List.of(entry)));
            return;
        }
        pendingOfThisTransaction().add(entry);
    }

    /**
     * The entries this transaction has recorded so far. They are appended just before it commits: a chain's head is
     * then locked for the appends and the commit only, not for everything else the transaction does (a job's Keycloak
     * calls, a process start's policy decision and engine writes), so that transactions on every thread and node
     * overlap everywhere but at the head of a chain both append to. Kept with the transaction's synchronizations, which a nested
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
        if (events != null) {
            // the transaction's other writes first: the chains' heads are then always the last locks it takes
            events.flush();
        }
        // each chain's entries in the order they were recorded; chains locked in one order, so two transactions that
        // append to the same two chains cannot wait for each other
        Map<String, List<Pending>> byChain = new TreeMap<>();
        for (Pending entry : entries) {
            byChain.computeIfAbsent(chainOf(entry.partnershipKey()), chain -> new ArrayList<>()).add(entry);
        }
        byChain.forEach(this::appendToChain);
        entries.clear();
    }

    private void appendToChain(String chain, List<Pending> entries) {
        // held until commit: the next append to this chain, on any node, reads the last of these entries as its head
        Tip head = lockHead(chain);
        long position = head.position();
        String previous = head.hash();
        long id = 0;
        for (Pending entry : entries) {
            position++;
            // the database keeps microseconds; hash what is stored
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            String hash = hash(CURRENT_HASH_VERSION, previous, now, entry.kind(), entry.actor(), entry.action(),
                    entry.partnershipKey(), entry.identityId(), entry.detail(), chain, position);
            id = insert(now, entry, previous, hash, chain, position);
            previous = hash;
        }
        jdbc.update("update audit_chain_head set chain_position = ?, hash = ?, entry_id = ? where chain_key = ?",
                position, previous, id, chain);
    }

    private long insert(Instant at, Pending entry, String previous, String hash, String chain, long position) {
        KeyHolder key = new GeneratedKeyHolder();
        jdbc.update(connection -> {
            PreparedStatement insert = connection.prepareStatement("insert into audit_event (occurred_at, actor_kind, "
                    + "actor, action, partnership_key, identity_id, detail, previous_hash, hash, hash_version, "
                    + "chain_key, chain_position) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", new String[] {"id"});
            insert.setObject(1, at.atOffset(ZoneOffset.UTC));
            insert.setString(2, entry.kind().name());
            insert.setString(3, entry.actor());
            insert.setString(4, entry.action());
            insert.setString(5, entry.partnershipKey());
            insert.setString(6, entry.identityId());
            insert.setString(7, entry.detail());
            insert.setString(8, previous);
            insert.setString(9, hash);
            insert.setInt(10, CURRENT_HASH_VERSION);
            insert.setString(11, chain);
            insert.setLong(12, position);
            return insert;
        }, key);
        return key.getKey().longValue();
    }

    /**
     * Locks the chain's head row, made at the chain's first append. Two first appends at once: the second's insert
     * waits for the first's transaction, fails on the key it committed and is undone to a savepoint (the transaction
     * goes on, also on PostgreSQL), and the second then locks the row the first made.
     */
    private Tip lockHead(String chain) {
        for (int attempt = 0; ; attempt++) {
            List<Tip> head = jdbc.query("select chain_position, hash from audit_chain_head where chain_key = ? for update",
                    (rs, n) -> new Tip(rs.getLong(1), rs.getString(2)), chain);
            if (!head.isEmpty()) {
                return head.get(0);
            }
            if (!Boolean.TRUE.equals(jdbc.execute((ConnectionCallback<Boolean>) connection -> createHead(connection, chain)))
                    && attempt > 0) {
                throw new IllegalStateException("the head of audit chain " + chain + " is neither there nor can be made");
            }
        }
    }

    /** Inserts a new chain's head row under a savepoint; false when a concurrent first append made it. */
    private static boolean createHead(Connection connection, String chain) throws SQLException {
        Savepoint savepoint = connection.getAutoCommit() ? null : connection.setSavepoint();
        try (PreparedStatement insert = connection.prepareStatement(
                "insert into audit_chain_head (chain_key, chain_position, hash) values (?, 0, ?)")) {
            insert.setString(1, chain);
            insert.setString(2, GENESIS);
            insert.executeUpdate();
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e;
            }
            if (savepoint != null) {
                connection.rollback(savepoint);
            }
            return false;
        }
        if (savepoint != null) {
            connection.releaseSavepoint(savepoint);
        }
        return true;
    }

    /** An entry's chain: its partnership's, or the one of entries without a partnership. */
    static String chainOf(String partnershipKey) {
        return partnershipKey == null ? NO_PARTNERSHIP_CHAIN : partnershipKey;
    }

    /** Where a chain stands: the position and hash of its last entry (0 and the genesis hash before the first). */
    private record Tip(long position, String hash) {

        static final Tip START = new Tip(0, GENESIS);
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

    /** Verifies the whole trail; returns the id of the first entry that does not hold, or null when none is named. */
    @Transactional(readOnly = true)
    public Long firstBrokenEntry() {
        return verify().firstBrokenEntry();
    }

    /**
     * Checks the newest signed checkpoint, then walks the whole trail in id order, reading it in batches, and stops at
     * the first entry whose hash does not match its content (it was changed), whose recorded predecessor hash is not
     * the hash of the entry before it in its chain (an entry before it was removed or changed), or that departs from
     * what the checkpoint signed for its chain; then names the head of a chain the checkpoint signed that is missing
     * (entries were removed from that chain's end).
     */
    @Transactional(readOnly = true)
    public Verification verify() {
        Instant checkedAt = Instant.now();
        AuditCheckpoints.Newest checkpoint = checkpoints == null ? AuditCheckpoints.Newest.NONE : checkpoints.newest();
        if (checkpoint.problem() != null) {
            return new Verification(false, null, checkpoint.problem(), 0, checkedAt, checkpoint.sequence());
        }
        String signed = checkpoint.sequence() == null ? null
                : "the signed checkpoint " + checkpoint.sequence() + " of " + checkpoint.issuedAt();
        return jdbc.query(connection -> {
            PreparedStatement statement = connection.prepareStatement("select " + COLUMNS
                    + " from audit_event order by id", ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            statement.setFetchSize(VERIFY_FETCH_SIZE);
            return statement;
        }, rs -> {
            Tip legacy = Tip.START;
            Map<String, Tip> tips = new HashMap<>();
            long checked = 0;
            while (rs.next()) {
                Entry entry = entry(rs);
                checked++;
                boolean inLegacy = entry.chainKey() == null;
                Tip before = inLegacy ? legacy : tips.getOrDefault(entry.chainKey(), Tip.START);
                long position = inLegacy ? before.position() + 1 : entry.chainPosition();
                AuditCheckpoints.Head head = inLegacy ? checkpoint.legacy() : checkpoint.heads().get(entry.chainKey());
                String problem = entry.problem(before);
                if (problem == null && head != null && head.position() == position && !head.hash().equals(entry.hash())) {
                    problem = "differs from " + signed + ", which names another hash at its position: its chain was "
                            + "rewritten from here or before";
                }
                if (problem == null && inLegacy && head != null && position > head.position()) {
                    problem = "was added to the legacy segment after " + signed + " closed it";
                }
                if (problem != null) {
                    return new Verification(false, entry.id(), problem, checked, checkedAt, checkpoint.sequence());
                }
                Tip tip = new Tip(position, entry.hash());
                if (inLegacy) {
                    legacy = tip;
                } else {
                    tips.put(entry.chainKey(), tip);
                }
            }
            List<AuditCheckpoints.Head> signedHeads = new ArrayList<>(checkpoint.heads().values());
            if (checkpoint.legacy() != null) {
                signedHeads.add(checkpoint.legacy());
            }
            signedHeads.sort(Comparator.comparingLong(AuditCheckpoints.Head::entryId));
            for (AuditCheckpoints.Head head : signedHeads) {
                Tip tip = head.chain() == null ? legacy : tips.getOrDefault(head.chain(), Tip.START);
                if (tip.position() < head.position()) {
                    return new Verification(false, head.entryId(), "entry is gone: " + signed + " names it as the "
                            + "head of " + (head.chain() == null ? "the legacy segment" : "chain " + head.chain())
                            + " at position " + head.position() + ", and the chain now ends at position "
                            + tip.position() + ": entries were removed from its end", checked, checkedAt,
                            checkpoint.sequence());
                }
            }
            return new Verification(true, null, null, checked, checkedAt, checkpoint.sequence());
        });
    }

    /**
     * Checks the given entries one by one against their neighbours in their chain: each must match its own content and
     * name the hash of the entry just before it. Returns a problem per entry (null when the entry is sound).
     */
    @Transactional(readOnly = true)
    public List<String> checkEntries(List<AuditEvent> entries) {
        List<String> problems = new ArrayList<>(entries.size());
        for (AuditEvent event : entries) {
            List<Entry> stored = jdbc.query("select " + COLUMNS + " from audit_event where id = ?",
                    (rs, n) -> entry(rs), event.getId());
            problems.add(stored.isEmpty() ? "entry is gone" : stored.get(0).problem(before(stored.get(0))));
        }
        return problems;
    }

    /** The tip an entry must follow: the legacy entry before it, or the entry one position before it in its chain. */
    private Tip before(Entry entry) {
        if (entry.chainKey() == null) {
            List<Tip> before = jdbc.query("select hash from audit_event where chain_key is null and id < ? "
                    + "order by id desc limit 1", (rs, n) -> new Tip(0, rs.getString(1)), entry.id());
            return before.isEmpty() ? Tip.START : before.get(0);
        }
        long position = entry.chainPosition() == null ? 0 : entry.chainPosition() - 1;
        if (position <= 0) {
            return Tip.START;
        }
        List<String> hash = jdbc.queryForList("select hash from audit_event where chain_key = ? and chain_position = ?",
                String.class, entry.chainKey(), position);
        // a missing predecessor: an empty hash, which no entry names
        return new Tip(position, hash.isEmpty() ? "" : hash.get(0));
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
            + "detail, previous_hash, hash, hash_version, chain_key, chain_position";

    private record Entry(long id, Instant occurredAt, String actorKind, String actor, String action,
                         String partnershipKey, String identityId, String detail, String previousHash, String hash,
                         int hashVersion, String chainKey, Long chainPosition) {

        /** What is wrong with this entry following {@code before} in its chain or segment; null when it holds. */
        String problem(Tip before) {
            if (!before.hash().equals(previousHash)) {
                return "does not follow the entry before it: an entry before it was removed or changed";
            }
            ActorKind kind;
            try {
                kind = actorKind == null ? null : ActorKind.valueOf(actorKind);
            } catch (IllegalArgumentException e) {
                return "content does not match its hash: unknown actor kind";
            }
            boolean inLegacy = chainKey == null;
            // a legacy entry has no chain and a version before 3; a chained one has version 3, its chain and position
            boolean shapeHolds = inLegacy ? hashVersion >= 1 && hashVersion <= 2 && chainPosition == null
                    : hashVersion == 3 && chainPosition != null && chainKey.equals(chainOf(partnershipKey));
            if (!shapeHolds || (hashVersion >= 2 && kind == null)
                    || !AuditLog.hash(hashVersion, previousHash, occurredAt, kind, actor, action, partnershipKey,
                    identityId, detail, chainKey, chainPosition == null ? 0 : chainPosition).equals(hash)) {
                return "content does not match its hash: the entry was changed";
            }
            if (!inLegacy && chainPosition != before.position() + 1) {
                return "does not follow the entry before it: an entry before it was removed or changed";
            }
            return null;
        }
    }

    private static Entry entry(ResultSet rs) throws SQLException {
        OffsetDateTime at = rs.getObject("occurred_at", OffsetDateTime.class);
        long position = rs.getLong("chain_position");
        return new Entry(rs.getLong("id"), at == null ? Instant.EPOCH : at.toInstant(), rs.getString("actor_kind"),
                rs.getString("actor"), rs.getString("action"), rs.getString("partnership_key"),
                rs.getString("identity_id"), rs.getString("detail"), rs.getString("previous_hash"),
                rs.getString("hash"), rs.getInt("hash_version"), rs.getString("chain_key"),
                rs.wasNull() ? null : position);
    }

    /** The hash of a legacy entry (versions 1 and 2, which cover no chain). */
    static String hash(int version, String previous, Instant at, ActorKind kind, String actor, String action,
                       String partnershipKey, String identityId, String detail) {
        return hash(version, previous, at, kind, actor, action, partnershipKey, identityId, detail, null, 0);
    }

    static String hash(int version, String previous, Instant at, ActorKind kind, String actor, String action,
                       String partnershipKey, String identityId, String detail, String chain, long position) {
        List<String> fields = new ArrayList<>(List.of(previous, at.toString(), String.valueOf(actor),
                String.valueOf(action), String.valueOf(partnershipKey), String.valueOf(identityId),
                String.valueOf(detail)));
        if (version >= 2) {
            fields.add(kind.name());
        }
        if (version >= 3) {
            fields.add(String.valueOf(chain));
            fields.add(Long.toString(position));
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
