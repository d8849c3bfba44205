package org.partneraccess.partnership;

import static org.partneraccess.Variables.*;
import static org.partneraccess.partnership.PartnershipVariables.*;

import java.util.Map;

import jakarta.validation.Valid;
import org.partneraccess.ProcessIds;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Contract end, suspension and resumption, as a security officer triggers them; risk downgrades; scope changes. */
@RestController
@RequestMapping("/api/partnerships/{key}")
public class PartnershipLifecycleController {

    private final LifecycleTriggers triggers;
    private final PartnershipService partnerships;

    PartnershipLifecycleController(LifecycleTriggers triggers, PartnershipService partnerships) {
        this.triggers = triggers;
        this.partnerships = partnerships;
    }

    /** Ends the partnership and every identity of it: a security officer's decision, not a sponsor's. */
    @PostMapping("/termination")
    @PreAuthorize("hasAuthority('GROUP_security-officers')")
    public ResponseEntity<PartnershipController.PartnershipView> terminate(@PathVariable String key,
            @Valid @RequestBody LifecycleRequest request, Authentication caller) {
        triggers.terminate(key, request.reason(), caller.getName());
        return ResponseEntity.accepted().body(partnerships.view(key));
    }

    @PostMapping("/suspension")
    @PreAuthorize("hasAuthority('GROUP_security-officers')")
    public ResponseEntity<PartnershipController.PartnershipView> suspend(@PathVariable String key,
            @Valid @RequestBody LifecycleRequest request, Authentication caller) {
        triggers.suspend(key, request.reason(), caller.getName());
        return ResponseEntity.accepted().body(partnerships.view(key));
    }

    /**
     * Re-enables a suspended partnership through its process, which starts a new active period (review and contract end
     * timers included). Without a running process (deleted or suspended through the engine's API) nothing is resumed:
     * the partnership stays suspended, and a termination still ends it.
     */
    @PostMapping("/resumption")
    @PreAuthorize("hasAuthority('GROUP_security-officers')")
    public ResponseEntity<PartnershipController.PartnershipView> resume(@PathVariable String key,
            @Valid @RequestBody LifecycleRequest request, Authentication caller) {
        triggers.resume(key, request.reason(), caller.getName());
        return ResponseEntity.accepted().body(partnerships.view(key));
    }

    /** A vendor risk rating fell: the partnership is under review at once and its sponsor reviews it. */
    @PostMapping("/risk-downgrades")
    @PreAuthorize("hasAnyAuthority('GROUP_security-officers', 'GROUP_incident-reporters')")
    public ResponseEntity<PartnershipController.PartnershipView> downgradeRisk(@PathVariable String key,
            @Valid @RequestBody LifecycleRequest request, Authentication caller) {
        return send(key, ProcessIds.MESSAGE_PARTNER_RISK_DOWNGRADED, RISK_DOWNGRADE_REASON, request, caller);
    }

    /** Asks for more; the partnership keeps what it has until the change is approved. */
    @PostMapping("/scope-changes")
    @PreAuthorize("hasAuthority('GROUP_requesters')")
    public ResponseEntity<PartnershipController.PartnershipView> changeScopes(@PathVariable String key,
            @RequestBody ScopeChangeRequest request, Authentication caller) {
        partnerships.checkScopeChange(key, request);
        if (triggers.scopeChangeUnderReview(key)) {
            throw new TriggerNotAcceptedException("Partnership " + key + " has a scope change under review",
                    "another scope change");
        }
        Map<String, Object> variables = new java.util.LinkedHashMap<>(
                partnerships.recordScopeChange(key, request, caller.getName()));
        variables.put(SCOPE_CHANGE_REQUESTER, caller.getName());
        triggers.send(key, ProcessIds.MESSAGE_PARTNERSHIP_SCOPE_CHANGE_REQUESTED, variables);
        return ResponseEntity.accepted().body(partnerships.view(key));
    }

    private ResponseEntity<PartnershipController.PartnershipView> send(String key, String message, String reasonVariable,
            LifecycleRequest request, Authentication caller) {
        triggers.send(key, message, Map.of(reasonVariable, request.reason(), TRIGGERED_BY, caller.getName()));
        // the work itself runs asynchronously; 202 with the state as it is now
        return ResponseEntity.accepted().body(partnerships.view(key));
    }
}
