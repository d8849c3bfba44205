package org.partneraccess.drift;

import org.partneraccess.Variables;

/**
 * Process variable names of a drift finding's review ({@code DriftReviewProcess}) and its form; identityId,
 * partnershipKey and the review comment are shared ({@link Variables}).
 */
public final class DriftReviewVariables {

    // ---- drift review (business key: the stored finding's id). The finding's fields are for the form to show: the
    // review reads the stored finding, never these. Only the decision and the comment are the reviewer's input.
    /** ORPHAN, REVOKED_BUT_ACTIVE, EXCESS_PRIVILEGE or LIFESPAN_BEYOND_POLICY. */
    public static final String DRIFT_KIND = "driftKind";
    /** USER or CLIENT. */
    public static final String DRIFT_OBJECT_TYPE = "driftObjectType";
    /** The username or OAuth client id in the partner realm. */
    public static final String DRIFT_OBJECT_NAME = "driftObjectName";
    public static final String DRIFT_EXPECTED = "driftExpected";
    public static final String DRIFT_FOUND = "driftFound";
    /** The roles or scopes beyond approval, comma separated. */
    public static final String DRIFT_EXCESS = "driftExcess";
    /** Staff users who review the finding, comma separated; empty: the security officers. */
    public static final String DRIFT_REVIEWERS = "driftReviewers";
    public static final String DRIFT_HAS_REVIEWERS = "driftHasReviewers";
    /** ISO-8601 duration a drift review may stay open before the security officers are told: its due date. */
    public static final String DRIFT_REVIEW_DEADLINE = "driftReviewDeadline";
    /** The reviewer's answer: ACCEPT (leave it as it is) or CORRECT (revoke it, or remove the excess). */
    public static final String DRIFT_DECISION = "driftDecision";

    private DriftReviewVariables() {
    }
}
