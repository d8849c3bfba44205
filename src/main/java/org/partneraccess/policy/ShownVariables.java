package org.partneraccess.policy;

/**
 * Process variable names of what the approval and review forms of every process show, as plain text (see
 * {@link ShownFacts}, their only writer): a display cache, never read back.
 */
public final class ShownVariables {

    // shown by approval and review forms, as plain text (see ShownFacts): a display cache, never read back
    /** Why the policy decided the risk tier: the description of the table row that fired. */
    public static final String RISK_RULE = "riskRule";
    public static final String SHOWN_SCOPES = "shownScopes";
    public static final String SHOWN_ROLES = "shownRoles";
    public static final String SHOWN_DATA_CLASSES = "shownDataClasses";
    public static final String SHOWN_ENVIRONMENTS = "shownEnvironments";
    public static final String SHOWN_OWNERS = "shownOwners";
    public static final String SHOWN_CONTACT = "shownContact";
    /** The partnership a person or machine joins. */
    public static final String SHOWN_PARTNERSHIP = "shownPartnership";
    /** How long access lasts, through which day, and the policy's limit. */
    public static final String SHOWN_LIFESPAN = "shownLifespan";
    /** The policy's risk tier, and why, for a requested change (scope change, elevation) as it would stand with it. */
    public static final String CHANGE_RISK_TIER = "changeRiskTier";
    public static final String CHANGE_RISK_RULE = "changeRiskRule";

    private ShownVariables() {
    }
}
