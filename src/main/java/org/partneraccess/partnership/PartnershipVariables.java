package org.partneraccess.partnership;

import org.partneraccess.Variables;

/**
 * Process variable names of the partnership process ({@code PartnershipProcess}), its forms and the steps other
 * features run in it (the incident cut-off of {@code revocation}). Names several processes use are in
 * {@link Variables}.
 */
public final class PartnershipVariables {

    // the request (requester, partnershipKey, sponsor, purpose, data classes, scopes and end date are shared)
    public static final String LEGAL_NAME = "legalName";
    public static final String BUSINESS_OWNER = "businessOwner";
    public static final String TECHNICAL_OWNER = "technicalOwner";
    public static final String ENVIRONMENTS = "environments";
    public static final String CONTACT_EMAIL = "contactEmail";
    public static final String CONTACT_FIRST_NAME = "contactFirstName";
    public static final String CONTACT_LAST_NAME = "contactLastName";
    public static final String CONTACT_IDENTITY_ID = "contactIdentityId";

    // set from the access policy decision
    /**
     * When a scope change's approvals are due, by the risk tier the policy gave the change; as
     * {@link Variables#APPROVAL_DUE}.
     */
    public static final String SCOPE_CHANGE_APPROVAL_DUE = "scopeChangeApprovalDue";
    /** ISO-8601 duration the sponsor has for the review after a risk downgrade: its due date and escalation. */
    public static final String RISK_DOWNGRADE_REVIEW_DEADLINE = "riskDowngradeReviewDeadline";
    /** ISO-8601 date-time of the contract end, for the contract end timer. */
    public static final String CONTRACT_END = "contractEnd";

    // recertification and reviews
    public static final String KEPT_SCOPES = "keptScopes";

    // scope changes: the full sets asked for, and the decisions on them (the requester is shared)
    public static final String REQUESTED_SCOPES = "requestedScopes";
    public static final String REQUESTED_DATA_CLASSES = "requestedDataClasses";
    public static final String REQUESTED_ENVIRONMENTS = "requestedEnvironments";
    public static final String SCOPE_CHANGE_REASON = "scopeChangeReason";
    public static final String SCOPE_CHANGE_SECURITY_OFFICER_APPROVAL = "scopeChangeSecurityOfficerApproval";
    public static final String SCOPE_CHANGE_COMMENT = "scopeChangeComment";
    public static final String SCOPE_CHANGE_APPROVED = "scopeChangeApproved";
    public static final String SCOPE_CHANGE_SECURITY_OFFICER_APPROVED = "scopeChangeSecurityOfficerApproved";

    // lifecycle triggers: sent with the messages, or set by the boundary events (the shared ones are in Variables)
    public static final String RISK_DOWNGRADE_REASON = "riskDowngradeReason";
    public static final String INCIDENT_TERMINATE = "incidentTerminate";
    /** When the incident was reported and when the cut-off finished: the timings of its evidence. */
    public static final String INCIDENT_REPORTED_AT = "incidentReportedAt";
    public static final String INCIDENT_CUT_OFF_AT = "incidentCutOffAt";
    /** How many identities the last cut-off attempt could not revoke yet. */
    public static final String UNREVOKED_IDENTITIES = "unrevokedIdentities";
    /** Whether the security officers have been mailed about what an incident could not revoke yet. */
    public static final String UNREVOKED_ALERT_SENT = "unrevokedAlertSent";

    private PartnershipVariables() {
    }
}
