package org.partneraccess.revocation;

import static org.partneraccess.Variables.*;
import static org.partneraccess.partnership.PartnershipVariables.*;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.partneraccess.ProcessIds;
import org.partneraccess.inventory.AccessEndTrigger;
import org.partneraccess.inventory.IdentityProcesses;
import org.partneraccess.inventory.IdentityRegistry;
import org.partneraccess.audit.AuditLog;
import org.partneraccess.audit.PartnershipAction;
import org.partneraccess.partnership.LifecycleTriggers;
import org.partneraccess.partnership.TriggerNotAcceptedException;
import org.partneraccess.security.StaffGroups;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Service;

/**
 * A partner incident as it is reported, through the API or the dashboard: the partnership's process cuts everything
 * off; where no running process can take the report while access is held, or its process holds a suspended step,
 * the report cuts it off itself. An accepted
 * report is audited as {@link PartnershipAction#INCIDENT_REPORTED} by the reporter, the first line of the revocation's proof.
 */
@Service
public class IncidentReports {


    /**
     * What became of a report: accepted; when the report cut off by itself, {@code unrevoked} lists what it could not
     * revoke, {@code verdict} is its verification in Keycloak (null when Keycloak did not answer), and
     * {@code officersAlerted} whether the security officers were mailed what is left.
     */
    public record Accepted(String partnershipKey, List<String> unrevoked, boolean cutOffByReport,
                           RevocationVerification.Verdict verdict, boolean officersAlerted) {
    }

    /** What became of a report on one identity: {@code revoked} is set when the report itself cut it off. */
    public record IdentityAccepted(String identityId, Boolean revoked) {
    }

    private final LifecycleTriggers triggers;
    private final PartnershipAccessService access;
    private final AuditLog audit;
    private final IncidentRevocation incidents;
    private final RevocationVerification verification;
    private final UnrevokedAccessAlarm alarm;
    private final IdentityRegistry identities;

    IncidentReports(LifecycleTriggers triggers, PartnershipAccessService access, AuditLog audit,
                    IncidentRevocation incidents, RevocationVerification verification, UnrevokedAccessAlarm alarm,
                    IdentityRegistry identities) {
        this.identities = identities;
        this.verification = verification;
        this.alarm = alarm;
        this.triggers = triggers;
        this.access = access;
        this.audit = audit;
        this.incidents = incidents;
    }

    /**
     * Reports an incident of the whole partnership. Ending the partnership with the report is a security officer's
     * decision: anyone else asking for it is refused and nothing is started.
     *
     * @throws AccessDeniedException when a caller who is not a security officer asks to terminate
     * @throws TriggerNotAcceptedException when the report is not accepted (one is being handled, or nothing is held)
     */
    public Accepted reportForPartnership(String key, IncidentRequest incident, Authentication caller) {
        if (incident.terminate() && !StaffGroups.groupsOf(caller).contains(StaffGroups.SECURITY_OFFICERS)) {
            throw new AccessDeniedException("Only security officers end a partnership");
        }
        if (access.suspendedWithNothingHeld(key)) {
            throw new TriggerNotAcceptedException("Partnership " + key + " is suspended and every identity of it has ended",
                    ProcessIds.MESSAGE_PARTNER_INCIDENT_REPORTED);
        }
        String reason = describe(incident);
        Map<String, Object> variables = new HashMap<>();
        variables.put(INCIDENT_REASON, reason);
        variables.put(INCIDENT_TERMINATE, incident.terminate());
        variables.put(REVOCATION_REASON, "incident: " + incident.reason());
        variables.put(TRIGGERED_BY, caller.getName());
        variables.put(INCIDENT_REPORTED_AT, new Date());
        // each report mails the officers again if something stays unrevoked
        variables.put(UNREVOKED_ALERT_SENT, false);
        try {
            triggers.send(key, ProcessIds.MESSAGE_PARTNER_INCIDENT_REPORTED, variables);
        } catch (TriggerNotAcceptedException notAccepted) {
            if (triggers.running(ProcessIds.PARTNERSHIP_PROCESS, key) && !triggers.inActivity(
                    ProcessIds.PARTNERSHIP_PROCESS, key, ProcessIds.RECEIVE_TASK_AWAIT_RESUMPTION)) {
                throw notAccepted; // the process answers for itself: a report is being handled
            }
            // no running process, or a suspended partnership's process from a model that takes no report
            return cutOffByReport(key, reason, caller).orElseThrow(() -> notAccepted);
        }
        if (triggers.holdsSuspendedWork(ProcessIds.PARTNERSHIP_PROCESS, key)) {
            // the process took the report, but a step it would run is suspended: the cut-off does not wait for it
            Optional<Accepted> cutOff = cutOffByReport(key, reason, caller);
            if (cutOff.isPresent()) {
                return cutOff.get();
            }
        }
        audit.record(caller.getName(), PartnershipAction.INCIDENT_REPORTED, key, null, reason);
        return new Accepted(key, List.of(), false, null, false);
    }

    /**
     * Reports an incident of one partner person or machine: its process revokes it at once; when no process can (its
     * instance suspended or deleted, or a step of it suspended) the report cuts it off from the registry itself.
     *
     * @throws TriggerNotAcceptedException when the report is not accepted (the identity holds nothing)
     */
    public IdentityAccepted reportForIdentity(String id, IncidentRequest incident, Authentication caller) {
        String reason = describe(incident);
        try {
            triggers.tellIdentity(id, IdentityProcesses.Message.accessEnds(AccessEndTrigger.IDENTITY_INCIDENT, reason,
                    caller.getName(), false));
        } catch (TriggerNotAcceptedException notAccepted) {
            if (triggers.identityProcessRunning(id)) {
                throw notAccepted;
            }
            return cutOffIdentityByReport(id, reason, caller).orElseThrow(() -> notAccepted);
        }
        if (triggers.identityProcessHoldsSuspendedWork(id)) {
            // the process took the report, but a step it would run is suspended: the cut-off does not wait for it
            return cutOffIdentityByReport(id, reason, caller).orElseGet(() -> new IdentityAccepted(id, null));
        }
        return new IdentityAccepted(id, null);
    }

    /** As {@link #verified}: no process tries again, so what is left goes to the security officers at once. */
    private Optional<IdentityAccepted> cutOffIdentityByReport(String id, String reason, Authentication caller) {
        return incidents.cutOffWithoutProcess(id, "incident: " + reason, caller.getName()).map(outcome -> {
            if (!outcome.revoked()) {
                identities.find(id).ifPresent(identity -> alarm.alert(identity.getPartnershipKey(),
                        UnrevokedAccessAlarm.names(List.of(outcome))));
            }
            return new IdentityAccepted(id, outcome.revoked());
        });
    }

    /** The report's own cut-off from the registry; empty when the partnership holds nothing it cuts off. */
    private Optional<Accepted> cutOffByReport(String key, String reason, Authentication caller) {
        Instant reportedAt = Instant.now();
        return access.cutOffWithoutProcess(key, reason, caller.getName()).map(outcome -> {
            audit.record(caller.getName(), PartnershipAction.INCIDENT_REPORTED, key, null, reason);
            return verified(key, reportedAt, outcome);
        });
    }

    /**
     * The evidence the process's verification step gives, for a cut-off made without it; with no process to try again,
     * what is left or not verified goes to the security officers at once. Not verified when Keycloak did not answer
     * the cut-off: its calls would only wait for the same failure.
     */
    private Accepted verified(String key, Instant reportedAt, IncidentRevocation.Outcome outcome) {
        List<IncidentRevocation.IdentityOutcome> unrevoked = outcome.unrevoked();
        List<String> left = new ArrayList<>();
        if (!unrevoked.isEmpty()) {
            left.add(UnrevokedAccessAlarm.names(unrevoked));
        }
        RevocationVerification.Verdict verdict = null;
        if (unrevoked.stream().noneMatch(IncidentRevocation.IdentityOutcome::unreachable)) {
            try {
                verdict = verification.check(key, reportedAt, outcome.cutOffAt());
                if (!verdict.passed()) {
                    left.add(verdict.describe());
                }
            } catch (RuntimeException e) {
                left.add("not verified: " + e.getMessage());
            }
        }
        boolean alerted = !left.isEmpty() && alarm.alert(key, String.join("; ", left));
        return new Accepted(key, unrevoked.stream().map(IncidentRevocation.IdentityOutcome::identityId).toList(), true,
                verdict, alerted);
    }

    static String describe(IncidentRequest incident) {
        return incident.severity() + ": " + incident.reason()
                + (incident.reporterReference() == null ? "" : " (" + incident.reporterReference() + ")");
    }
}
