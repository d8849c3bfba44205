package org.partneraccess.trust;

import java.net.URI;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.RuntimeService;
import org.partneraccess.LifecycleState;
import org.partneraccess.ProcessIds;
import org.partneraccess.Variables;
import org.partneraccess.keycloak.PartnerIdentityProviders;
import org.partneraccess.partnership.PartnershipService;
import org.partneraccess.security.EngineCaller;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * A partnership's workload trust: requesters ask for it (checked, then its process starts, where a security officer
 * other than the requester decides); readers see it.
 */
@RestController
public class WorkloadTrustController {

    private final WorkloadTrusts trusts;
    private final PartnershipService partnerships;
    private final RuntimeService runtime;
    private final IdentityService identity;
    private final ProcessEngineConfigurationImpl engine;

    WorkloadTrustController(WorkloadTrusts trusts, PartnershipService partnerships, RuntimeService runtime,
                            IdentityService identity, ProcessEngine processEngine) {
        this.engine = (ProcessEngineConfigurationImpl) processEngine.getProcessEngineConfiguration();
        this.trusts = trusts;
        this.partnerships = partnerships;
        this.runtime = runtime;
        this.identity = identity;
    }

    /** What the registry holds of a trust; the alias is the identity provider its federated machines name. */
    public record WorkloadTrustView(String trustId, String partnershipKey, String kind, String issuer, String jwksUrl,
                                    LifecycleState state, String stateReason, String identityProvider,
                                    String requestedBy, String approvedBy, Instant approvedAt) {

        static WorkloadTrustView of(WorkloadTrust trust) {
            return new WorkloadTrustView(trust.getId(), trust.getPartnershipKey(), trust.getKind().name(),
                    trust.getIssuer(), trust.getJwksUrl(), trust.getState(), trust.getStateReason(),
                    PartnerIdentityProviders.alias(trust.getPartnershipKey()), trust.getRequestedBy(),
                    trust.getApprovedBy(), trust.getApprovedAt());
        }
    }

    /** Validates, then starts the trust's process; the same checks run again inside the start transaction. */
    @PostMapping("/api/partnerships/{key}/workload-trust")
    @PreAuthorize("hasAuthority('GROUP_requesters')")
    public ResponseEntity<WorkloadTrustView> request(@PathVariable String key,
                                                     @RequestBody WorkloadTrustRequest request,
                                                     Authentication caller) {
        partnerships.get(key);
        trusts.check(key, request);
        String trustId = WorkloadTrusts.newTrustId();
        Map<String, Object> variables = new HashMap<>();
        variables.put(Variables.REQUESTER, caller.getName());
        variables.put(Variables.PARTNERSHIP_KEY, key);
        variables.put(WorkloadTrustVariables.TRUST_KIND, request.kind());
        variables.put(WorkloadTrustVariables.TRUST_ISSUER, request.issuer());
        variables.put(WorkloadTrustVariables.TRUST_JWKS_URL, request.jwksUrl());
        // as the caller, who the record step takes as the requester; staff hold no start right on this process
        // (it has no start form, and only this door checks a trust request), so the start skips that check alone
        EngineCaller.as(identity, caller, () -> engine.getCommandExecutorTxRequired().execute(
                (CommandContext context) -> context.runWithoutAuthorization(() -> runtime.startProcessInstanceByKey(
                        ProcessIds.WORKLOAD_TRUST_PROCESS, trustId, variables))));
        return ResponseEntity.created(URI.create("/api/partnerships/" + key + "/workload-trust"))
                .body(WorkloadTrustView.of(trusts.get(trustId)));
    }

    @GetMapping("/api/partnerships/{key}/workload-trust")
    @PreAuthorize("hasAnyAuthority('GROUP_auditors', 'GROUP_security-officers', 'GROUP_sponsors', 'GROUP_requesters')")
    public WorkloadTrustView get(@PathVariable String key) {
        partnerships.get(key);
        return WorkloadTrustView.of(trusts.openFor(key)
                .orElseThrow(() -> new WorkloadTrusts.WorkloadTrustNotFoundException("of partnership " + key)));
    }

    @ExceptionHandler(WorkloadTrusts.WorkloadTrustNotFoundException.class)
    ResponseEntity<ProblemDetail> notFound(WorkloadTrusts.WorkloadTrustNotFoundException e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No open workload trust"));
    }
}
