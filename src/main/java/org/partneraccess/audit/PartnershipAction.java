package org.partneraccess.audit;

/**
 * The audit actions of a partnership: its lifecycle, its scope changes, incidents reported against it, and its workload
 * trust.
 */
public enum PartnershipAction implements AuditAction {
    PARTNERSHIP_REQUESTED, PARTNERSHIP_APPROVED, PARTNERSHIP_REJECTED, PARTNERSHIP_ACTIVATED,
    /** the registry moved to the state the name ends with (PartnershipService.moveTo) */
    PARTNERSHIP_ACTIVE, PARTNERSHIP_UNDER_REVIEW, PARTNERSHIP_SUSPENDED, PARTNERSHIP_REVOKED,
    PARTNERSHIP_RECERTIFIED, PARTNERSHIP_SCOPES_REDUCED,
    SCOPE_CHANGE_APPLIED, SCOPE_CHANGE_REJECTED,
    /** the first line of an incident's proof, by the reporter */
    INCIDENT_REPORTED,
    /** what Keycloak showed when the cut-off was verified */
    INCIDENT_VERIFIED,
    /** a trigger accepted while the process that should act on it could not take it */
    INCIDENT_PROCESS_UNAVAILABLE, TERMINATION_PROCESS_UNAVAILABLE, RESUMPTION_PROCESS_UNAVAILABLE,
    /** the process reached a suspension the expiry sweep had made already */
    SUSPENSION_PROCESS_CAUGHT_UP,
    /** the partnership's workload issuer: requested, decided, and following the partnership's suspensions and end */
    WORKLOAD_TRUST_REQUESTED, WORKLOAD_TRUST_APPROVED, WORKLOAD_TRUST_REJECTED, WORKLOAD_TRUST_SUSPENDED,
    WORKLOAD_TRUST_RESUMED, WORKLOAD_TRUST_REVOKED, WORKLOAD_TRUST_CUT_OFF_FAILED
}
