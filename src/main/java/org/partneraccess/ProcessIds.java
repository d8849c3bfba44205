package org.partneraccess;

/** Ids of processes, decisions, forms and messages: the public contract, in one place. */
public final class ProcessIds {

    public static final String PARTNERSHIP_PROCESS = "PartnershipProcess";
    public static final String HUMAN_ACCESS_PROCESS = "HumanAccessProcess";
    public static final String MACHINE_ACCESS_PROCESS = "MachineAccessProcess";
    public static final String PARTNER_ACCESS_POLICY = "PartnerAccessPolicy";

    public static final String PARTNERSHIP_REQUEST_FORM = "PartnershipRequestForm";
    public static final String SPONSOR_APPROVAL_FORM = "SponsorApprovalForm";

    public static final String TASK_APPROVE_AS_SPONSOR = "Task_ApproveAsSponsor";

    public static final String MESSAGE_PARTNER_INCIDENT_REPORTED = "PartnerIncidentReported";
    public static final String MESSAGE_IDENTITY_INCIDENT_REPORTED = "IdentityIncidentReported";
    public static final String MESSAGE_PARTNERSHIP_TERMINATED = "PartnershipTerminated";
    public static final String MESSAGE_PARTNERSHIP_SUSPENDED = "PartnershipSuspended";
    public static final String MESSAGE_PARTNERSHIP_RESUMED = "PartnershipResumed";
    public static final String MESSAGE_PARTNER_RISK_DOWNGRADED = "PartnerRiskDowngraded";

    private ProcessIds() {
    }
}
