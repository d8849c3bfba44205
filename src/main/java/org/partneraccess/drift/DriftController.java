package org.partneraccess.drift;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Drift between the partner realm and the registry, on demand: security officers and auditors read it; security officers
 * reconcile now (the scheduled run does the same).
 */
@RestController
class DriftController {

    private final DriftReconciliation drift;

    DriftController(DriftReconciliation drift) {
        this.drift = drift;
    }

    @GetMapping("/api/drift")
    @PreAuthorize("hasAnyAuthority('GROUP_security-officers', 'GROUP_auditors')")
    @Operation(summary = "Compare the partner realm with the registry now, changing nothing",
            description = "Lists every user and client whose state in Keycloak differs from the registry: orphans, "
                    + "identities enabled although revoked, suspended or ended, roles or scopes beyond approval, "
                    + "machine token lifespans beyond the policy, machine clients configured beyond provisioning, and "
                    + "client scopes outside the permission catalogue; each with the review it is under or was accepted "
                    + "on, or what the next reconciliation will do about it.",
            responses = @ApiResponse(responseCode = "200", description = "The findings and where each stands"))
    public DriftReconciliation.Run drift() {
        return drift.preview();
    }

    @PostMapping("/api/drift/reconciliations")
    @PreAuthorize("hasAuthority('GROUP_security-officers')")
    @Operation(summary = "Reconcile the partner realm against the registry now",
            description = "The scheduled run, now: what the registry has taken away is taken away again at once; every "
                    + "other finding opens one review task (none while it is under review or was accepted).",
            responses = @ApiResponse(responseCode = "200", description = "The findings and what was done about each"))
    public DriftReconciliation.Run reconcile() {
        return drift.reconcile();
    }
}
