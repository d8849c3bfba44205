package org.partneraccess.inventory;

import java.io.OutputStream;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import org.partneraccess.CsvOutput;
import org.partneraccess.LifecycleState;
import org.partneraccess.StringSetConverter;
import org.partneraccess.security.StaffDirectory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Reads the inventory for listings: a page with its total, or every matching row streamed as CSV. */
@Service
public class IdentityInventory {

    public static final int MAX_PAGE_SIZE = 500;
    /** Rows fetched from the database per round trip while exporting. */
    static final int EXPORT_FETCH_SIZE = 1000;

    private static final StringSetConverter SETS = new StringSetConverter();
    private static final String REQUESTED_BY = "select " + IdentityQuery.COLUMNS + ", created_at from partner_identity "
            + "where lower(requested_by) = ?";

    private final JdbcTemplate jdbc;

    IdentityInventory(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Page numbers start at 0; the size is kept between 1 and {@value #MAX_PAGE_SIZE}. */
    @Transactional(readOnly = true)
    public IdentityPage page(IdentityQuery query, int page, int size) {
        int number = Math.max(page, 0);
        int limit = Math.min(Math.max(size, 1), MAX_PAGE_SIZE);
        List<IdentityView> items = jdbc.query(query.pageSql(), (rs, n) -> view(rs), query.pageArguments(number, limit));
        long total = items.size() < limit && (number == 0 || !items.isEmpty())
                ? (long) number * limit + items.size()
                : jdbc.queryForObject(query.countSql(), Long.class, query.arguments());
        return new IdentityPage(items, number, limit, total);
    }

    @Transactional(readOnly = true)
    public Optional<IdentityView> find(String identityId) {
        return jdbc.query("select " + IdentityQuery.COLUMNS + " from partner_identity where identity_id = ?",
                (rs, n) -> view(rs), identityId).stream().findFirst();
    }

    /** Every identity of a partnership, however many (for a receipt that must name each one). */
    @Transactional(readOnly = true)
    public List<IdentityView> ofPartnership(String partnershipKey) {
        return jdbc.query("select " + IdentityQuery.COLUMNS + " from partner_identity where partnership_key = ?",
                (rs, n) -> view(rs), partnershipKey);
    }

    /** A person or machine someone asked for, and when. */
    public record Requested(IdentityView identity, Instant requestedAt) {
    }

    /** The people and machines {@code requester} asked for, newest first, at most {@value #MAX_PAGE_SIZE}. */
    @Transactional(readOnly = true)
    public List<Requested> requestedBy(String requester) {
        return jdbc.query(REQUESTED_BY + " order by created_at desc, identity_id limit ?", IdentityInventory::requested,
                StaffDirectory.canonical(requester), MAX_PAGE_SIZE);
    }

    /** The person or machine {@code identityId}, if {@code requester} asked for it. */
    @Transactional(readOnly = true)
    public Optional<Requested> requestedBy(String requester, String identityId) {
        return jdbc.query(REQUESTED_BY + " and identity_id = ?", IdentityInventory::requested,
                StaffDirectory.canonical(requester), identityId).stream().findFirst();
    }

    private static Requested requested(ResultSet rs, int row) throws SQLException {
        return new Requested(view(rs), instant(rs, "created_at"));
    }

    /**
     * Writes every matching row as CSV while reading it: the database hands the rows over in batches (a cursor in a
     * read-only transaction), and each row is written before the next is read.
     */
    @Transactional(readOnly = true)
    public long exportCsv(IdentityQuery query, OutputStream out) {
        long[] rows = {0};
        try (CsvOutput csv = new CsvOutput(out, IdentityView.CSV_HEADER)) {
            jdbc.query(connection -> {
                PreparedStatement statement = connection.prepareStatement(query.selectSql(),
                        ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
                statement.setFetchSize(EXPORT_FETCH_SIZE);
                Object[] arguments = query.arguments();
                for (int i = 0; i < arguments.length; i++) {
                    statement.setObject(i + 1, arguments[i]);
                }
                return statement;
            }, (RowCallbackHandler) rs -> {
                csv.row(view(rs).csvRow());
                rows[0]++;
            });
        }
        return rows[0];
    }

    static IdentityView view(ResultSet rs) throws SQLException {
        return IdentityView.of(rs.getString("identity_id"), rs.getString("partnership_key"),
                IdentityKind.valueOf(rs.getString("kind")), LifecycleState.valueOf(rs.getString("state")),
                rs.getString("state_reason"), rs.getString("display_name"), rs.getString("keycloak_name"),
                rs.getString("owner"), rs.getString("purpose"), rs.getString("environment"),
                SETS.convertToEntityAttribute(rs.getString("client_scopes")), instant(rs, "end_date"),
                rs.getString("requested_by"), rs.getString("approved_by"), instant(rs, "approved_at"),
                instant(rs, "next_review_at"), instant(rs, "last_used_at"), instant(rs, "revoked_at"));
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
