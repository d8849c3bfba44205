package org.partneraccess.audit;

/**
 * The audit actions of a partner identity's lifecycle, one vocabulary: each name is what the trail stores, so renaming
 * one breaks every reader of the trail (receipts, exports, the SIEM). Actions of partnerships and of the service's own
 * operation are still named where they are recorded.
 */
public enum IdentityAction {
    ACCESS_REQUESTED, MACHINE_REGISTRATION_REQUESTED,
    ACCESS_APPROVED, MACHINE_APPROVED,
    ACCESS_REJECTED, MACHINE_REJECTED,
    IDENTITY_PROVISIONED, MACHINE_CLIENT_PROVISIONED,
    IDENTITY_UNDER_REVIEW, IDENTITY_RECERTIFIED,
    IDENTITY_SUSPENDED, MACHINE_SUSPENDED,
    IDENTITY_RESUMED, MACHINE_RESUMED,
    MACHINE_SECRET_ROTATED,
    /** revoked by its own process, the sweep or the partnership's termination */
    IDENTITY_REVOKED, MACHINE_REVOKED,
    /** revoked by an incident's cut-off, with its proof */
    IDENTITY_CUT_OFF,
    MACHINE_CLIENT_DELETED,
    /** a step the identity's state does not allow, refused (see inventory's IdentityStates) */
    IDENTITY_TRANSITION_REFUSED
}
