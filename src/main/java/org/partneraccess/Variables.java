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

/**
 * Process variable names that more than one process or feature uses, and the helpers that read variables. Variables
 * hold ids and decisions, never secrets. A name that belongs to one process lives beside that process:
 * {@code partnership/PartnershipVariables}, {@code human/HumanAccessVariables}, {@code machine/MachineAccessVariables},
 * {@code trust/WorkloadTrustVariables}, {@code drift/DriftReviewVariables},
 * {@code continuity/OwnerReassignmentVariables}, {@code modelchange/ModelChangeReviewVariables}; what the approval and
 * review forms show lives in {@code policy/ShownVariables}.
 */
public final class Variables {

    // the request: partnerships, people and machines
    public static final String REQUESTER = "requester";
    public static final String PARTNERSHIP_KEY = "partnershipKey";
    /** The registry id of a partner person or machine: the business key of its process. */
    public static final String IDENTITY_ID = "identityId";
    public static final String SPONSOR = "sponsor";
    public static final String PURPOSE = "purpose";
    public static final String DATA_CLASSES = "dataClasses";
    public static final String CLIENT_SCOPES = "clientScopes";
    public static final String END_DATE = "endDate";
    /** Date-times for the access end timer and the expiry warnings before it. */
    public static final String ACCESS_END = "accessEnd";

    // approvals
    public static final String SPONSOR_APPROVED = "sponsorApproved";
    public static final String SPONSOR_COMMENT = "sponsorComment";
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
    /** The approval task an overdue notice is about: set by the model on the notice step. */
    public static final String OVERDUE_TASK = "overdueTask";

    // recertification and reviews
    public static final String REVIEW_DECISION = "reviewDecision";
    public static final String REVIEW_COMMENT = "reviewComment";

    // who asked for a change: the segregation-of-duties listener keeps them from approving it
    public static final String SCOPE_CHANGE_REQUESTER = "scopeChangeRequester";
    public static final String ELEVATION_REQUESTER = "elevationRequester";

    // time-boxed elevation of a person or a machine (each track adds its own names)
    public static final String ELEVATION_REASON = "elevationReason";
    public static final String ELEVATION_APPROVED = "elevationApproved";
    public static final String ELEVATION_COMMENT = "elevationComment";

    // staff users named as approvers in a machine's process, handed over to a successor by owner continuity
    /** The named internal owner of a machine: a staff user. */
    public static final String OWNER = "owner";
    /** Who approves in the owner's role: the owner, or the partnership's sponsor when the owner asked themselves. */
    public static final String OWNER_APPROVER = "ownerApprover";
    public static final String ELEVATION_APPROVER = "elevationApprover";

    // lifecycle triggers: sent with the messages, or set by the boundary events
    public static final String REVOCATION_REASON = "revocationReason";
    public static final String SUSPENSION_REASON = "suspensionReason";
    public static final String RESUMPTION_REASON = "resumptionReason";
    public static final String INCIDENT_REASON = "incidentReason";
    public static final String TRIGGERED_BY = "triggeredBy";
    /**
     * Why access ends ({@code inventory/AccessEndTrigger}): sent with IdentityAccessEnds, or the code of the error
     * that ends a machine's access inside its process.
     */
    public static final String REVOCATION_TRIGGER = "revocationTrigger";
    /** Sent with IdentityAccessEnds: the sender has revoked the access and recorded it already (the expiry sweep). */
    public static final String ACCESS_REVOKED = "accessRevoked";

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

    private Variables() {
    }
}
