package org.partneraccess.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Signed checkpoints over the heads of all audit chains (position, hash and entry of each, and the closed legacy
 * segment's). A chain is only tamper-evident against someone who cannot recompute it; a checkpoint is signed with the
 * receipts' key, which the database does not hold, so entries removed from a chain's end before the newest checkpoint
 * are named even when the rest of the chain was left consistent. Only the newest checkpoint counts for verification;
 * its heads are kept as rows, and their digest is what it signs, so the signed statement stays small at any number of
 * chains. One is made every interval when a head moved (or the newest no longer verifies, e.g. after a key change);
 * reading the heads takes no lock, so appends never wait for a checkpoint.
 */
@Service
public class AuditCheckpoints {

    /** What a checkpoint's statement says it is, so it is never taken for a receipt of another kind. */
    public static final String TYPE = "audit-checkpoint";
    private static final Logger log = LoggerFactory.getLogger(AuditCheckpoints.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JdbcTemplate jdbc;
    private final CheckpointSigner signer;
    private volatile boolean warnedUnsigned;

    AuditCheckpoints(JdbcTemplate jdbc, CheckpointSigner signer) {
        this.jdbc = jdbc;
        this.signer = signer;
    }

    /** A chain's head: its last entry's position, hash and id. */
    public record Head(String chain, long position, String hash, long entryId) {
    }

    /** The newest checkpoint as checked: its heads by chain, or the problem that makes it unusable. */
    record Newest(Long sequence, Instant issuedAt, Head legacy, Map<String, Head> heads, String problem) {

        static final Newest NONE = new Newest(null, null, null, Map.of(), null);
    }

    @Scheduled(initialDelayString = "${partner-access.audit.checkpoint-interval:5m}",
            fixedDelayString = "${partner-access.audit.checkpoint-interval:5m}")
    void scheduled() {
        try {
            checkpoint();
        } catch (DataAccessException e) {
            // another node made this checkpoint at the same moment, or the database is away: the next run tries again
            log.warn("No audit checkpoint was made this time: {}", e.getMessage());
        }
    }

    /**
     * A development key is new at each start, so the last run's checkpoint cannot verify with it: signed again at once,
     * or the trail would show as broken until the first interval has passed.
     */
    @EventListener(ApplicationReadyEvent.class)
    void signAgainWithAKeyMadeAtStart() {
        if (signer.keyMadeAtStart() && newest().problem() != null) {
            scheduled();
        }
    }

    /**
     * Signs the chains' heads as they are committed now, unless the newest checkpoint already says the same; returns
     * the new checkpoint's sequence. Nothing is signed over a newest checkpoint that does not verify: that would bury
     * what it shows (a development key made at each start is the exception: the last run's checkpoint cannot verify).
     * Two nodes at once: the second's insert of the same sequence fails.
     */
    @Transactional
    public Optional<Long> checkpoint() {
        List<Head> heads = jdbc.query("select chain_key, chain_position, hash, entry_id from audit_chain_head "
                + "where chain_position > 0", AuditCheckpoints::head);
        Head legacy = legacyHead();
        String digest = digest(heads);
        List<Map<String, Object>> newest = jdbc.queryForList(
                "select sequence, heads_digest, signed from audit_checkpoint order by sequence desc limit 1");
        if (!newest.isEmpty()) {
            String problem = newest().problem();
            if (problem != null && !signer.keyMadeAtStart()) {
                log.error("No audit checkpoint is made: {}", problem);
                return Optional.empty();
            }
            if (problem == null && digest.equals(newest.get(0).get("heads_digest"))) {
                return Optional.empty();
            }
        }
        Map<String, Head> stored = new HashMap<>();
        storedHeads().forEach(head -> stored.put(head.chain(), head));
        Map<String, Head> now = new HashMap<>();
        heads.forEach(head -> now.put(head.chain(), head));
        for (Head signed : stored.values()) {
            Head current = now.get(signed.chain());
            if (current == null || current.position() < signed.position()) {
                // signing this would bury the removal: the newest checkpoint keeps naming the missing head instead
                log.error("No audit checkpoint is made: chain {} ended at position {} at the last checkpoint and now "
                        + "at {}; entries were removed", signed.chain(), signed.position(),
                        current == null ? 0 : current.position());
                return Optional.empty();
            }
        }
        long sequence = newest.isEmpty() ? 1 : ((Number) newest.get(0).get("sequence")).longValue() + 1;
        Instant issuedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("type", TYPE);
        statement.put("sequence", sequence);
        statement.put("issuedAt", issuedAt);
        statement.put("chains", heads.size());
        statement.put("headsDigest", digest);
        statement.put("legacySegment", legacy == null ? null : Map.of("position", legacy.position(),
                "hash", legacy.hash(), "entry", legacy.entryId()));
        Optional<String> signed = signer.sign(statement);
        if (signed.isEmpty()) {
            if (!warnedUnsigned) {
                log.warn("No audit checkpoint is made: there is no signing key (RECEIPT_SIGNING_KEY)");
                warnedUnsigned = true;
            }
            return Optional.empty();
        }
        jdbc.update("insert into audit_checkpoint (sequence, issued_at, heads_digest, signed) values (?, ?, ?, ?)",
                sequence, Timestamp.from(issuedAt), digest, signed.get());
        storeHeads(heads, stored);
        return Optional.of(sequence);
    }

    /** Writes the heads that moved since the last checkpoint. */
    private void storeHeads(List<Head> heads, Map<String, Head> stored) {
        for (Head head : heads) {
            Head before = stored.get(head.chain());
            if (before == null) {
                jdbc.update("insert into audit_checkpoint_head (chain_key, chain_position, hash, entry_id) "
                        + "values (?, ?, ?, ?)", head.chain(), head.position(), head.hash(), head.entryId());
            } else if (!before.equals(head)) {
                jdbc.update("update audit_checkpoint_head set chain_position = ?, hash = ?, entry_id = ? "
                        + "where chain_key = ?", head.position(), head.hash(), head.entryId(), head.chain());
            }
        }
    }

    /** The newest checkpoint's signed file, as auditors download it. */
    @Transactional(readOnly = true)
    public Optional<String> newestSigned() {
        return jdbc.queryForList("select signed from audit_checkpoint order by sequence desc limit 1", String.class)
                .stream().findFirst();
    }

    /**
     * The newest checkpoint, checked: its signature, that its statement is the row's, and that the stored heads are
     * the ones it signed. A checkpoint committed between the reads is read again.
     */
    @Transactional(readOnly = true)
    Newest newest() {
        for (int attempt = 0; ; attempt++) {
            List<Map<String, Object>> rows = jdbc.queryForList(
                    "select sequence, heads_digest, signed from audit_checkpoint order by sequence desc limit 1");
            if (rows.isEmpty()) {
                return Newest.NONE;
            }
            long sequence = ((Number) rows.get(0).get("sequence")).longValue();
            String signed = (String) rows.get(0).get("signed");
            String named = "the newest checkpoint (" + sequence + ") ";
            String problem = signer.problem(signed);
            if (problem != null) {
                return forged(sequence, named + "does not verify: " + problem + "; it was forged or changed");
            }
            JsonNode statement;
            try {
                statement = JSON.readTree(signed).path("receipt");
            } catch (JsonProcessingException e) {
                return forged(sequence, named + "cannot be read");
            }
            if (!TYPE.equals(statement.path("type").asText()) || statement.path("sequence").asLong() != sequence
                    || !statement.path("headsDigest").asText().equals(rows.get(0).get("heads_digest"))) {
                return forged(sequence, named + "is not what its signed statement says (another checkpoint's "
                        + "signature, or its row was changed)");
            }
            List<Head> heads = storedHeads();
            if (!digest(heads).equals(statement.path("headsDigest").asText())) {
                if (attempt == 0) {
                    continue;
                }
                return forged(sequence, named + "signed other heads than the ones stored with it: a checkpoint head "
                        + "was changed, added or removed");
            }
            Map<String, Head> byChain = new HashMap<>();
            heads.forEach(head -> byChain.put(head.chain(), head));
            JsonNode legacy = statement.path("legacySegment");
            return new Newest(sequence, Instant.parse(statement.path("issuedAt").asText()),
                    legacy.isObject() ? new Head(null, legacy.path("position").asLong(), legacy.path("hash").asText(),
                            legacy.path("entry").asLong()) : null, byChain, null);
        }
    }

    private static Newest forged(long sequence, String problem) {
        return new Newest(sequence, null, null, Map.of(), problem);
    }

    private List<Head> storedHeads() {
        return jdbc.query("select chain_key, chain_position, hash, entry_id from audit_checkpoint_head",
                AuditCheckpoints::head);
    }

    private Head legacyHead() {
        return jdbc.query("select chain_position, hash, entry_id from audit_legacy_segment",
                (rs, n) -> new Head(null, rs.getLong(1), rs.getString(2), rs.getLong(3))).stream().findFirst()
                .orElse(null);
    }

    private static Head head(ResultSet rs, int row) throws SQLException {
        return new Head(rs.getString("chain_key"), rs.getLong("chain_position"), rs.getString("hash"),
                rs.getLong("entry_id"));
    }

    /** SHA-256 over the heads in chain order, one line each; the same however the database orders its rows. */
    static String digest(List<Head> heads) {
        List<Head> sorted = new ArrayList<>(heads);
        sorted.sort(Comparator.comparing(Head::chain));
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            for (Head head : sorted) {
                sha256.update(String.join("\u001f", head.chain(), Long.toString(head.position()), head.hash(),
                        Long.toString(head.entryId()), "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
