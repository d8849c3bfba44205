package org.partneraccess.partnership;

import java.io.OutputStream;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.partneraccess.Drills;
import org.partneraccess.CsvOutput;
import org.partneraccess.LifecycleState;
import org.partneraccess.SortOrder;
import org.partneraccess.SortOrder.Column;
import org.partneraccess.StringSetConverter;
import org.partneraccess.security.StaffDirectory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Listings of the partnership registry: a page with its total, or every matching row streamed as CSV. Each row also
 * carries when any identity of the partnership was last used.
 */
@Service
public class PartnershipListing {

    public static final int MAX_PAGE_SIZE = 500;
    static final int EXPORT_FETCH_SIZE = 500;

    static final Map<String, Column> SORTABLE = sortable();
    static final List<String> DEFAULT_ORDER = List.of("key");
    private static final String COLUMNS = "p.partnership_key, p.legal_name, p.state, p.state_reason, p.sponsor, "
            + "p.business_owner, p.technical_owner, p.purpose, p.data_classes, p.environments, p.client_scopes, "
            + "p.end_date, p.risk_tier, p.requested_by, p.approved_by, p.approved_at, p.next_review_at, p.created_at, "
            + "(select max(i.last_used_at) from partner_identity i where i.partnership_key = p.partnership_key) "
            + "as last_used_at";
    private static final String REQUESTED_BY = "select " + COLUMNS + " from partnership p "
            + "where lower(p.requested_by) = ?";
    private static final StringSetConverter SETS = new StringSetConverter();

    private final JdbcTemplate jdbc;

    PartnershipListing(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A page of partnerships and how many match in all. */
    public record Page(List<PartnershipController.PartnershipView> items, int page, int size, long total) {
    }

    @Transactional(readOnly = true)
    public Page page(PartnershipFilter filter, List<String> sort, int page, int size) {
        Query query = query(filter, sort);
        int number = Math.max(page, 0);
        int limit = Math.min(Math.max(size, 1), MAX_PAGE_SIZE);
        List<Object> arguments = new ArrayList<>(query.arguments());
        arguments.add(limit);
        arguments.add((long) number * limit);
        List<PartnershipController.PartnershipView> items = jdbc.query(query.select() + " limit ? offset ?",
                (rs, n) -> view(rs), arguments.toArray());
        long total = items.size() < limit && (number == 0 || !items.isEmpty())
                ? (long) number * limit + items.size()
                : jdbc.queryForObject("select count(*) from partnership p" + query.where(), Long.class,
                query.arguments().toArray());
        return new Page(items, number, limit, total);
    }

    /** The partnerships {@code requester} asked for, newest first, at most {@value #MAX_PAGE_SIZE}. */
    @Transactional(readOnly = true)
    public List<PartnershipController.PartnershipView> requestedBy(String requester) {
        return jdbc.query(REQUESTED_BY + " order by p.created_at desc, p.partnership_key limit ?", (rs, n) -> view(rs),
                StaffDirectory.canonical(requester), MAX_PAGE_SIZE);
    }

    /** The partnership {@code key}, if {@code requester} asked for it. */
    @Transactional(readOnly = true)
    public Optional<PartnershipController.PartnershipView> requestedBy(String requester, String key) {
        return jdbc.query(REQUESTED_BY + " and p.partnership_key = ?", (rs, n) -> view(rs),
                StaffDirectory.canonical(requester), key).stream().findFirst();
    }

    /** Writes every matching partnership as CSV while reading it. */
    @Transactional(readOnly = true)
    public long exportCsv(PartnershipFilter filter, List<String> sort, OutputStream out) {
        Query query = query(filter, sort);
        long[] rows = {0};
        try (CsvOutput csv = new CsvOutput(out, PartnershipController.PartnershipView.CSV_HEADER)) {
            jdbc.query(connection -> {
                PreparedStatement statement = connection.prepareStatement(query.select(), ResultSet.TYPE_FORWARD_ONLY,
                        ResultSet.CONCUR_READ_ONLY);
                statement.setFetchSize(EXPORT_FETCH_SIZE);
                List<Object> arguments = query.arguments();
                for (int i = 0; i < arguments.size(); i++) {
                    statement.setObject(i + 1, arguments.get(i));
                }
                return statement;
            }, (RowCallbackHandler) rs -> {
                csv.row(view(rs).csvRow());
                rows[0]++;
            });
        }
        return rows[0];
    }

    private record Query(String where, List<Object> arguments, SortOrder order) {

        String select() {
            return "select " + COLUMNS + " from partnership p" + where + " order by " + order.orderBy();
        }
    }

    private static Query query(PartnershipFilter filter, List<String> sort) {
        List<String> conditions = new ArrayList<>();
        List<Object> arguments = new ArrayList<>();
        // the revocation drill's synthetic partnerships are no business of staff
        conditions.add("p." + Drills.NOT_A_DRILL);
        if (!filter.states().isEmpty()) {
            List<LifecycleState> states = filter.states().stream().sorted().toList();
            conditions.add("p.state in (" + String.join(", ", states.stream().map(s -> "?").toList()) + ")");
            states.forEach(state -> arguments.add(state.name()));
        }
        if (filter.sponsor() != null) {
            conditions.add("p.sponsor = ?");
            arguments.add(filter.sponsor());
        }
        if (filter.expiringBefore() != null) {
            conditions.add("p.end_date < ?");
            arguments.add(filter.expiringBefore());
        }
        if (filter.reviewBefore() != null) {
            conditions.add("p.next_review_at < ?");
            arguments.add(filter.reviewBefore().atOffset(ZoneOffset.UTC));
        }
        String where = conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions);
        return new Query(where, arguments, SortOrder.parse(sort, SORTABLE, DEFAULT_ORDER, "key"));
    }

    private static PartnershipController.PartnershipView view(ResultSet rs) throws SQLException {
        java.sql.Date end = rs.getDate("end_date");
        return new PartnershipController.PartnershipView(rs.getString("partnership_key"), rs.getString("legal_name"),
                LifecycleState.valueOf(rs.getString("state")), rs.getString("state_reason"), rs.getString("sponsor"),
                rs.getString("business_owner"), rs.getString("technical_owner"), rs.getString("purpose"),
                SETS.convertToEntityAttribute(rs.getString("data_classes")),
                SETS.convertToEntityAttribute(rs.getString("environments")),
                SETS.convertToEntityAttribute(rs.getString("client_scopes")), end == null ? null : end.toLocalDate(),
                rs.getString("risk_tier"), rs.getString("requested_by"), rs.getString("approved_by"),
                instant(rs, "approved_at"), instant(rs, "created_at"), instant(rs, "next_review_at"),
                instant(rs, "last_used_at"), null);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static Map<String, Column> sortable() {
        Map<String, Column> columns = new LinkedHashMap<>();
        columns.put("key", Column.of("p.partnership_key"));
        columns.put("legalName", Column.of("p.legal_name"));
        columns.put("state", Column.of("p.state"));
        columns.put("sponsor", Column.of("p.sponsor"));
        columns.put("endDate", Column.of("p.end_date"));
        columns.put("riskTier", Column.nullable("p.risk_tier"));
        columns.put("approvedAt", Column.nullable("p.approved_at"));
        columns.put("nextReviewAt", Column.nullable("p.next_review_at"));
        columns.put("createdAt", Column.of("p.created_at"));
        columns.put("lastUsedAt", Column.nullable("last_used_at"));
        return Collections.unmodifiableMap(columns);
    }
}
