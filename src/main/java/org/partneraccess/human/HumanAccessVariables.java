package org.partneraccess.human;

import org.partneraccess.Variables;

/**
 * Process variable names of a partner person's process ({@code HumanAccessProcess}) and its forms. Names several
 * processes use (requester, partnershipKey, identityId, the access end, the shared elevation names) are in
 * {@link Variables}.
 */
public final class HumanAccessVariables {

    // human track
    public static final String FIRST_NAME = "firstName";
    public static final String LAST_NAME = "lastName";
    public static final String EMAIL = "email";
    /** Partner realm roles of a person; named like the permission scopes they stand for. */
    public static final String ROLES = "roles";
    public static final String KEPT_ROLES = "keptRoles";
    /** Date-times of the expiry warnings before the access end ({@link Variables#ACCESS_END}). */
    public static final String FIRST_EXPIRY_WARNING_AT = "firstExpiryWarningAt";
    public static final String FINAL_EXPIRY_WARNING_AT = "finalExpiryWarningAt";
    public static final String ELEVATION_ROLE = "elevationRole";
    public static final String ELEVATION_HOURS = "elevationHours";
    public static final String ELEVATION_UNTIL = "elevationUntil";
    /** The staff group that approves an elevation: chosen by the access policy. */
    public static final String ELEVATION_APPROVERS = "elevationApprovers";

    private HumanAccessVariables() {
    }
}
