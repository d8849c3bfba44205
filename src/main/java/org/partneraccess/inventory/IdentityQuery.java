package org.partneraccess.inventory;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.partneraccess.Drills;
import org.partneraccess.LifecycleState;
import org.partneraccess.SortOrder;
import org.partneraccess.SortOrder.Column;

/**
 * The one SQL statement behind every inventory listing (a JSON page, its total, a CSV export): filters as bind
 * parameters, the order from known columns only. Public so that the statement can be examined where it runs, e.g. with
 * the database's query plan.
 */
public final class IdentityQuery {

    /** Sortable properties (the names of the JSON fields) and their columns. */
    static final Map<String, Column> SORTABLE = sortable();
    static final List<String> DEFAULT_ORDER = List.of("endDate", "id");
    static final String COLUMNS = "identity_id, partnership_key, kind, state, state_reason, display_name, "
            + "keycloak_name, owner, purpose, environment, client_scopes, end_date, requested_by, approved_by, "
            + "approved_at, next_review_at, last_used_at, revoked_at";

    private final String where;
    private final List<Object> arguments;
    private final SortOrder order;

    private IdentityQuery(String where, List<Object> arguments, SortOrder order) {
        this.where = where;
        this.arguments = arguments;
        this.order = order;
    }

    /**
     * @param sort values of the {@code sort} parameter (see {@link SortOrder}); none: by end date, then id
     * @throws org.partneraccess.InvalidRequestException naming {@code sort} when it names an unknown property
     */
    public static IdentityQuery of(IdentityFilter filter, List<String> sort) {
        List<String> conditions = new ArrayList<>();
        List<Object> arguments = new ArrayList<>();
        conditions.add(Drills.NOT_A_DRILL); // the revocation drill's synthetic identities are no business of staff
        if (!filter.states().isEmpty()) {
            List<LifecycleState> states = filter.states().stream().sorted().toList();
            conditions.add("state in (" + String.join(", ", states.stream().map(s -> "?").toList()) + ")");
            states.forEach(state -> arguments.add(state.name()));
        }
        if (filter.kind() != null) {
            conditions.add("kind = ?");
            arguments.add(filter.kind().name());
        }
        if (filter.partnership() != null) {
            conditions.add("partnership_key = ?");
            arguments.add(filter.partnership());
        }
        if (filter.owner() != null) {
            conditions.add("owner = ?");
            arguments.add(filter.owner());
        }
        if (filter.expiringBefore() != null) {
            conditions.add("end_date < ?");
            arguments.add(utc(filter.expiringBefore()));
        }
        if (filter.reviewBefore() != null) {
            conditions.add("next_review_at < ?");
            arguments.add(utc(filter.reviewBefore()));
        }
        String where = conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions);
        return new IdentityQuery(where, List.copyOf(arguments),
                SortOrder.parse(sort, SORTABLE, DEFAULT_ORDER, "id"));
    }

    /** Every matching row, in order. */
    public String selectSql() {
        return "select " + COLUMNS + " from partner_identity" + where + " order by " + order.orderBy();
    }

    /** One page: {@link #pageArguments} binds its size and offset. */
    public String pageSql() {
        return selectSql() + " limit ? offset ?";
    }

    public String countSql() {
        return "select count(*) from partner_identity" + where;
    }

    public Object[] arguments() {
        return arguments.toArray();
    }

    public Object[] pageArguments(int page, int size) {
        List<Object> all = new ArrayList<>(arguments);
        all.add(size);
        all.add((long) page * size);
        return all.toArray();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static Map<String, Column> sortable() {
        Map<String, Column> columns = new LinkedHashMap<>();
        columns.put("id", Column.of("identity_id"));
        columns.put("partnershipKey", Column.of("partnership_key"));
        columns.put("kind", Column.of("kind"));
        columns.put("state", Column.of("state"));
        columns.put("displayName", Column.of("display_name"));
        columns.put("keycloakName", Column.of("keycloak_name"));
        columns.put("owner", Column.of("owner"));
        columns.put("endDate", Column.of("end_date"));
        columns.put("requestedBy", Column.of("requested_by"));
        columns.put("approvedBy", Column.nullable("approved_by"));
        columns.put("approvedAt", Column.nullable("approved_at"));
        columns.put("nextReviewAt", Column.nullable("next_review_at"));
        columns.put("lastUsedAt", Column.nullable("last_used_at"));
        columns.put("revokedAt", Column.nullable("revoked_at"));
        return java.util.Collections.unmodifiableMap(columns);
    }
}
