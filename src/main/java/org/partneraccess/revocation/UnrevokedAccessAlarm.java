package org.partneraccess.revocation;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.runtime.Incident;
import org.partneraccess.mail.MailNotifier;
import org.partneraccess.partnership.PartnershipVariables;
import org.partneraccess.security.StaffDirectory;
import org.partneraccess.security.StaffGroups;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * While anything of an incident is not revoked, an open incident in Cockpit names it, and the security officers are
 * mailed once (tried again each round until the mail goes out); it is resolved when everything is revoked. The engine's own incidents, so operators see it where they
 * look for stuck work.
 */
@Component
public class UnrevokedAccessAlarm {

    static final String INCIDENT_TYPE = "unrevokedAccess";
    private static final Logger log = LoggerFactory.getLogger(UnrevokedAccessAlarm.class);
    private static final Duration DIRECTORY_WAIT = Duration.ofSeconds(3);

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
        String names = names(unrevoked);
        runtime.createIncident(INCIDENT_TYPE, execution.getId(), partnershipKey,
                unrevoked.size() + " identities of " + partnershipKey + " not yet revoked: " + names);
        if (!Boolean.TRUE.equals(execution.getVariable(PartnershipVariables.UNREVOKED_ALERT_SENT))) {
            execution.setVariable(PartnershipVariables.UNREVOKED_ALERT_SENT, alert(partnershipKey, names));
        }
    }

    static String names(List<IncidentRevocation.IdentityOutcome> unrevoked) {
        return unrevoked.stream().map(outcome -> outcome.kind() + " " + outcome.identityId() + " (" + outcome.failure() + ")")
                .collect(Collectors.joining("; "));
    }

    /**
     * The security officers' mail that access of {@code partnershipKey} is not revoked, naming what is left; also sent
     * by a revocation drill whose verification does not hold. A mail server or staff realm that is down must not hold
     * up the revocation: the Cockpit incident says the same.
     * @return whether the mail went out
     */
    public boolean alert(String partnershipKey, String names) {
        List<String> officers = staff.emailsOfGroupOrLastKnown(StaffGroups.SECURITY_OFFICERS, DIRECTORY_WAIT);
        if (officers.isEmpty()) {
            return false;
        }
        try {
            mail.send(officers,
                    "Incident on " + partnershipKey + ": access not yet revoked",
                    """
                    The incident cut-off of the partnership %s could not revoke or verify everything yet. Where the
                    partnership's process made the cut-off, it keeps trying every few seconds and the open incident in
                    Cockpit shows what is left; where the report made it (no process could act on it), only the
                    people's and machines' own processes try again.
                    Not yet revoked: %s
                    """.formatted(partnershipKey, names));
            return true;
        } catch (RuntimeException e) {
            log.warn("Could not mail the security officers about unrevoked access of {}: {}", partnershipKey, e.getMessage());
            return false;
        }
    }
}
