package org.partneraccess.revocation;

import java.util.Map;

import jakarta.validation.Valid;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class IncidentController {

    private final IncidentReports reports;

    IncidentController(IncidentReports reports) {
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
        IncidentReports.IdentityAccepted accepted = reports.reportForIdentity(id, incident, caller);
        return ResponseEntity.accepted().body(accepted.revoked() == null
                ? Map.of("identityId", id, "accepted", true)
                : Map.of("identityId", id, "accepted", true, "revoked", accepted.revoked()));
    }

}
