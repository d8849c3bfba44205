package org.partneraccess.partnership;

import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.partneraccess.LifecycleState;
import org.partneraccess.ProcessIds;
import org.partneraccess.Variables;
import org.partneraccess.audit.AuditLog;
import org.partneraccess.security.EngineCaller;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/partnerships")
public class PartnershipController {

    private final PartnershipService partnerships;
    private final PartnershipRepository repository;
    private final RuntimeService runtime;
    private final IdentityService identity;
    private final AuditLog audit;

    PartnershipController(PartnershipService partnerships, PartnershipRepository repository, RuntimeService runtime,
                          IdentityService identity, AuditLog audit) {
        this.audit = audit;
        this.partnerships = partnerships;
        this.repository = repository;
        this.runtime = runtime;
        this.identity = identity;
    }

    public record PartnershipView(String key, String legalName, LifecycleState state, String stateReason,
                                  String sponsor, String businessOwner, String technicalOwner, String purpose,
                                  Set<String> dataClasses, Set<String> environments, Set<String> clientScopes,
                                  LocalDate endDate, String riskTier, String requestedBy, String approvedBy,
                                  Instant approvedAt, Instant createdAt, IncidentVerification lastIncidentVerification) {

        static PartnershipView of(Partnership p) {
            return of(p, null);
        }

        static PartnershipView of(Partnership p, IncidentVerification verification) {
            return new PartnershipView(p.getKey(), p.getLegalName(), p.getState(), p.getStateReason(), p.getSponsor(),
                    p.getBusinessOwner(), p.getTechnicalOwner(), p.getPurpose(), p.getDataClasses(),
                    p.getEnvironments(), p.getClientScopes(), p.getEndDate(), p.getRiskTier(), p.getRequestedBy(),
                    p.getApprovedBy(), p.getApprovedAt(), p.getCreatedAt(), verification);
        }
    }

    /** What the last incident's verification found in Keycloak, with its timings. */
    public record IncidentVerification(Instant verifiedAt, String result) {
    }

    /** The action under which the incident verification records its verdict. */
    public static final String INCIDENT_VERIFIED = "INCIDENT_VERIFIED";

    @GetMapping
    public List<PartnershipView> list(@RequestParam(required = false) LifecycleState state) {
        List<Partnership> found = state == null ? repository.findAll(org.springframework.data.domain.Sort.by("key"))
                : repository.findByStateOrderByKey(state);
        return found.stream().map(PartnershipView::of).toList();
    }

    @GetMapping("/{key}")
    public PartnershipView get(@PathVariable String key) {
        return PartnershipView.of(partnerships.get(key), audit.latest(key, INCIDENT_VERIFIED)
                .map(event -> new IncidentVerification(event.getOccurredAt(), event.getDetail())).orElse(null));
    }

    /** Validates, then starts the partnership process; the same checks run again inside the start transaction. */
    @PostMapping
    @PreAuthorize("hasAuthority('GROUP_requesters')")
    public ResponseEntity<PartnershipView> request(@RequestBody PartnershipRequest request, Authentication caller) {
        partnerships.checkRequest(request, caller.getName());
        Map<String, Object> variables = new java.util.HashMap<>();
        variables.put(Variables.REQUESTER, caller.getName());
        variables.put(Variables.PARTNERSHIP_KEY, request.partnershipKey());
        variables.put(Variables.LEGAL_NAME, request.legalName());
        variables.put(Variables.SPONSOR, request.sponsor());
        variables.put(Variables.BUSINESS_OWNER, request.businessOwner());
        variables.put(Variables.TECHNICAL_OWNER, request.technicalOwner());
        variables.put(Variables.PURPOSE, request.purpose());
        variables.put(Variables.DATA_CLASSES, String.join(",", request.dataClasses()));
        variables.put(Variables.ENVIRONMENTS, String.join(",", request.environments()));
        variables.put(Variables.CLIENT_SCOPES, String.join(",", request.clientScopes()));
        variables.put(Variables.END_DATE, request.endDate().toString());
        variables.put(Variables.CONTACT_EMAIL, request.contactEmail());
        variables.put(Variables.CONTACT_FIRST_NAME, request.contactFirstName());
        variables.put(Variables.CONTACT_LAST_NAME, request.contactLastName());
        EngineCaller.as(identity, caller, () -> runtime.startProcessInstanceByKey(ProcessIds.PARTNERSHIP_PROCESS,
                request.partnershipKey(), variables));
        return ResponseEntity.created(URI.create("/api/partnerships/" + request.partnershipKey()))
                .body(PartnershipView.of(partnerships.get(request.partnershipKey())));
    }
}
