package org.partneraccess.revocation;

import java.util.List;
import java.util.stream.Collectors;

import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.runtime.Incident;
import org.partneraccess.notification.MailNotifier;
import org.partneraccess.security.StaffDirectory;
import org.partneraccess.security.StaffGroups;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * While anything of an incident is not revoked, an open incident in Cockpit names it, and the security officers are
 * mailed once; it is resolved when everything is revoked. The engine's own incidents, so operators see it where they
 * look for stuck work.
 */
@Component
public class UnrevokedAccessAlarm {

    static final String INCIDENT_TYPE = "unrevokedAccess";
    private static final Logger log = LoggerFactory.getLogger(UnrevokedAccessAlarm.class);

    private final RuntimeService runtime;
    private final MailNotifier mail;
    private final StaffDirectory staff;

    UnrevokedAccessAlarm(RuntimeService runtime, MailNotifier mail, StaffDirectory staff) {
        this.runtime = runtime;
        this.mail = mail;
        this.staff = staff;
    }

    public void update(DelegateExecution execution, String partnershipKey, List<IncidentRevocation.IdentityOutcome> unrevoked) {
        List<Incident> open = runtime.createIncidentQuery().processInstanceId(execution.getProcessInstanceId())
                .incidentType(INCIDENT_TYPE).list();
        open.forEach(incident -> runtime.resolveIncident(incident.getId()));
        if (unrevoked.isEmpty()) {
            return;
        }
        String names = unrevoked.stream().map(outcome -> outcome.kind() + " " + outcome.identityId() + " (" + outcome.failure() + ")")
                .collect(Collectors.joining("; "));
        runtime.createIncident(INCIDENT_TYPE, execution.getId(), partnershipKey,
                unrevoked.size() + " identities of " + partnershipKey + " not yet revoked: " + names);
        if (open.isEmpty()) {
            alert(partnershipKey, names);
        }
    }

    /** A mail server that is down must not hold up the revocation: the Cockpit incident says the same. */
    private void alert(String partnershipKey, String names) {
        try {
            mail.send(staff.emailsOfGroup(StaffGroups.SECURITY_OFFICERS),
                    "Incident on " + partnershipKey + ": access not yet revoked",
                    """
                    The incident cut-off of the partnership %s could not revoke everything yet. It keeps trying every
                    few seconds; the open incident in Cockpit shows what is left.
                    Not yet revoked: %s
                    """.formatted(partnershipKey, names));
        } catch (RuntimeException e) {
            log.warn("Could not mail the security officers about unrevoked access of {}: {}", partnershipKey, e.getMessage());
        }
    }
}
