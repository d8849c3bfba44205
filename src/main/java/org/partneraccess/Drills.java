package org.partneraccess;

/**
 * The revocation drill's synthetic partnerships: their keys carry a prefix that no request may use, so that listings,
 * business figures and the API's doors can tell them from real ones by the key alone.
 */
public final class Drills {

    /** The key prefix reserved for the drill's synthetic partnerships. */
    public static final String KEY_PREFIX = "drill-";
    /** The same as a SQL condition on a table's {@code partnership_key} column (a literal: no user input). */
    public static final String NOT_A_DRILL = "partnership_key not like '" + KEY_PREFIX + "%'";

    private Drills() {
    }

    public static boolean isDrill(String partnershipKey) {
        return partnershipKey != null && partnershipKey.startsWith(KEY_PREFIX);
    }
}
