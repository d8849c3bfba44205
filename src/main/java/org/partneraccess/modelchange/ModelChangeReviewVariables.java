package org.partneraccess.modelchange;

import org.partneraccess.Variables;

/**
 * Process variable names of a model change's review ({@code ModelChangeReviewProcess}) and its form; the requester is
 * shared ({@link Variables}).
 */
public final class ModelChangeReviewVariables {

    // ---- model change review (business key: the stored change's id; the change is read from the registry) ----
    public static final String MODEL_CHANGE_NAME = "modelChangeName";
    public static final String MODEL_CHANGE_SUMMARY = "modelChangeSummary";
    public static final String MODEL_CHANGE_APPROVED = "modelChangeApproved";
    public static final String MODEL_CHANGE_COMMENT = "modelChangeComment";
    /** ISO-8601 duration the security officers have before the change is dropped. */
    public static final String MODEL_CHANGE_REVIEW_DEADLINE = "modelChangeReviewDeadline";

    private ModelChangeReviewVariables() {
    }
}
