package org.partneraccess.machine;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.partneraccess.LifecycleState;
import org.partneraccess.ProcessIds;
import org.partneraccess.Variables;
import org.partneraccess.inventory.IdentityProcesses;
import org.partneraccess.inventory.PartnerIdentity;
import org.partneraccess.partnership.LifecycleTriggers;
import org.partneraccess.partnership.PartnershipService;
import org.partneraccess.security.EngineCaller;
import org.partneraccess.security.StaffGroups;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Partner machines: registration, the owner's one-time secret collection (and renewal) and time-boxed elevation.
 * Requesters register machines for any owner; an identity owner registers a machine they own themselves.
 */
@RestController
public class MachineController {

    private static final List<String> READERS = List.of(StaffGroups.AUDITORS, StaffGroups.SECURITY_OFFICERS,
            StaffGroups.IDENTITY_OWNERS, StaffGroups.SPONSORS);

    private final MachineRegistrationService registrations;
    private final SecretHandoverService handovers;
    private final PartnershipService partnerships;
    private final RuntimeService runtime;
    private final LifecycleTriggers triggers;
    private final IdentityService identity;
    private final IdentityProcesses processes;
    private final ProvisioningWaits provisionings;

    MachineController(MachineRegistrationService registrations, SecretHandoverService handovers,
                      PartnershipService partnerships, RuntimeService runtime, LifecycleTriggers triggers,
                      IdentityService identity, IdentityProcesses processes, ProvisioningWaits provisionings) {
        this.provisionings = provisionings;
        this.processes = processes;
        this.registrations = registrations;
        this.handovers = handovers;
        this.partnerships = partnerships;
        this.runtime = runtime;
        this.triggers = triggers;
        this.identity = identity;
    }

    /** Validates, then starts the machine's process; the same checks run again inside the start transaction. */
    @PostMapping("/api/partnerships/{key}/machines")
    public ResponseEntity<MachineView> register(@PathVariable String key, @RequestBody MachineRegistration request,
                                                Authentication caller) {
        partnerships.get(key);
        List<String> groups = StaffGroups.groupsOf(caller);
        if (!registrations.mayRegister(caller.getName(), groups, request.owner())) {
            throw new AccessDeniedException("requesters, or identity owners for their own machines");
        }
        registrations.check(key, request, caller.getName());
        String identityId = MachineRegistrationService.newIdentityId();
        Map<String, Object> variables = new HashMap<>();
        variables.put(Variables.REQUESTER, caller.getName());
        variables.put(Variables.PARTNERSHIP_KEY, key);
        variables.put(MachineAccessVariables.WORKLOAD_NAME, request.workloadName());
        variables.put(MachineAccessVariables.MACHINE_KIND, request.machineKind());
        variables.put(Variables.OWNER, request.owner());
        variables.put(Variables.PURPOSE, request.purpose());
        variables.put(MachineAccessVariables.ENVIRONMENT, request.environment());
        variables.put(Variables.CLIENT_SCOPES, String.join(",", new TreeSet<>(request.clientScopes())));
        variables.put(Variables.DATA_CLASSES, String.join(",", new TreeSet<>(request.dataClassesOrEmpty())));
        variables.put(MachineAccessVariables.TOKEN_LIFESPAN_SECONDS, request.tokenLifespanSeconds());
        variables.put(Variables.END_DATE, request.endDate().toString());
        variables.put(MachineAccessVariables.AUTH_METHOD, request.authMethod());
        variables.put(MachineAccessVariables.JWKS_URL, request.jwksUrl());
        variables.put(MachineAccessVariables.JWKS, request.jwks());
        variables.put(MachineAccessVariables.WORKLOAD_SUBJECT, request.workloadSubject());
        MachineView started;
        try (ProvisioningWaits.Wait provisioning = provisionings.expect(identityId)) {
            EngineCaller.as(identity, caller,
                    () -> runtime.startProcessInstanceByKey(ProcessIds.MACHINE_ACCESS_PROCESS, identityId, variables));
            started = view(identityId);
            // approved by the policy within the start: its provisioning job is on its way
            if (started.state() == LifecycleState.APPROVED) {
                provisioning.await();
                started = view(identityId);
            }
        }
        return ResponseEntity.created(URI.create("/api/machines/" + identityId)).body(started);
    }

    @GetMapping("/api/machines/{id}")
    public MachineView get(@PathVariable String id, Authentication caller) {
        PartnerIdentity machine = registrations.machine(id);
        boolean reader = StaffGroups.groupsOf(caller).stream().anyMatch(READERS::contains);
        if (!reader && !caller.getName().equals(machine.getOwner()) && !caller.getName().equals(machine.getRequestedBy())) {
            throw new AccessDeniedException("not the machine's owner or requester");
        }
        return view(id);
    }

    /** The secret, once, to the named owner with the token from their mail; never cached, never logged. */
    @PostMapping("/api/machines/{id}/secret")
    public ResponseEntity<SecretHandoverService.Handover> collectSecret(@PathVariable String id,
                                                                         @RequestBody SecretRetrieval retrieval,
                                                                         Authentication caller) {
        SecretHandoverService.Handover handover = handovers.retrieve(id, retrieval.token(), caller.getName());
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).header("Pragma", "no-cache").body(handover);
    }

    /** The owner asks for a new secret (the old one stops working), handed over once like the first. */
    @PostMapping("/api/machines/{id}/secret-renewal")
    public ResponseEntity<Map<String, Object>> renewSecret(@PathVariable String id, Authentication caller) {
        handovers.checkRenewal(id, caller.getName(), registrations.profile(id).getAuthMethod());
        request(id, ProcessIds.MESSAGE_MACHINE_SECRET_RENEWAL_REQUESTED, Map.of());
        return ResponseEntity.accepted().body(Map.of("identityId", id, "accepted", true));
    }

    /** Asks for extra scopes for a while; the machine's process applies the policy, approvals and the timer. */
    @PostMapping("/api/machines/{id}/elevations")
    public ResponseEntity<Map<String, Object>> elevate(@PathVariable String id, @RequestBody MachineElevationRequest request,
                                                       Authentication caller) {
        PartnerIdentity machine = registrations.machine(id);
        if (!StaffGroups.groupsOf(caller).contains(StaffGroups.REQUESTERS) && !caller.getName().equals(machine.getOwner())) {
            throw new AccessDeniedException("requesters, or the machine's owner");
        }
        registrations.checkElevation(id, request);
        if (!triggers.running(ProcessIds.MACHINE_ACCESS_PROCESS, id)
                || triggers.inActivity(ProcessIds.MACHINE_ACCESS_PROCESS, id, ProcessIds.SUBPROCESS_SCOPE_ELEVATION)) {
            throw new ConflictException("An elevation of this machine is being decided or in force already");
        }
        registrations.recordElevationRequest(id, request, caller.getName());
        // the variables are what the approval form shows; the grant applies the recorded request
        Map<String, Object> variables = new HashMap<>();
        variables.put(MachineAccessVariables.ELEVATION_SCOPES, String.join(",", new TreeSet<>(request.clientScopes())));
        variables.put(Variables.ELEVATION_REASON, request.reason());
        variables.put(MachineAccessVariables.ELEVATION_DURATION, Duration.ofMinutes(request.durationMinutes()).toString());
        variables.put(Variables.ELEVATION_REQUESTER, caller.getName());
        request(id, ProcessIds.MESSAGE_MACHINE_SCOPE_ELEVATION_REQUESTED, variables);
        return ResponseEntity.accepted().body(Map.of("identityId", id, "accepted", true));
    }

    /** The machine's process is not in its active period just now (e.g. suspended): a conflict, not a failure. */
    private void request(String id, String message, Map<String, Object> variables) {
        if (!processes.request(id, message, variables)) {
            throw new ConflictException("The machine's process does not take this request in its current state");
        }
    }

    private MachineView view(String identityId) {
        return registrations.view(identityId);
    }

    @ExceptionHandler(MachineNotFoundException.class)
    ResponseEntity<ProblemDetail> notFound(MachineNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "No such partner machine");
    }

    @ExceptionHandler(SecretHandoverService.HandoverRefusedException.class)
    ResponseEntity<ProblemDetail> refused(SecretHandoverService.HandoverRefusedException e) {
        return problem(e.status(), e.getMessage());
    }

    @ExceptionHandler(ConflictException.class)
    ResponseEntity<ProblemDetail> conflict(ConflictException e) {
        return problem(HttpStatus.CONFLICT, e.getMessage());
    }

    static class ConflictException extends RuntimeException {
        ConflictException(String message) {
            super(message);
        }
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail) {
        return ResponseEntity.status(status).contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                .body(ProblemDetail.forStatusAndDetail(status, detail));
    }
}
