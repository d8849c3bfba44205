package org.partneraccess.revocation;

import static org.partneraccess.Variables.*;

import java.util.Map;
import java.util.Optional;

import jakarta.validation.Valid;
import org.partneraccess.ProcessIds;
import org.partneraccess.partnership.LifecycleTriggers;
import org.partneraccess.partnership.TriggerNotAcceptedException;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class IncidentController {

    private final LifecycleTriggers triggers;
    private final IncidentRevocation incidents;
    private final IncidentReports reports;

    IncidentController(LifecycleTriggers triggers, IncidentRevocation incidents, IncidentReports reports) {
        this.triggers = triggers;
        this.incidents = incidents;
        this.reports = reports;
    }

    /**
     * Cuts off everything the partner holds; the process does the work at once, asynchronously. Open to security
     * officers and to a SIEM or SOAR with client credentials of the incident-reporters group; a second report while the
     * first is handled is answered 409 and changes nothing. Ending the partnership with the report ({@code terminate})
     * is a security officer's decision: a reporter that asks for it is refused and nothing is started.
     */
    @PostMapping("/api/partnerships/{key}/incidents")
    @PreAuthorize("hasAnyAuthority('GROUP_security-officers', 'GROUP_incident-reporters')")
    public ResponseEntity<Map<String, Object>> report(@PathVariable String key, @Valid @RequestBody IncidentRequest incident,
                                                      Authentication caller) {
        IncidentReports.Accepted accepted = reports.reportForPartnership(key, incident, caller);
        return ResponseEntity.accepted().body(accepted.cutOffByReport()
                ? Map.of("partnershipKey", key, "accepted", true, "unrevoked", accepted.unrevoked())
                : Map.of("partnershipKey", key, "accepted", true));
    }

    /** Revokes one partner person or machine now. */
    @PostMapping("/api/identities/{id}/incidents")
    @PreAuthorize("hasAnyAuthority('GROUP_security-officers', 'GROUP_incident-reporters')")
    public ResponseEntity<Map<String, Object>> reportForIdentity(@PathVariable String id,
            @Valid @RequestBody IncidentRequest incident, Authentication caller) {
        try {
            triggers.sendToIdentity(id, ProcessIds.MESSAGE_IDENTITY_INCIDENT_REPORTED, Map.of(
                    INCIDENT_REASON, describe(incident), TRIGGERED_BY, caller.getName()));
        } catch (TriggerNotAcceptedException notAccepted) {
            if (triggers.identityProcessRunning(id)) {
                throw notAccepted;
            }
            return cutOffWithoutProcess(id, incident, caller).orElseThrow(() -> notAccepted);
        }
        if (triggers.identityProcessHoldsSuspendedWork(id)) {
            // the process took the report, but a step it would run is suspended: the cut-off does not wait for it
            return cutOffWithoutProcess(id, incident, caller)
                    .orElseGet(() -> ResponseEntity.accepted().body(Map.of("identityId", id, "accepted", true)));
        }
        return ResponseEntity.accepted().body(Map.of("identityId", id, "accepted", true));
    }

    private Optional<ResponseEntity<Map<String, Object>>> cutOffWithoutProcess(String id, IncidentRequest incident,
                                                                                Authentication caller) {
        return incidents.cutOffWithoutProcess(id, "incident: " + describe(incident), caller.getName())
                .map(outcome -> ResponseEntity.accepted().body(Map.of("identityId", id, "accepted", true,
                        "revoked", outcome.revoked())));
    }

    private static String describe(IncidentRequest incident) {
        return IncidentReports.describe(incident);
    }
}
