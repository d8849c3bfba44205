package org.partneraccess;

import java.util.Set;

/** Ids of processes, decisions, forms and messages: the public contract, in one place. */
public final class ProcessIds {

    public static final String PARTNERSHIP_PROCESS = "PartnershipProcess";
    public static final String HUMAN_ACCESS_PROCESS = "HumanAccessProcess";
    public static final String MACHINE_ACCESS_PROCESS = "MachineAccessProcess";
    public static final String PARTNER_ACCESS_POLICY = "PartnerAccessPolicy";

    public static final String PARTNERSHIP_REQUEST_FORM = "PartnershipRequestForm";
    public static final String SPONSOR_APPROVAL_FORM = "SponsorApprovalForm";
    public static final String SECURITY_OFFICER_APPROVAL_FORM = "SecurityOfficerApprovalForm";
    public static final String RECERTIFICATION_FORM = "RecertificationForm";
    public static final String SCOPE_CHANGE_APPROVAL_FORM = "ScopeChangeApprovalForm";
    public static final String SCOPE_CHANGE_SECURITY_OFFICER_APPROVAL_FORM = "ScopeChangeSecurityOfficerApprovalForm";

    public static final String TASK_APPROVE_AS_SPONSOR = "Task_ApproveAsSponsor";
    public static final String TASK_APPROVE_AS_SECURITY_OFFICER = "Task_ApproveAsSecurityOfficer";
    public static final String TASK_RECERTIFY_AS_SPONSOR = "Task_RecertifyAsSponsor";
    public static final String TASK_APPROVE_SCOPE_CHANGE_AS_SPONSOR = "Task_ApproveScopeChangeAsSponsor";
    public static final String TASK_APPROVE_SCOPE_CHANGE_AS_SECURITY_OFFICER = "Task_ApproveScopeChangeAsSecurityOfficer";
    public static final String TASK_REVIEW_AFTER_RISK_DOWNGRADE = "Task_ReviewAfterRiskDowngrade";
    public static final String BOUNDARY_SCOPE_CHANGE_SPONSOR_APPROVAL_OVERDUE = "BoundaryEvent_ScopeChangeSponsorApprovalOverdue";
    public static final String BOUNDARY_SCOPE_CHANGE_SECURITY_OFFICER_APPROVAL_OVERDUE =
            "BoundaryEvent_ScopeChangeSecurityOfficerApprovalOverdue";
    public static final String BOUNDARY_RISK_DOWNGRADE_REVIEW_OVERDUE = "BoundaryEvent_RiskDowngradeReviewOverdue";
    public static final String RECEIVE_TASK_AWAIT_RESUMPTION = "ReceiveTask_AwaitResumption";
    public static final String SUBPROCESS_PARTNERSHIP_ACTIVE = "SubProcess_PartnershipActive";
    public static final String TIMER_RECERTIFICATION_DUE = "TimerEvent_RecertificationDue";
    public static final String SUBPROCESS_SCOPE_CHANGE_REVIEW = "SubProcess_ScopeChangeReview";
    public static final String TASK_CUT_OFF_ALL_ACCESS = "Task_CutOffAllAccess";
    public static final String TASK_SUSPEND_PARTNERSHIP = "Task_SuspendPartnership";

    // the partnership's process takes these and decides; its people and machines follow the identity messages below
    public static final String MESSAGE_PARTNER_INCIDENT_REPORTED = "PartnerIncidentReported";
    public static final String MESSAGE_PARTNERSHIP_TERMINATED = "PartnershipTerminated";
    public static final String MESSAGE_PARTNERSHIP_SUSPENDED = "PartnershipSuspended";
    public static final String MESSAGE_PARTNERSHIP_RESUMED = "PartnershipResumed";

    // ---- what an identity's process is told (inventory/IdentityProcesses): one message per meaning, caught once ----
    /** Access ends; sent with revocationTrigger, revocationReason, triggeredBy and whether the sender revoked already. */
    public static final String MESSAGE_IDENTITY_ACCESS_ENDS = "IdentityAccessEnds";
    /** Access is suspended; sent with suspensionReason and triggeredBy. */
    public static final String MESSAGE_IDENTITY_ACCESS_SUSPENDED = "IdentityAccessSuspended";
    /** Suspended access is resumed; sent with resumptionReason and triggeredBy. */
    public static final String MESSAGE_IDENTITY_ACCESS_RESUMED = "IdentityAccessResumed";
    /**
     * What instances of the earlier identity models (deployed before the identity messages) wait for instead: sent to
     * such an instance only, by {@code IdentityProcesses}, until none runs any more.
     */
    public static final String MESSAGE_IDENTITY_INCIDENT_REPORTED = "IdentityIncidentReported";
    public static final String MESSAGE_PARTNER_RISK_DOWNGRADED = "PartnerRiskDowngraded";
    public static final String MESSAGE_PARTNERSHIP_SCOPE_CHANGE_REQUESTED = "PartnershipScopeChangeRequested";

    // human track
    public static final String HUMAN_ACCESS_REQUEST_FORM = "HumanAccessRequestForm";
    public static final String HUMAN_ACCESS_APPROVAL_FORM = "HumanAccessApprovalForm";
    public static final String HUMAN_RECERTIFICATION_FORM = "HumanRecertificationForm";
    public static final String ELEVATION_APPROVAL_FORM = "ElevationApprovalForm";
    public static final String HUMAN_ACCESS_SECURITY_APPROVAL_FORM = "HumanAccessSecurityApprovalForm";
    public static final String TASK_RECERTIFY_ACCESS = "Task_RecertifyAccess";
    public static final String TASK_SEND_INVITATION = "Task_SendInvitation";
    public static final String TASK_APPROVE_ELEVATION = "Task_ApproveElevation";
    public static final String TASK_GRANT_ELEVATION = "Task_GrantElevation";
    public static final String BOUNDARY_ELEVATION_APPROVAL_OVERDUE = "BoundaryEvent_ElevationApprovalOverdue";
    public static final String SUBPROCESS_HUMAN_ACCESS_ACTIVE = "SubProcess_HumanAccessActive";
    public static final String RECEIVE_TASK_AWAIT_PARTNERSHIP_RESUMPTION = "ReceiveTask_AwaitPartnershipResumption";
    public static final String TIMER_ACCESS_RECERTIFICATION_DUE = "TimerEvent_AccessRecertificationDue";
    public static final String BOUNDARY_RECERTIFICATION_OVERDUE = "BoundaryEvent_RecertificationOverdue";
    public static final String SUBPROCESS_ELEVATION = "SubProcess_Elevation";
    public static final String TIMER_ELEVATION_ENDS = "TimerEvent_ElevationEnds";
    public static final String TASK_END_ELEVATION = "Task_EndElevation";
    public static final String BOUNDARY_ACCESS_EXPIRED = "BoundaryEvent_AccessExpired";
    public static final String BOUNDARY_FIRST_EXPIRY_WARNING = "BoundaryEvent_FirstExpiryWarning";
    public static final String BOUNDARY_FINAL_EXPIRY_WARNING = "BoundaryEvent_FinalExpiryWarning";
    public static final String MESSAGE_IDENTITY_ELEVATION_REQUESTED = "IdentityElevationRequested";

    // ---- machine track ----
    public static final String MACHINE_REGISTRATION_FORM = "MachineRegistrationForm";
    public static final String MACHINE_OWNER_APPROVAL_FORM = "MachineOwnerApprovalForm";
    public static final String MACHINE_SECURITY_OFFICER_APPROVAL_FORM = "MachineSecurityOfficerApprovalForm";
    public static final String MACHINE_INACTIVITY_REVIEW_FORM = "MachineInactivityReviewForm";
    public static final String MACHINE_ELEVATION_APPROVAL_FORM = "MachineElevationApprovalForm";
    public static final String MACHINE_ELEVATION_SECURITY_OFFICER_APPROVAL_FORM = "MachineElevationSecurityOfficerApprovalForm";
    public static final String TASK_APPROVE_MACHINE_AS_OWNER = "Task_ApproveAsOwner";
    public static final String TASK_APPROVE_MACHINE_AS_SECURITY_OFFICER = "Task_ApproveAsSecurityOfficer";
    public static final String TASK_REVIEW_UNUSED_MACHINE = "Task_ReviewUnusedMachine";
    public static final String TASK_PROVISION_MACHINE_CLIENT = "Task_ProvisionMachineClient";
    public static final String TASK_ROTATE_CLIENT_SECRET = "Task_RotateClientSecret";
    public static final String TASK_APPROVE_ELEVATION_AS_OWNER = "Task_ApproveElevationAsOwner";
    public static final String TASK_APPROVE_ELEVATION_AS_SECURITY_OFFICER = "Task_ApproveElevationAsSecurityOfficer";
    public static final String BOUNDARY_ELEVATION_OWNER_APPROVAL_OVERDUE = "BoundaryEvent_ElevationOwnerApprovalOverdue";
    public static final String BOUNDARY_ELEVATION_SECURITY_OFFICER_APPROVAL_OVERDUE =
            "BoundaryEvent_ElevationSecurityOfficerApprovalOverdue";
    public static final String SUBPROCESS_MACHINE_ACTIVE = "SubProcess_MachineActive";
    public static final String SUBPROCESS_SCOPE_ELEVATION = "SubProcess_ScopeElevation";
    public static final String RECEIVE_TASK_AWAIT_MACHINE_RESUMPTION = "ReceiveTask_AwaitResumption";
    public static final String GATEWAY_AWAIT_RETENTION = "Gateway_AwaitRetention";
    public static final String TIMER_ROTATION_DUE = "TimerEvent_RotationDue";
    public static final String TIMER_USE_CHECK_DUE = "TimerEvent_UseCheckDue";
    public static final String TIMER_RETENTION_ENDED = "TimerEvent_RetentionEnded";
    /** The backstop: the machine process's own end-date timer, due a while after the sweeper's turn. */
    public static final String BOUNDARY_ACCESS_ENDED = "BoundaryEvent_AccessEnded";
    /** Earlier machine models only: the expiry sweeper revoked the machine at its end date (now IdentityAccessEnds). */
    public static final String MESSAGE_ACCESS_END_DATE_REACHED = "AccessEndDateReached";
    /** Where a machine's process takes IdentityAccessEnds, whatever the trigger. */
    public static final String BOUNDARY_ACCESS_ENDS = "BoundaryEvent_AccessEnds";
    /** The owner's time to answer an unused machine's review. */
    public static final String BOUNDARY_UNUSED_REVIEW_OVERDUE = "BoundaryEvent_UnusedReviewOverdue";
    /** Earlier machine models only: the sweeper revoked a machine whose unused review was dodged (now IdentityAccessEnds). */
    public static final String MESSAGE_MACHINE_UNUSED_REVOKED = "MachineUnusedRevoked";
    public static final String MESSAGE_MACHINE_SCOPE_ELEVATION_REQUESTED = "MachineScopeElevationRequested";
    public static final String MESSAGE_MACHINE_SECRET_RENEWAL_REQUESTED = "MachineSecretRenewalRequested";
    public static final String ERROR_PARTNERSHIP_NOT_ACTIVE = "PARTNERSHIP_NOT_ACTIVE";
    /** Every message the application correlates: a new version of a model must still catch what the live one does. */
    public static final Set<String> MESSAGES = Set.of(MESSAGE_PARTNER_INCIDENT_REPORTED, MESSAGE_IDENTITY_INCIDENT_REPORTED,
            MESSAGE_PARTNERSHIP_TERMINATED, MESSAGE_PARTNERSHIP_SUSPENDED, MESSAGE_PARTNERSHIP_RESUMED,
            MESSAGE_PARTNER_RISK_DOWNGRADED, MESSAGE_PARTNERSHIP_SCOPE_CHANGE_REQUESTED,
            MESSAGE_IDENTITY_ELEVATION_REQUESTED, MESSAGE_ACCESS_END_DATE_REACHED, MESSAGE_MACHINE_UNUSED_REVOKED,
            MESSAGE_MACHINE_SCOPE_ELEVATION_REQUESTED, MESSAGE_MACHINE_SECRET_RENEWAL_REQUESTED,
            MESSAGE_IDENTITY_ACCESS_ENDS, MESSAGE_IDENTITY_ACCESS_SUSPENDED, MESSAGE_IDENTITY_ACCESS_RESUMED);

    // ---- drift: the partner realm reconciled against the registry ----
    /** One instance per stored drift finding that needs a person; the business key is the stored finding's id. */
    public static final String DRIFT_REVIEW_PROCESS = "DriftReviewProcess";
    public static final String DRIFT_REVIEW_FORM = "DriftReviewForm";
    public static final String TASK_REVIEW_DRIFT_AS_OWNER = "Task_ReviewDriftAsOwner";
    public static final String TASK_REVIEW_DRIFT_AS_SECURITY_OFFICER = "Task_ReviewDriftAsSecurityOfficer";
    public static final String BOUNDARY_OWNER_DRIFT_REVIEW_OVERDUE = "BoundaryEvent_OwnerDriftReviewOverdue";
    public static final String BOUNDARY_SECURITY_OFFICER_DRIFT_REVIEW_OVERDUE = "BoundaryEvent_SecurityOfficerDriftReviewOverdue";
    /** Records the reviewer's decision in the stored finding, in the transaction that completes the review task. */
    public static final String TASK_RECORD_DRIFT_DECISION = "Task_RecordDriftDecision";
    public static final String TASK_CORRECT_DRIFT = "Task_CorrectDrift";
    /** The correction changed nothing: the drift is gone from the object, or the object is not a partner identity. */
    public static final String ERROR_DRIFT_FINDING_GONE = "DRIFT_FINDING_GONE";
    // ---- owner continuity: one instance per staff user who left while still named on partner access ----
    public static final String OWNER_REASSIGNMENT_PROCESS = "OwnerReassignmentProcess";
    public static final String OWNER_REASSIGNMENT_FORM = "OwnerReassignmentForm";
    public static final String TASK_REASSIGN_OWNERSHIP = "Task_ReassignOwnership";
    public static final String BOUNDARY_REASSIGNMENT_OVERDUE = "BoundaryEvent_ReassignmentOverdue";
    // ---- governed model changes: one instance per change a process owner deployed (business key: the change id) ----
    public static final String MODEL_CHANGE_REVIEW_PROCESS = "ModelChangeReviewProcess";
    public static final String TASK_REVIEW_MODEL_CHANGE = "Task_ReviewModelChange";
    public static final String BOUNDARY_REVIEW_OVERDUE = "BoundaryEvent_ReviewOverdue";
    // ---- a partnership's workload trust: one instance per trust request (business key: the trust id) ----
    public static final String WORKLOAD_TRUST_PROCESS = "WorkloadTrustProcess";
    public static final String WORKLOAD_TRUST_APPROVAL_FORM = "WorkloadTrustApprovalForm";
    public static final String TASK_APPROVE_WORKLOAD_TRUST = "Task_ApproveWorkloadTrust";
    public static final String TASK_PROVISION_WORKLOAD_TRUST = "Task_ProvisionWorkloadTrust";

    private ProcessIds() {
    }
}
