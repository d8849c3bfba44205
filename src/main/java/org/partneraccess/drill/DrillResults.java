package org.partneraccess.drill;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/** The drills' results (table {@code revocation_drill}) and their turn (table {@code revocation_drill_turn}). */
@Repository
class DrillResults {

    private static final String TURN = "revocation-drill";
    private static final String COLUMNS = "drill_id, partnership_key, started_at, reported_at, accepted_at, verified_at, "
            + "duration_ms, outcome, people, machines, tokens_checked, tokens_inactive, credentials_checked, "
            + "credentials_refused, detail";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate ownTransaction;

    DrillResults(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /**
     * Takes the drill's turn when the last drill (on any node) started at least {@code interval} ago, or always when
     * {@code interval} is null; the row is locked only while it is taken, never during the drill.
     */
    boolean takeTurn(Instant now, Duration interval) {
        return Boolean.TRUE.equals(ownTransaction.execute(status -> {
            OffsetDateTime last = jdbc.queryForObject(
                    "select last_started_at from revocation_drill_turn where name = ? for update",
                    (rs, n) -> rs.getObject(1, OffsetDateTime.class), TURN);
            if (interval != null && last != null && last.toInstant().isAfter(now.minus(interval))) {
                return false;
            }
            jdbc.update("update revocation_drill_turn set last_started_at = ? where name = ?", utc(now), TURN);
            return true;
        }));
    }

    void save(RevocationDrill.Result result) {
        ownTransaction.executeWithoutResult(status -> jdbc.update("insert into revocation_drill (" + COLUMNS
                        + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                result.drillId(), result.partnershipKey(), utc(result.startedAt()), utc(result.reportedAt()),
                utc(result.acceptedAt()), utc(result.verifiedAt()),
                result.duration() == null ? null : result.duration().toMillis(), result.outcome().name(),
                result.people(), result.machines(), result.tokensChecked(), result.tokensInactive(),
                result.credentialsChecked(), result.credentialsRefused(), shorten(result.detail())));
    }

    /** The last {@code count} drills, newest first. */
    public List<RevocationDrill.Result> latest(int count) {
        return jdbc.query("select " + COLUMNS + " from revocation_drill order by started_at desc, drill_id limit ?",
                (rs, n) -> result(rs), count);
    }

    public Optional<RevocationDrill.Result> find(String drillId) {
        return jdbc.query("select " + COLUMNS + " from revocation_drill where drill_id = ?", (rs, n) -> result(rs),
                drillId).stream().findFirst();
    }

    private static RevocationDrill.Result result(ResultSet rs) throws SQLException {
        long millis = rs.getLong("duration_ms");
        Duration duration = rs.wasNull() ? null : Duration.ofMillis(millis);
        return new RevocationDrill.Result(rs.getString("drill_id"), rs.getString("partnership_key"),
                instant(rs, "started_at"), instant(rs, "reported_at"), instant(rs, "accepted_at"),
                instant(rs, "verified_at"), duration,
                RevocationDrill.Outcome.valueOf(rs.getString("outcome")), rs.getInt("people"), rs.getInt("machines"),
                rs.getInt("tokens_checked"), rs.getInt("tokens_inactive"), rs.getInt("credentials_checked"),
                rs.getInt("credentials_refused"), rs.getString("detail"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime at = rs.getObject(column, OffsetDateTime.class);
        return at == null ? null : at.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static String shorten(String detail) {
        return detail == null || detail.length() <= 2000 ? detail : detail.substring(0, 1997) + "...";
    }
}
