package org.partneraccess.audit;

/**
 * The audit actions of a partner identity's lifecycle, people's and machines' (see {@link AuditAction}).
 */
public enum IdentityAction implements AuditAction {
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
    IDENTITY_TRANSITION_REFUSED,
    /** Keycloak's first record of the identity signing in or taking a token, by the partner */
    IDENTITY_FIRST_USED,
    INVITATION_SENT,
    ELEVATION_GRANTED, ELEVATION_ENDED, ELEVATION_REJECTED,
    MACHINE_ELEVATION_GRANTED, MACHINE_ELEVATION_REMOVED, MACHINE_ELEVATION_REJECTED,
    MACHINE_SECRET_HANDOVER_OPENED, MACHINE_SECRET_RETRIEVED, MACHINE_SECRET_RETRIEVAL_REFUSED,
    MACHINE_SECRET_RENEWAL_REQUESTED,
    /** no token for the unused period, found by its last-use check */
    MACHINE_UNUSED, MACHINE_USE_CONFIRMED
}
