package org.partneraccess.policy;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One outcome of the access policy; field names are the decision's output names. {@code rule} says why, for people:
 * the description of the table row that decided (null where the decision was not taken by {@link AccessPolicy}).
 * {@code dpopRequired}: a machine's access tokens must be bound to a key it holds (DPoP); null only in a replay on a
 * table version from before that output existed.
 */
public record PolicyDecision(String riskTier, boolean autoApprove, boolean securityOfficerApproval,
                             boolean ownerApproval, int maxAccessDays, int reviewCadenceDays,
                             int maxTokenLifespanSeconds, int rotationDays, boolean clientSecretAllowed,
                             Boolean dpopRequired, String definitionId, String rule) {

    /** A decision of one exact version of the table, without its explanation. */
    public PolicyDecision(String riskTier, boolean autoApprove, boolean securityOfficerApproval, boolean ownerApproval,
                          int maxAccessDays, int reviewCadenceDays, int maxTokenLifespanSeconds, int rotationDays,
                          boolean clientSecretAllowed, boolean dpopRequired, String definitionId) {
        this(riskTier, autoApprove, securityOfficerApproval, ownerApproval, maxAccessDays, reviewCadenceDays,
                maxTokenLifespanSeconds, rotationDays, clientSecretAllowed, dpopRequired, definitionId, null);
    }

    /** A decision without the table version it came from (tests, fixtures). */
    public PolicyDecision(String riskTier, boolean autoApprove, boolean securityOfficerApproval, boolean ownerApproval,
                          int maxAccessDays, int reviewCadenceDays, int maxTokenLifespanSeconds, int rotationDays,
                          boolean clientSecretAllowed, boolean dpopRequired) {
        this(riskTier, autoApprove, securityOfficerApproval, ownerApproval, maxAccessDays, reviewCadenceDays,
                maxTokenLifespanSeconds, rotationDays, clientSecretAllowed, dpopRequired, null);
    }

    /** A decision that needs no DPoP binding, without the table version it came from (tests, fixtures). */
    public PolicyDecision(String riskTier, boolean autoApprove, boolean securityOfficerApproval, boolean ownerApproval,
                          int maxAccessDays, int reviewCadenceDays, int maxTokenLifespanSeconds, int rotationDays,
                          boolean clientSecretAllowed) {
        this(riskTier, autoApprove, securityOfficerApproval, ownerApproval, maxAccessDays, reviewCadenceDays,
                maxTokenLifespanSeconds, rotationDays, clientSecretAllowed, false);
    }

    public static final String RISK_TIER = "riskTier";
    public static final String AUTO_APPROVE = "autoApprove";
    public static final String SECURITY_OFFICER_APPROVAL = "securityOfficerApproval";
    public static final String OWNER_APPROVAL = "ownerApproval";
    public static final String MAX_ACCESS_DAYS = "maxAccessDays";
    public static final String REVIEW_CADENCE_DAYS = "reviewCadenceDays";
    public static final String MAX_TOKEN_LIFESPAN_SECONDS = "maxTokenLifespanSeconds";
    public static final String ROTATION_DAYS = "rotationDays";
    public static final String CLIENT_SECRET_ALLOWED = "clientSecretAllowed";
    public static final String DPOP_REQUIRED = "dpopRequired";

    /** Reads a decision result; a missing output means the deployed table is broken, so it fails. */
    public static PolicyDecision of(Map<String, Object> result) {
        return of(result, null);
    }

    /** A decision result of one exact version of the table, kept so that the decision can be replayed. */
    public static PolicyDecision of(Map<String, Object> result, String definitionId) {
        PolicyDecision decision = ofVersion(result, definitionId);
        required(result, DPOP_REQUIRED);
        return decision;
    }

    /**
     * A decision result of a table version that may predate {@link #DPOP_REQUIRED} (a replay of a recorded decision):
     * that output is null then, and every other output still required.
     */
    public static PolicyDecision ofVersion(Map<String, Object> result, String definitionId) {
        return new PolicyDecision(
                (String) required(result, RISK_TIER),
                (Boolean) required(result, AUTO_APPROVE),
                (Boolean) required(result, SECURITY_OFFICER_APPROVAL),
                (Boolean) required(result, OWNER_APPROVAL),
                number(result, MAX_ACCESS_DAYS),
                number(result, REVIEW_CADENCE_DAYS),
                number(result, MAX_TOKEN_LIFESPAN_SECONDS),
                number(result, ROTATION_DAYS),
                (Boolean) required(result, CLIENT_SECRET_ALLOWED),
                (Boolean) result.get(DPOP_REQUIRED),
                definitionId, null);
    }

    /** The same decision, explained by the table row that took it. */
    public PolicyDecision withRule(String rule) {
        return new PolicyDecision(riskTier, autoApprove, securityOfficerApproval, ownerApproval, maxAccessDays,
                reviewCadenceDays, maxTokenLifespanSeconds, rotationDays, clientSecretAllowed, dpopRequired, definitionId,
                rule);
    }

    /** Why an access end date is beyond what this decision allows, or empty when it is within. */
    public java.util.Optional<String> endDateBeyondMaximum(java.time.LocalDate endDate) {
        java.time.LocalDate latest = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(maxAccessDays);
        return endDate.isAfter(latest) ? java.util.Optional.of("the policy allows at most " + maxAccessDays
                + " days for risk tier " + riskTier + ": " + latest + " at the latest") : java.util.Optional.empty();
    }

    /** As process variables and audit details. */
    public Map<String, Object> toVariables() {
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put(RISK_TIER, riskTier);
        variables.put(AUTO_APPROVE, autoApprove);
        variables.put(SECURITY_OFFICER_APPROVAL, securityOfficerApproval);
        variables.put(OWNER_APPROVAL, ownerApproval);
        variables.put(MAX_ACCESS_DAYS, maxAccessDays);
        variables.put(REVIEW_CADENCE_DAYS, reviewCadenceDays);
        variables.put(MAX_TOKEN_LIFESPAN_SECONDS, maxTokenLifespanSeconds);
        variables.put(ROTATION_DAYS, rotationDays);
        variables.put(CLIENT_SECRET_ALLOWED, clientSecretAllowed);
        if (dpopRequired != null) {
            variables.put(DPOP_REQUIRED, dpopRequired);
        }
        return variables;
    }

    private static Object required(Map<String, Object> result, String name) {
        Object value = result.get(name);
        if (value == null) {
            throw new IllegalStateException("the access policy returned no " + name);
        }
        return value;
    }

    // the DMN engine may hand back Integer or Long depending on the expression language
    private static int number(Map<String, Object> result, String name) {
        return ((Number) required(result, name)).intValue();
    }
}
