package org.partneraccess.audit;

/**
 * The audit actions of the service's own controls: owners who leave, drift between Keycloak and the registry, the
 * revocation drill, held model changes and staff accounts refused at sign-in.
 */
public enum GovernanceAction implements AuditAction {
    OWNER_DEPARTED, OWNERSHIP_TRANSFERRED, OWNERLESS_ACCESS_SUSPENDED, OWNERLESS_ACCESS_LEFT,
    DRIFT_REVIEW_OPENED, DRIFT_REVIEW_DECIDED, DRIFT_ACCEPTED, DRIFT_CORRECTED, DRIFT_CORRECTION_REFUSED, DRIFT_GONE,
    REVOCATION_DRILL_STARTED, REVOCATION_DRILL_VERIFIED, REVOCATION_DRILL_FAILED, REVOCATION_DRILL_CLEANED_UP,
    MODEL_CHANGE_SUBMITTED, MODEL_CHANGE_APPROVED, MODEL_CHANGE_REJECTED, MODEL_CHANGE_EXPIRED,
    STAFF_ACCOUNT_REFUSED
}
