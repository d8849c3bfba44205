package org.partneraccess.continuity;

import org.partneraccess.Variables;

/**
 * Process variable names of the owner reassignment ({@code OwnerReassignmentProcess}) and its form. The staff users it
 * hands over in the other processes are named by {@link Variables} (sponsor, a machine's owner and approvers) and by
 * {@code partnership/PartnershipVariables} (business and technical owner).
 */
public final class OwnerReassignmentVariables {

    // ---- owner continuity (business key: the departed staff user's id)
    public static final String DEPARTED_USER = "departedUser";
    /** DISABLED or DELETED in the staff realm. */
    public static final String DEPARTURE = "departure";
    /** What named the departed user when the task opened, for the form: comma separated keys and ids, and a text. */
    public static final String AFFECTED_PARTNERSHIPS = "affectedPartnerships";
    public static final String AFFECTED_IDENTITIES = "affectedIdentities";
    public static final String AFFECTED_SUMMARY = "affectedSummary";
    /** The staff user who takes over every role the departed user held. */
    public static final String SUCCESSOR = "successor";
    public static final String REASSIGNMENT_COMMENT = "reassignmentComment";
    /** ISO-8601 duration the security officers have before the ownerless access is suspended. */
    public static final String REASSIGNMENT_DEADLINE = "reassignmentDeadline";

    private OwnerReassignmentVariables() {
    }
}
