package org.partneraccess;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.VariableScope;
import org.camunda.spin.json.SpinJsonNode;
import org.partneraccess.policy.PolicyDecision;

/** Process variable names. Variables hold ids and decisions, never secrets. */
public final class Variables {

    public static final String REQUESTER = "requester";
    public static final String PARTNERSHIP_KEY = "partnershipKey";
    /** The registry id of a partner person or machine: the business key of its process. */
    public static final String IDENTITY_ID = "identityId";
    public static final String LEGAL_NAME = "legalName";
    public static final String SPONSOR = "sponsor";
    public static final String BUSINESS_OWNER = "businessOwner";
    public static final String TECHNICAL_OWNER = "technicalOwner";
    public static final String PURPOSE = "purpose";
    public static final String DATA_CLASSES = "dataClasses";
    public static final String ENVIRONMENTS = "environments";
    public static final String CLIENT_SCOPES = "clientScopes";
    public static final String END_DATE = "endDate";
    public static final String CONTACT_EMAIL = "contactEmail";
    public static final String CONTACT_FIRST_NAME = "contactFirstName";
    public static final String CONTACT_LAST_NAME = "contactLastName";
    public static final String SPONSOR_APPROVED = "sponsorApproved";
    public static final String SPONSOR_COMMENT = "sponsorComment";
    public static final String CONTACT_IDENTITY_ID = "contactIdentityId";
    public static final String SPONSOR_DECIDED_BY = decidedBy(ProcessIds.TASK_APPROVE_AS_SPONSOR);
    /** Who completed the latest approval or review task of the instance. */
    public static final String LAST_DECIDED_BY = "lastDecidedBy";
    public static final String SECURITY_OFFICER_APPROVED = "securityOfficerApproved";
    public static final String SECURITY_OFFICER_COMMENT = "securityOfficerComment";
    public static final String SECURITY_OFFICER_DECIDED_BY = decidedBy(ProcessIds.TASK_APPROVE_AS_SECURITY_OFFICER);

    // set from the access policy decision
    public static final String RISK_TIER = PolicyDecision.RISK_TIER;
    public static final String SECURITY_OFFICER_APPROVAL = PolicyDecision.SECURITY_OFFICER_APPROVAL;
    /** ISO-8601 duration between recertifications, for the recertification timer. */
    public static final String REVIEW_INTERVAL = "reviewInterval";
    /** ISO-8601 duration a recertification may stay open before access is suspended. */
    public static final String REVIEW_DEADLINE = "reviewDeadline";
    /** When the request's approvals are due, by its risk tier: the tasks' due date and their escalation timer. */
    public static final String APPROVAL_DUE = "approvalDue";
    /** When an elevation's approvals are due, by the risk tier the policy gave the elevation; as {@link #APPROVAL_DUE}. */
    public static final String ELEVATION_APPROVAL_DUE = "elevationApprovalDue";
    /** When a scope change's approvals are due, by the risk tier the policy gave the change; as {@link #APPROVAL_DUE}. */
    public static final String SCOPE_CHANGE_APPROVAL_DUE = "scopeChangeApprovalDue";
    /** ISO-8601 duration the sponsor has for the review after a risk downgrade: its due date and escalation. */
    public static final String RISK_DOWNGRADE_REVIEW_DEADLINE = "riskDowngradeReviewDeadline";
    /** The approval task an overdue notice is about: set by the model on the notice step. */
    public static final String OVERDUE_TASK = "overdueTask";
    /** ISO-8601 date-time of the contract end, for the contract end timer. */
    public static final String CONTRACT_END = "contractEnd";

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

    // recertification and reviews
    public static final String REVIEW_DECISION = "reviewDecision";
    public static final String REVIEW_COMMENT = "reviewComment";
    public static final String KEPT_SCOPES = "keptScopes";

    // scope changes: the full sets asked for, and the decisions on them
    public static final String REQUESTED_SCOPES = "requestedScopes";
    public static final String REQUESTED_DATA_CLASSES = "requestedDataClasses";
    public static final String REQUESTED_ENVIRONMENTS = "requestedEnvironments";
    public static final String SCOPE_CHANGE_REASON = "scopeChangeReason";
    public static final String SCOPE_CHANGE_REQUESTER = "scopeChangeRequester";
    public static final String SCOPE_CHANGE_SECURITY_OFFICER_APPROVAL = "scopeChangeSecurityOfficerApproval";
    public static final String SCOPE_CHANGE_COMMENT = "scopeChangeComment";
    public static final String SCOPE_CHANGE_APPROVED = "scopeChangeApproved";
    public static final String SCOPE_CHANGE_SECURITY_OFFICER_APPROVED = "scopeChangeSecurityOfficerApproved";

    // lifecycle triggers: sent with the messages, or set by the boundary events
    public static final String REVOCATION_REASON = "revocationReason";
    public static final String SUSPENSION_REASON = "suspensionReason";
    public static final String RESUMPTION_REASON = "resumptionReason";
    public static final String INCIDENT_REASON = "incidentReason";
    public static final String RISK_DOWNGRADE_REASON = "riskDowngradeReason";
    public static final String INCIDENT_TERMINATE = "incidentTerminate";
    public static final String TRIGGERED_BY = "triggeredBy";
    /** When the incident was reported and when the cut-off finished: the timings of its evidence. */
    public static final String INCIDENT_REPORTED_AT = "incidentReportedAt";
    public static final String INCIDENT_CUT_OFF_AT = "incidentCutOffAt";
    /** How many identities the last cut-off attempt could not revoke yet. */
    public static final String UNREVOKED_IDENTITIES = "unrevokedIdentities";
    /** Whether the security officers have been mailed about what an incident could not revoke yet. */
    public static final String UNREVOKED_ALERT_SENT = "unrevokedAlertSent";

    // human track
    public static final String FIRST_NAME = "firstName";
    public static final String LAST_NAME = "lastName";
    public static final String EMAIL = "email";
    /** Partner realm roles of a person; named like the permission scopes they stand for. */
    public static final String ROLES = "roles";
    public static final String KEPT_ROLES = "keptRoles";
    /** Date-times for the access end timer and the expiry warnings before it. */
    public static final String ACCESS_END = "accessEnd";
    public static final String FIRST_EXPIRY_WARNING_AT = "firstExpiryWarningAt";
    public static final String FINAL_EXPIRY_WARNING_AT = "finalExpiryWarningAt";
    public static final String ELEVATION_ROLE = "elevationRole";
    public static final String ELEVATION_REASON = "elevationReason";
    public static final String ELEVATION_HOURS = "elevationHours";
    public static final String ELEVATION_UNTIL = "elevationUntil";
    public static final String ELEVATION_REQUESTER = "elevationRequester";
    /** The staff group that approves an elevation: chosen by the access policy. */
    public static final String ELEVATION_APPROVERS = "elevationApprovers";
    public static final String ELEVATION_APPROVED = "elevationApproved";
    public static final String ELEVATION_COMMENT = "elevationComment";

    /** Who completed an approval task: set by the segregation-of-duties listener, never by a form. */
    public static String decidedBy(String taskDefinitionKey) {
        return "decidedBy_" + taskDefinitionKey;
    }

    /** A reason given with a trigger, or the default when none was given. */
    public static String reason(VariableScope scope, String name, String fallback) {
        String reason = string(scope, name);
        return reason == null || reason.isBlank() ? fallback : reason;
    }

    /** Who set a trigger off: the reporter sent with the message, or the system (timers, reviews). */
    public static String actor(VariableScope scope) {
        return reason(scope, TRIGGERED_BY, "system");
    }

    // ---- a partnership's workload trust (shown to the security officer; the registry row is the authority) ----
    public static final String TRUST_KIND = "trustKind";
    public static final String TRUST_ISSUER = "trustIssuer";
    public static final String TRUST_JWKS_URL = "trustJwksUrl";

    /**
     * The registry object a process instance acts on: its business key, which the server assigned at the start and
     * staff cannot change; never a variable.
     */
    public static String subject(DelegateExecution execution) {
        String key = execution.getProcessBusinessKey();
        if (key == null || key.isBlank()) {
            throw new IllegalStateException("Process instance " + execution.getProcessInstanceId()
                    + " is bound to no registry object");
        }
        return key;
    }

    public static String string(VariableScope scope, String name) {
        Object value = scope.getVariable(name);
        return value == null ? null : value.toString().trim();
    }

    /** A set of names as forms (JSON arrays), the REST API (lists) or scripts (comma separated text) send it. */
    public static Set<String> stringSet(VariableScope scope, String name) {
        Object value = scope.getVariable(name);
        Collection<?> items;
        if (value == null) {
            items = Set.of();
        } else if (value instanceof SpinJsonNode json && json.isArray()) {
            items = json.elements().stream().map(node -> node.isString() ? node.stringValue() : node.toString()).toList();
        } else if (value instanceof Collection<?> collection) {
            items = collection;
        } else {
            items = Arrays.asList(value.toString().split(","));
        }
        return items.stream().map(item -> String.valueOf(item).trim()).filter(item -> !item.isEmpty())
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** A date as a form's date field sends it (ISO text) or as a Java date; null when absent or unreadable. */
    public static LocalDate date(VariableScope scope, String name) {
        Object value = scope.getVariable(name);
        if (value instanceof LocalDate date) {
            return date;
        }
        if (value instanceof java.util.Date date) {
            return date.toInstant().atZone(java.time.ZoneOffset.UTC).toLocalDate();
        }
        try {
            return value == null || value.toString().isBlank() ? null : LocalDate.parse(value.toString().trim().substring(0, 10));
        } catch (DateTimeParseException | StringIndexOutOfBoundsException e) {
            return null;
        }
    }

    // ---- machine track: the registration (requester, partnershipKey, identityId, purpose and clientScopes as above)
    public static final String WORKLOAD_NAME = "workloadName";
    /** SERVICE_ACCOUNT, WORKLOAD or AI_AGENT. */
    public static final String MACHINE_KIND = "machineKind";
    /** The named internal owner of a machine: a staff user. */
    public static final String OWNER = "owner";
    /** Who approves in the owner's role: the owner, or the partnership's sponsor when the owner asked themselves. */
    public static final String OWNER_APPROVER = "ownerApprover";
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
    /**
     * Why access ends ({@code inventory/AccessEndTrigger}): sent with IdentityAccessEnds, or the code of the error
     * that ends a machine's access inside its process.
     */
    public static final String REVOCATION_TRIGGER = "revocationTrigger";
    /** Sent with IdentityAccessEnds: the sender has revoked the access and recorded it already (the expiry sweep). */
    public static final String ACCESS_REVOKED = "accessRevoked";
    /** The trigger of an IdentityAccessEnds that came during a machine's retention: mapped out by the catching event. */
    public static final String DELETION_TRIGGER = "deletionTrigger";
    // time-boxed elevation, sent with MachineScopeElevationRequested (reason, requester, approved and comment shared)
    public static final String ELEVATION_SCOPES = "elevationScopes";
    /** ISO-8601 duration the extra scopes last once granted. */
    public static final String ELEVATION_DURATION = "elevationDuration";
    public static final String ELEVATION_APPROVER = "elevationApprover";
    public static final String ELEVATION_AUTO_APPROVE = "elevationAutoApprove";
    public static final String ELEVATION_SECURITY_OFFICER_APPROVAL = "elevationSecurityOfficerApproval";
    public static final String ELEVATION_SECURITY_OFFICER_APPROVED = "elevationSecurityOfficerApproved";

    // ---- drift review (business key: the stored finding's id). The finding's fields are for the form to show: the
    // review reads the stored finding, never these. Only the decision and the comment are the reviewer's input.
    /** ORPHAN, REVOKED_BUT_ACTIVE, EXCESS_PRIVILEGE or LIFESPAN_BEYOND_POLICY. */
    public static final String DRIFT_KIND = "driftKind";
    /** USER or CLIENT. */
    public static final String DRIFT_OBJECT_TYPE = "driftObjectType";
    /** The username or OAuth client id in the partner realm. */
    public static final String DRIFT_OBJECT_NAME = "driftObjectName";
    public static final String DRIFT_EXPECTED = "driftExpected";
    public static final String DRIFT_FOUND = "driftFound";
    /** The roles or scopes beyond approval, comma separated. */
    public static final String DRIFT_EXCESS = "driftExcess";
    /** Staff users who review the finding, comma separated; empty: the security officers. */
    public static final String DRIFT_REVIEWERS = "driftReviewers";
    public static final String DRIFT_HAS_REVIEWERS = "driftHasReviewers";
    /** ISO-8601 duration a drift review may stay open before the security officers are told: its due date. */
    public static final String DRIFT_REVIEW_DEADLINE = "driftReviewDeadline";
    /** The reviewer's answer: ACCEPT (leave it as it is) or CORRECT (revoke it, or remove the excess). */
    public static final String DRIFT_DECISION = "driftDecision";
    // ---- owner continuity (business key: the departed staff user's id)
    public static final String DEPARTED_USER = "departedUser";
    /** DISABLED or DELETED in the staff realm. */
    public static final String DEPARTURE = "departure";
    /** What named the departed user when the task opened, for the form: comma separated keys and ids, and a text. */
    public static final String AFFECTED_PARTNERSHIPS = "affectedPartnerships";
    public static final String AFFECTED_IDENTITIES = "affectedIdentities";
    public static final String AFFECTED_SUMMARY = "affectedSummary";
    /** The staff user who takes over every role the departed user held. */
    public static final String SUCCESSOR = "successor";
    public static final String REASSIGNMENT_COMMENT = "reassignmentComment";
    /** ISO-8601 duration the security officers have before the ownerless access is suspended. */
    public static final String REASSIGNMENT_DEADLINE = "reassignmentDeadline";

    // ---- model change review (business key: the stored change's id; the change is read from the registry) ----
    public static final String MODEL_CHANGE_NAME = "modelChangeName";
    public static final String MODEL_CHANGE_SUMMARY = "modelChangeSummary";
    public static final String MODEL_CHANGE_APPROVED = "modelChangeApproved";
    public static final String MODEL_CHANGE_COMMENT = "modelChangeComment";
    /** ISO-8601 duration the security officers have before the change is dropped. */
    public static final String MODEL_CHANGE_REVIEW_DEADLINE = "modelChangeReviewDeadline";

    private Variables() {
    }
}
