package org.partneraccess.machine;

import org.partneraccess.Variables;
import org.partneraccess.policy.PolicyDecision;

/**
 * Process variable names of a partner machine's process ({@code MachineAccessProcess}) and its forms. Names several
 * processes use (requester, partnershipKey, identityId, purpose, clientScopes, the access end, the owner and the
 * approvers that owner continuity hands over, the shared elevation names) are in {@link Variables}.
 */
public final class MachineAccessVariables {

    // ---- machine track: the registration (requester, partnershipKey, identityId, purpose and clientScopes shared)
    public static final String WORKLOAD_NAME = "workloadName";
    /** SERVICE_ACCOUNT, WORKLOAD or AI_AGENT. */
    public static final String MACHINE_KIND = "machineKind";
    public static final String ENVIRONMENT = "environment";
    public static final String TOKEN_LIFESPAN_SECONDS = "tokenLifespanSeconds";
    /** SIGNED_JWT or CLIENT_SECRET. */
    public static final String AUTH_METHOD = "authMethod";
    public static final String JWKS_URL = "jwksUrl";
    /** Public keys only: the partner's JWKS as JSON text. */
    public static final String JWKS = "jwks";
    /** A federated machine's workload subject (e.g. system:serviceaccount:orders:sync). */
    public static final String WORKLOAD_SUBJECT = "workloadSubject";
    public static final String AUTO_APPROVE = PolicyDecision.AUTO_APPROVE;
    public static final String OWNER_APPROVED = "ownerApproved";
    public static final String OWNER_COMMENT = "ownerComment";
    /** ISO-8601 durations the machine's timers run on (and accessEnd, shared with the human track). */
    public static final String ROTATION_INTERVAL = "rotationInterval";
    public static final String RETENTION_PERIOD = "retentionPeriod";
    public static final String USE_CHECK_INTERVAL = "useCheckInterval";
    public static final String UNUSED_REVIEW_DEADLINE = "unusedReviewDeadline";
    /** Set by the last-use check: no token obtained for longer than the configured period. */
    public static final String MACHINE_UNUSED = "machineUnused";
    public static final String LAST_USED_AT = "lastUsedAt";
    /** The owner's answer at an inactivity review. */
    public static final String KEEP_MACHINE = "keepMachine";
    /** The trigger of an IdentityAccessEnds that came during a machine's retention: mapped out by the catching event. */
    public static final String DELETION_TRIGGER = "deletionTrigger";
    // time-boxed elevation, sent with MachineScopeElevationRequested (reason, requester, approver, approved and
    // comment shared)
    public static final String ELEVATION_SCOPES = "elevationScopes";
    /** ISO-8601 duration the extra scopes last once granted. */
    public static final String ELEVATION_DURATION = "elevationDuration";
    public static final String ELEVATION_AUTO_APPROVE = "elevationAutoApprove";
    public static final String ELEVATION_SECURITY_OFFICER_APPROVAL = "elevationSecurityOfficerApproval";
    public static final String ELEVATION_SECURITY_OFFICER_APPROVED = "elevationSecurityOfficerApproved";

    private MachineAccessVariables() {
    }
}
