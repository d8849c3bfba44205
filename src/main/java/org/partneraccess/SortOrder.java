package org.partneraccess;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The order of a listing, from {@code sort} query parameters in either common form: {@code sort=endDate,desc&sort=id}
 * or {@code sort=-endDate,id}. Only the listed properties can be sorted by; the key column always comes last, so that
 * pages never overlap or skip a row. Nullable columns put their empty values last in both directions.
 */
public final class SortOrder {

    /** A sortable property: its column, and whether the column may hold no value. */
    public record Column(String name, boolean nullable) {

        public static Column of(String name) {
            return new Column(name, false);
        }

        public static Column nullable(String name) {
            return new Column(name, true);
        }
    }

    private final String orderBy;

    private SortOrder(String orderBy) {
        this.orderBy = orderBy;
    }

    /**
     * @param parameters the values of the {@code sort} parameter, possibly comma separated; none for the default
     * @param sortable   property name to column, in the order they are to be listed in a message
     * @param defaults   the order without parameters, as property names
     * @param key        the property that makes every row unique
     * @throws InvalidRequestException naming {@code sort} for an unknown property or a misplaced direction
     */
    public static SortOrder parse(List<String> parameters, Map<String, Column> sortable, List<String> defaults,
                                  String key) {
        Map<String, Boolean> ascending = new LinkedHashMap<>();
        String previous = null;
        List<String> tokens = new ArrayList<>();
        if (parameters != null) {
            parameters.forEach(value -> {
                for (String token : value.split(",")) {
                    if (!token.isBlank()) {
                        tokens.add(token.trim());
                    }
                }
            });
        }
        for (String token : tokens) {
            String lower = token.toLowerCase(Locale.ROOT);
            if (lower.equals("asc") || lower.equals("desc")) {
                if (previous == null) {
                    throw invalid("a direction must follow a property, as in endDate,desc");
                }
                ascending.put(previous, lower.equals("asc"));
                continue;
            }
            boolean descending = token.startsWith("-");
            String property = token.startsWith("-") || token.startsWith("+") ? token.substring(1) : token;
            if (!sortable.containsKey(property)) {
                throw invalid("unknown property " + abbreviate(property) + "; sortable are "
                        + String.join(", ", sortable.keySet()));
            }
            ascending.putIfAbsent(property, !descending);
            previous = property;
        }
        if (ascending.isEmpty()) {
            defaults.forEach(property -> ascending.put(property, true));
        }
        ascending.putIfAbsent(key, true);
        List<String> clauses = new ArrayList<>();
        ascending.forEach((property, up) -> {
            Column column = sortable.get(property);
            clauses.add(column.name() + (up ? " asc" : " desc") + (column.nullable() ? " nulls last" : ""));
        });
        return new SortOrder(String.join(", ", clauses));
    }

    /** The SQL {@code order by} list, built from known column names only. */
    public String orderBy() {
        return orderBy;
    }

    @Override
    public String toString() {
        return orderBy;
    }

    private static InvalidRequestException invalid(String message) {
        return new InvalidRequestException(Map.of("sort", message));
    }

    private static String abbreviate(String value) {
        String plain = value.replaceAll("[^A-Za-z0-9_.-]", "?");
        return plain.length() > 40 ? plain.substring(0, 40) + "…" : plain;
    }
}
