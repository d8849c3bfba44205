package org.partneraccess.human;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.partneraccess.ProcessIds;
import org.partneraccess.Variables;
import org.partneraccess.partnership.LifecycleTriggers;
import org.partneraccess.partnership.TriggerNotAcceptedException;
import org.partneraccess.security.EngineCaller;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class HumanAccessController {

    public record HumanAccessView(String identityId, String partnershipKey, String state) {
    }

    private final HumanAccessService humans;
    private final RuntimeService runtime;
    private final IdentityService identity;
    private final LifecycleTriggers triggers;

    HumanAccessController(HumanAccessService humans, RuntimeService runtime, IdentityService identity,
                          LifecycleTriggers triggers) {
        this.humans = humans;
        this.runtime = runtime;
        this.identity = identity;
        this.triggers = triggers;
    }

    /** Validates, then starts the person's process; the same checks run again inside the start transaction. */
    @PostMapping("/api/partnerships/{key}/humans")
    @PreAuthorize("hasAuthority('GROUP_requesters')")
    public ResponseEntity<HumanAccessView> request(@PathVariable String key, @RequestBody HumanAccessRequest request,
                                                   Authentication caller) {
        humans.check(key, request);
        Map<String, Object> variables = new HashMap<>();
        variables.put(Variables.REQUESTER, caller.getName());
        variables.put(Variables.PARTNERSHIP_KEY, key);
        variables.put(HumanAccessVariables.FIRST_NAME, request.firstName());
        variables.put(HumanAccessVariables.LAST_NAME, request.lastName());
        variables.put(HumanAccessVariables.EMAIL, request.email());
        variables.put(HumanAccessVariables.ROLES, String.join(",", request.roles()));
        variables.put(Variables.PURPOSE, request.purpose());
        variables.put(Variables.END_DATE, request.endDate().toString());
        ProcessInstance instance = EngineCaller.as(identity, caller,
                () -> runtime.startProcessInstanceByKey(ProcessIds.HUMAN_ACCESS_PROCESS, variables));
        String identityId = instance.getBusinessKey();
        return ResponseEntity.created(URI.create("/api/identities/" + identityId + "/evidence"))
                .body(new HumanAccessView(identityId, key, humans.get(identityId).getState().name()));
    }

    /** An extra role for a few hours, approved per policy; one at a time. */
    @PostMapping("/api/identities/{id}/elevations")
    @PreAuthorize("hasAnyAuthority('GROUP_requesters', 'GROUP_sponsors')")
    public ResponseEntity<Map<String, Object>> elevate(@PathVariable String id, @RequestBody ElevationRequest request,
                                                       Authentication caller) {
        humans.checkElevation(id, request);
        if (triggers.inActivity(ProcessIds.HUMAN_ACCESS_PROCESS, id, ProcessIds.SUBPROCESS_ELEVATION)) {
            throw new TriggerNotAcceptedException("Identity " + id + " has an elevation in progress", "another elevation");
        }
        humans.recordElevationRequest(id, request, caller.getName());
        // the variables are what the approval form shows; the grant applies the recorded request
        triggers.sendToIdentity(id, ProcessIds.MESSAGE_IDENTITY_ELEVATION_REQUESTED, Map.of(
                HumanAccessVariables.ELEVATION_ROLE, request.role(), Variables.ELEVATION_REASON, request.reason(),
                HumanAccessVariables.ELEVATION_HOURS, request.hours(), Variables.ELEVATION_REQUESTER, caller.getName()));
        return ResponseEntity.accepted().body(Map.of("identityId", id, "role", request.role(), "accepted", true));
    }
}
