package org.partneraccess.partnership;

import static org.partneraccess.Variables.*;

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

/** Contract end, suspension and resumption, as a security officer or a sponsor triggers them. */
@RestController
@RequestMapping("/api/partnerships/{key}")
public class PartnershipLifecycleController {

    private final LifecycleTriggers triggers;
    private final PartnershipService partnerships;

    PartnershipLifecycleController(LifecycleTriggers triggers, PartnershipService partnerships) {
        this.triggers = triggers;
        this.partnerships = partnerships;
    }

    @PostMapping("/termination")
    @PreAuthorize("hasAnyAuthority('GROUP_security-officers', 'GROUP_sponsors')")
    public ResponseEntity<PartnershipController.PartnershipView> terminate(@PathVariable String key,
            @Valid @RequestBody LifecycleRequest request, Authentication caller) {
        return send(key, ProcessIds.MESSAGE_PARTNERSHIP_TERMINATED, REVOCATION_REASON, request, caller);
    }

    @PostMapping("/suspension")
    @PreAuthorize("hasAuthority('GROUP_security-officers')")
    public ResponseEntity<PartnershipController.PartnershipView> suspend(@PathVariable String key,
            @Valid @RequestBody LifecycleRequest request, Authentication caller) {
        return send(key, ProcessIds.MESSAGE_PARTNERSHIP_SUSPENDED, SUSPENSION_REASON, request, caller);
    }

    @PostMapping("/resumption")
    @PreAuthorize("hasAuthority('GROUP_security-officers')")
    public ResponseEntity<PartnershipController.PartnershipView> resume(@PathVariable String key,
            @Valid @RequestBody LifecycleRequest request, Authentication caller) {
        return send(key, ProcessIds.MESSAGE_PARTNERSHIP_RESUMED, RESUMPTION_REASON, request, caller);
    }

    private ResponseEntity<PartnershipController.PartnershipView> send(String key, String message, String reasonVariable,
            LifecycleRequest request, Authentication caller) {
        triggers.send(key, message, Map.of(reasonVariable, request.reason(), TRIGGERED_BY, caller.getName()));
        // the work itself runs asynchronously; 202 with the state as it is now
        return ResponseEntity.accepted().body(PartnershipController.PartnershipView.of(partnerships.get(key)));
    }
}
