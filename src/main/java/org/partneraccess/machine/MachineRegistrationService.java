package org.partneraccess.machine;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import org.partneraccess.InvalidRequestException;
import org.partneraccess.LifecycleState;
import org.partneraccess.PerRequest;
import org.partneraccess.ProcessIds;
import org.partneraccess.StringSetConverter;
import org.partneraccess.Variables;
import org.partneraccess.audit.AuditLog;
import org.partneraccess.audit.IdentityAction;
import org.partneraccess.audit.PolicyAction;
import org.partneraccess.decision.Decisions;
import org.partneraccess.decision.RequestRecorded;
import org.partneraccess.inventory.IdentityKind;
import org.partneraccess.inventory.IdentityRegistry;
import org.partneraccess.inventory.IdentityStates;
import org.partneraccess.inventory.PartnerIdentity;
import org.partneraccess.keycloak.PartnerClients.AuthMethod;
import org.partneraccess.security.JwksUrlCheck;
import org.partneraccess.trust.WorkloadTrusts;
import org.partneraccess.partnership.Partnership;
import org.partneraccess.partnership.PartnershipService;
import org.partneraccess.policy.PolicyDecision;
import org.partneraccess.policy.PolicyInput;
import org.partneraccess.policy.ShownFacts;
import org.partneraccess.security.StaffDirectory;
import org.partneraccess.security.StaffGroups;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.partneraccess.keycloak.PartnerClients;

/**
 * Registration of partner machines: validation against the partnership and the access policy, the registry rows,
 * the policy decision and the approval outcome, each with its audit evidence.
 */
@Service
public class MachineRegistrationService {

    /** Client ids in the partner realm: one per machine identity, never reused. */
    static final String CLIENT_ID_PREFIX = "pa-m-";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> PRIVATE_KEY_PARTS = Set.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");

    private final IdentityRegistry identities;
    private final MachineProfileRepository profiles;
    private final PartnershipService partnerships;
    private final StaffDirectory staff;
    private final Validator validator;
    private final AuditLog audit;
    private final MachinePolicy policy;
    private final MachineProperties properties;
    private final JwksUrlCheck jwksUrls;
    private final Decisions decisions;
    private final ApplicationEventPublisher events;

    /** The audit action and decision-record step of the access policy's decision on a registration. */
    static final String POLICY_DECIDED = PolicyAction.MACHINE_POLICY_DECIDED.name();
    /** A machine is approved by the policy alone, or by an owner and, when the policy says so, a security officer. */
    public static final Decisions.ApprovalSteps APPROVALS = new Decisions.ApprovalSteps(POLICY_DECIDED,
            ProcessIds.TASK_APPROVE_MACHINE_AS_OWNER, MachineAccessVariables.OWNER_APPROVED, MachineAccessVariables.OWNER_COMMENT,
            ProcessIds.TASK_APPROVE_MACHINE_AS_SECURITY_OFFICER, Variables.SECURITY_OFFICER_APPROVED,
            Variables.SECURITY_OFFICER_COMMENT, true);
    static final String ELEVATION_POLICY_DECIDED = PolicyAction.MACHINE_ELEVATION_POLICY_DECIDED.name();
    /** The decision-record steps of an elevation: what was asked and by whom, and what was granted. */
    public static final String ELEVATION_REQUESTED = "MACHINE_ELEVATION_REQUESTED";
    static final String ELEVATION_GRANTED = "MACHINE_ELEVATION_GRANTED";
    /** An elevation is approved like a registration, by its own policy decision and tasks. */
    public static final Decisions.ApprovalSteps ELEVATION_APPROVALS = new Decisions.ApprovalSteps(ELEVATION_POLICY_DECIDED,
            ProcessIds.TASK_APPROVE_ELEVATION_AS_OWNER, Variables.ELEVATION_APPROVED, Variables.ELEVATION_COMMENT,
            ProcessIds.TASK_APPROVE_ELEVATION_AS_SECURITY_OFFICER, MachineAccessVariables.ELEVATION_SECURITY_OFFICER_APPROVED,
            Variables.ELEVATION_COMMENT, true);

    /** An approved elevation as recorded: the extra scopes, for how long, why, and who approved it. */
    public record ElevationGrant(Set<String> extraScopes, Duration duration, String reason, String approvers) {
    }

    private final IdentityStates states;
    private final WorkloadTrusts trusts;

    MachineRegistrationService(IdentityRegistry identities, MachineProfileRepository profiles,
                               PartnershipService partnerships, StaffDirectory staff, Validator validator,
                               AuditLog audit, MachinePolicy policy, MachineProperties properties,
                               Decisions decisions, ApplicationEventPublisher events, IdentityStates states,
                               JwksUrlCheck jwksUrls, WorkloadTrusts trusts) {
        this.trusts = trusts;
        this.states = states;
        this.identities = identities;
        this.profiles = profiles;
        this.partnerships = partnerships;
        this.staff = staff;
        this.validator = validator;
        this.audit = audit;
        this.policy = policy;
        this.properties = properties;
        this.decisions = decisions;
        this.events = events;
        this.jwksUrls = jwksUrls;
    }

    /** Who may register: a requester for any owner, an identity owner for a machine they own themselves. */
    public boolean mayRegister(String requester, List<String> requesterGroups, String owner) {
        return requesterGroups.contains(StaffGroups.REQUESTERS)
                || requesterGroups.contains(StaffGroups.IDENTITY_OWNERS) && Objects.equals(requester, owner);
    }

    /**
     * Throws {@link InvalidRequestException} naming every invalid field; changes nothing in the registry. Outside a
     * transaction: its staff lookups ask Keycloak, and a database connection held meanwhile would be one fewer for
     * every other request (each read takes its own; the policy's evaluation is written to the decision history by the
     * engine's own command).
     */
    public void check(String partnershipKey, MachineRegistration request, String requester) {
        validate(partnershipKey, request, requester);
    }

    /** Registers a valid request as REQUESTED under the given identity id; the machine's client id derives from it. */
    @Transactional
    public PartnerIdentity register(String identityId, String partnershipKey, MachineRegistration request,
                                    String requester) {
        Checked checked = validate(partnershipKey, request, requester);
        String clientId = CLIENT_ID_PREFIX + partnershipKey + "-" + identityId.replace("-", "").substring(0, 8);
        PartnerIdentity identity = identities.add(new PartnerIdentity(identityId, partnershipKey, IdentityKind.MACHINE,
                request.workloadName(), clientId, null, request.owner(), request.purpose(), request.environment(),
                request.clientScopes(), PartnerIdentity.endOfDay(request.endDate()), requester));
        profiles.save(new MachineProfile(identityId, request.machineKind(), AuthMethod.valueOf(request.authMethod()),
                blankToNull(request.jwksUrl()), blankToNull(request.jwks()), checked.dataClasses(),
                checked.tokenLifespanSeconds(), checked.decision().rotationDays(), checked.decision().riskTier(),
                checked.decision().dpopRequired(), blankToNull(request.workloadSubject())));
        audit.record(requester, IdentityAction.MACHINE_REGISTRATION_REQUESTED, partnershipKey, identityId,
                "client=" + clientId + "; kind=" + request.machineKind() + "; owner=" + request.owner()
                        + "; environment=" + request.environment() + "; scopes=" + new TreeSet<>(request.clientScopes())
                        + "; authMethod=" + request.authMethod()
                        + (request.workloadSubject() == null ? "" : "; workloadSubject=" + request.workloadSubject().trim())
                        + "; endDate=" + request.endDate());
        events.publishEvent(new RequestRecorded(identityId, requester));
        return identity;
    }

    /**
     * Who approves in the owner's role: the owner, unless the owner asked for the machine themselves; then the
     * partnership's sponsor (or its business or technical owner), so that no one approves their own request.
     */
    @Transactional(readOnly = true)
    public String approverInOwnersRole(String identityId, String requester) {
        PartnerIdentity identity = machine(identityId);
        Partnership partnership = partnerships.get(identity.getPartnershipKey());
        return approverOtherThan(requester, identity.getOwner(), partnership)
                .orElseThrow(() -> new IllegalStateException("no approver other than " + requester + " for " + identityId));
    }

    /** What the machine's approval and review forms show: what it is granted, who answers for it, its partnership. */
    @Transactional(readOnly = true)
    public ShownFacts shown(String identityId) {
        PartnerIdentity identity = machine(identityId);
        Partnership partnership = partnerships.get(identity.getPartnershipKey());
        return ShownFacts.of().scopes(identity.getClientScopes()).dataClasses(profile(identityId).getDataClasses())
                .environments(java.util.Set.of(identity.getEnvironment()))
                .owners("owner", identity.getOwner(), "partnership sponsor", partnership.getSponsor())
                .partnership(partnership.getLegalName(), partnership.getKey(), partnership.getRiskTier());
    }

    /** Applies the access policy to a registered machine; the decision is recorded with the inputs it was taken on. */
    @Transactional
    public PolicyDecision decidePolicy(String identityId) {
        PartnerIdentity identity = machine(identityId);
        MachineProfile profile = profile(identityId);
        PolicyDecision decision = decideAndRecord(identity, profile, identity.getClientScopes(), PolicyAction.MACHINE_POLICY_DECIDED);
        profile.limits(Math.min(profile.getTokenLifespanSeconds(), decision.maxTokenLifespanSeconds()),
                decision.rotationDays(), decision.riskTier(), decision.dpopRequired());
        return decision;
    }

    /**
     * Records a checked elevation request (extra scopes, duration, reason, who asked) in the decision record: the
     * policy decides on it and the grant applies exactly it, whatever the instance's variables say.
     */
    @Transactional
    public void recordElevationRequest(String identityId, MachineElevationRequest request, String requester) {
        decisions.recordRequest(identityId, ELEVATION_REQUESTED, requester, Map.of(
                MachineAccessVariables.ELEVATION_SCOPES, StringSetConverter.join(new TreeSet<>(request.clientScopes())),
                MachineAccessVariables.ELEVATION_DURATION, Duration.ofMinutes(request.durationMinutes()).toString(),
                Variables.ELEVATION_REASON, request.reason()));
    }

    /** The policy for the machine with the recorded request's extra scopes; recorded like the registration's decision. */
    @Transactional
    public PolicyDecision decideElevationPolicy(String identityId) {
        PartnerIdentity identity = machine(identityId);
        Set<String> scopes = new TreeSet<>(identity.getClientScopes());
        scopes.addAll(StringSetConverter.split(
                (String) latestElevationRequest(identityId).get(MachineAccessVariables.ELEVATION_SCOPES)));
        return decideAndRecord(identity, profile(identityId), scopes, PolicyAction.MACHINE_ELEVATION_POLICY_DECIDED);
    }

    /** Who approves the recorded elevation request in the owner's role: never the one who asked for it. */
    @Transactional(readOnly = true)
    public String elevationApprover(String identityId) {
        return approverInOwnersRole(identityId, (String) latestElevationRequest(identityId).get(Decisions.DECIDED_BY));
    }

    private Map<String, Object> latestElevationRequest(String identityId) {
        return decisions.latest(identityId, ELEVATION_REQUESTED)
                .orElseThrow(() -> new IllegalStateException("No elevation of " + identityId + " is on record"));
    }

    /**
     * Throws {@link InvalidRequestException} unless the extra scopes are the partnership's, new to the machine and asked
     * for no longer than allowed; changes nothing. The machine must be ACTIVE.
     */
    @Transactional(readOnly = true)
    public void checkElevation(String identityId, MachineElevationRequest request) {
        PartnerIdentity identity = machine(identityId);
        Map<String, String> errors = new LinkedHashMap<>();
        for (ConstraintViolation<MachineElevationRequest> violation : validator.validate(request)) {
            errors.merge(violation.getPropertyPath().toString().replaceAll("\\[.*", ""), violation.getMessage(),
                    (a, b) -> a + "; " + b);
        }
        if (identity.getState() != LifecycleState.ACTIVE) {
            errors.put("identityId", "the machine is " + identity.getState() + "; only an ACTIVE machine is elevated");
        }
        if (!profile(identityId).getElevatedScopes().isEmpty()) {
            errors.put("clientScopes", "an elevation is in force already; one at a time");
        }
        Partnership partnership = partnerships.get(identity.getPartnershipKey());
        checkWithin(errors, "clientScopes", request.clientScopes(), partnership.getClientScopes(),
                "not approved for the partnership");
        if (request.clientScopes() != null && !errors.containsKey("clientScopes")
                && identity.getClientScopes().containsAll(request.clientScopes())) {
            errors.put("clientScopes", "the machine holds these scopes already");
        }
        long maxMinutes = properties.maxElevation().toMinutes();
        if (request.durationMinutes() != null && !errors.containsKey("durationMinutes")
                && request.durationMinutes() > maxMinutes) {
            errors.put("durationMinutes", "at most " + maxMinutes + " minutes");
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
    }

    /**
     * The recorded elevation request the decision record approves, taken once: the policy decided on it, its approvals
     * are recorded after that decision, and it has not been granted before; refused otherwise.
     */
    @Transactional
    public ElevationGrant takeElevationGrant(String identityId) {
        PartnerIdentity identity = machine(identityId);
        Map<String, Object> requested = decisions.request(identityId, ELEVATION_REQUESTED, ELEVATION_POLICY_DECIDED);
        String approvers = decisions.approvers(identityId, ELEVATION_APPROVALS,
                ownersRole(identity.getOwner(), partnerships.get(identity.getPartnershipKey())),
                (String) requested.get(Decisions.DECIDED_BY));
        decisions.recordGrant(identityId, ELEVATION_GRANTED, ELEVATION_POLICY_DECIDED, approvers, requested);
        return new ElevationGrant(StringSetConverter.split((String) requested.get(MachineAccessVariables.ELEVATION_SCOPES)),
                Duration.parse((String) requested.get(MachineAccessVariables.ELEVATION_DURATION)),
                (String) requested.get(Variables.ELEVATION_REASON), approvers);
    }

    /** The rejection of the recorded elevation request that the decision record holds for this instance. */
    @Transactional(readOnly = true)
    public Decisions.Rejection elevationRejection(String identityId, String processInstanceId) {
        PartnerIdentity identity = machine(identityId);
        Map<String, Object> requested = decisions.request(identityId, ELEVATION_REQUESTED, ELEVATION_POLICY_DECIDED);
        return decisions.rejection(identityId, processInstanceId, ELEVATION_APPROVALS,
                ownersRole(identity.getOwner(), partnerships.get(identity.getPartnershipKey())),
                (String) requested.get(Decisions.DECIDED_BY));
    }

    /** Approves on the decision record's word alone: the policy, or the owner's role and a security officer if required. */
    @Transactional
    public void approve(String identityId) {
        PartnerIdentity identity = machine(identityId);
        Partnership partnership = partnerships.get(identity.getPartnershipKey());
        String approvers = decisions.approvers(identityId, APPROVALS, ownersRole(identity.getOwner(), partnership),
                identity.getRequestedBy());
        states.approve(identityId, approvers, Instant.now());
        audit.record(approvers, IdentityAction.MACHINE_APPROVED, identity.getPartnershipKey(), identityId, null);
    }

    /**
     * Rejects on the decision record's word (the owner's or security officer's rejection, with its reason), or
     * because the partnership no longer grants access when the machine was to be provisioned.
     */
    @Transactional
    public void reject(String identityId, String processInstanceId) {
        PartnerIdentity identity = machine(identityId);
        identity.requireState("rejection", LifecycleState.rejectable());
        Partnership partnership = partnerships.get(identity.getPartnershipKey());
        Decisions.Rejection rejection = partnership.getState() != LifecycleState.ACTIVE
                ? new Decisions.Rejection("system", "Partnership " + partnership.getKey() + " is "
                        + partnership.getState() + " when the machine was to be provisioned")
                : decisions.rejection(identityId, processInstanceId, APPROVALS,
                        ownersRole(identity.getOwner(), partnership), identity.getRequestedBy());
        states.require(identityId, LifecycleState.REJECTED, rejection.reason(), "rejection");
        audit.record(rejection.decidedBy(), IdentityAction.MACHINE_REJECTED, identity.getPartnershipKey(), identityId,
                rejection.reason());
    }

    @Transactional(readOnly = true)
    public PartnerIdentity machine(String identityId) {
        return identities.find(identityId, IdentityKind.MACHINE)
                .orElseThrow(() -> new MachineNotFoundException(identityId));
    }

    /** The machine as its owner and the API see it. */
    @Transactional(readOnly = true)
    public MachineView view(String identityId) {
        return MachineView.of(machine(identityId), profile(identityId));
    }

    @Transactional(readOnly = true)
    public MachineProfile profile(String identityId) {
        return findProfile(identityId).orElseThrow(() -> new MachineNotFoundException(identityId));
    }

    /**
     * The machine's profile, or empty; for callers inside a transaction of their own, which a thrown
     * {@link MachineNotFoundException} would mark for rollback even when caught.
     */
    @Transactional(readOnly = true)
    public java.util.Optional<MachineProfile> findProfile(String identityId) {
        return profiles.findById(identityId);
    }

    private PolicyDecision decideAndRecord(PartnerIdentity identity, MachineProfile profile, Set<String> scopes,
                                           PolicyAction action) {
        PolicyInput input = policy.inputFor(identity.getPartnershipKey(), profile.getMachineKind(), profile.getDataClasses(),
                identity.getEnvironment(), scopes, policy.permissionScopes());
        PolicyDecision decision = decide(input);
        audit.record("policy", action, identity.getPartnershipKey(), identity.getId(),
                "scopes=" + new TreeSet<>(scopes) + "; input=" + input.toVariables() + "; decision=" + decision.toVariables());
        decisions.recordPolicy(identity.getId(), action.name(), input.toVariables(), decision);
        return decision;
    }

    /**
     * The check before the start, the start transaction and the process's decision step, all inside the registering
     * request, ask the table once for one input; a job or a timer asks afresh.
     */
    private PolicyDecision decide(PolicyInput input) {
        return PerRequest.once("machine policy " + input.toVariables(), () -> policy.decide(input));
    }

    // ---- validation ----

    record Checked(Set<String> dataClasses, int tokenLifespanSeconds, PolicyDecision decision) {
    }

    private Checked validate(String partnershipKey, MachineRegistration request, String requester) {
        Map<String, String> errors = violations(request);
        Partnership partnership = partnerships.find(partnershipKey).orElse(null);
        if (partnership == null) {
            errors.put("partnershipKey", PartnershipService.missing(partnershipKey));
        }
        if (partnership != null && partnership.getState() != LifecycleState.ACTIVE) {
            errors.put("partnershipKey", "the partnership is " + partnership.getState()
                    + "; machines are registered only for an ACTIVE partnership");
        }
        if (request.owner() != null && !errors.containsKey("owner")) {
            if (!staff.exists(request.owner())) {
                errors.put("owner", "not a known staff user");
            } else if (!mayRegister(requester, groupsOf(requester), request.owner())) {
                errors.put("owner", "identity owners register only machines they own themselves; requesters register any");
            } else if (partnership != null && approverOtherThan(requester, request.owner(), partnership).isEmpty()) {
                errors.put("owner", "someone other than you must be able to approve: name another owner");
            }
        }
        Map<String, String> permissionScopes = Map.of();
        if (partnership != null) {
            checkWithin(errors, "environment", request.environment() == null ? null : Set.of(request.environment()),
                    partnership.getEnvironments(), "not an environment of the partnership");
            checkWithin(errors, "clientScopes", request.clientScopes(), partnership.getClientScopes(),
                    "not approved for the partnership");
            checkWithin(errors, "dataClasses", request.dataClasses(), partnership.getDataClasses(),
                    "not a data class of the partnership");
            if (request.endDate() != null && !errors.containsKey("endDate")
                    && request.endDate().isAfter(partnership.getEndDate())) {
                errors.put("endDate", "must not be after the partnership's end date " + partnership.getEndDate());
            }
            if (request.clientScopes() != null && !errors.containsKey("clientScopes")) {
                permissionScopes = policy.permissionScopes();
                Set<String> unknown = new TreeSet<>(request.clientScopes());
                unknown.removeAll(permissionScopes.keySet());
                if (!unknown.isEmpty()) {
                    errors.put("clientScopes", "not a client scope of the partner realm: " + String.join(", ", unknown));
                }
            }
        }
        checkAuthentication(errors, request);
        checkFederation(errors, partnershipKey, request);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        Set<String> dataClasses = request.dataClassesOrEmpty().isEmpty() ? partnership.getDataClasses()
                : request.dataClassesOrEmpty();
        PolicyInput input = policy.inputFor(partnershipKey, request.machineKind(), dataClasses, request.environment(),
                request.clientScopes(), permissionScopes);
        PolicyDecision decision = decide(input);
        int lifespan = request.tokenLifespanSeconds() == null ? decision.maxTokenLifespanSeconds()
                : request.tokenLifespanSeconds();
        if (lifespan > decision.maxTokenLifespanSeconds()) {
            errors.put("tokenLifespanSeconds", "the policy allows at most " + decision.maxTokenLifespanSeconds()
                    + " seconds for risk tier " + decision.riskTier());
        } else if (lifespan < properties.minTokenLifespanSeconds()) {
            errors.put("tokenLifespanSeconds", "at least " + properties.minTokenLifespanSeconds() + " seconds");
        }
        LocalDate latest = LocalDate.now(ZoneOffset.UTC).plusDays(decision.maxAccessDays());
        if (request.endDate().isAfter(latest)) {
            errors.put("endDate", "the policy allows at most " + decision.maxAccessDays() + " days for risk tier "
                    + decision.riskTier() + ": " + latest + " at the latest");
        }
        if (AuthMethod.CLIENT_SECRET.name().equals(request.authMethod()) && !decision.clientSecretAllowed()) {
            errors.put("authMethod", "the policy allows no client secret for risk tier " + decision.riskTier()
                    + (trusts.activeFor(partnershipKey).isPresent()
                    ? " where the partnership's workload issuer is trusted: register the workload's subject (FEDERATED)"
                    : ": register the partner's public keys (SIGNED_JWT)"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return new Checked(dataClasses, lifespan, decision);
    }

    /**
     * A federated machine names only its workload subject, which the partnership's approved workload trust vouches
     * for; the subject is unique among the partnership's machines, since Keycloak finds the client by it.
     */
    private void checkFederation(Map<String, String> errors, String partnershipKey, MachineRegistration request) {
        boolean federated = AuthMethod.FEDERATED.name().equals(request.authMethod());
        boolean hasSubject = request.workloadSubject() != null && !request.workloadSubject().isBlank();
        if (!federated) {
            if (hasSubject) {
                errors.putIfAbsent("workloadSubject", "only for FEDERATED: the workload subject its issuer vouches for");
            }
            return;
        }
        if (trusts.activeFor(partnershipKey).isEmpty()) {
            errors.putIfAbsent("authMethod", "FEDERATED needs the partnership's workload issuer trusted (requested"
                    + " at /api/partnerships/" + partnershipKey + "/workload-trust and approved by a security officer)");
        }
        if (hasSubject) {
            // under a SPIFFE trust domain the subject is a SPIFFE ID of that domain
            trusts.activeFor(partnershipKey)
                    .flatMap(trust -> WorkloadTrusts.subjectProblem(trust, request.workloadSubject().trim()))
                    .ifPresent(problem -> errors.putIfAbsent("workloadSubject", problem));
        }
        if (!hasSubject) {
            errors.putIfAbsent("workloadSubject", "a FEDERATED machine names its workload subject, such as"
                    + " system:serviceaccount:orders:sync");
        } else if (!errors.containsKey("workloadSubject") && identities.notEndedOf(partnershipKey).stream()
                .map(machine -> profiles.findById(machine.getId()).map(MachineProfile::getWorkloadSubject).orElse(null))
                .anyMatch(request.workloadSubject().trim()::equals)) {
            errors.put("workloadSubject", "another machine of the partnership has this workload subject");
        }
    }

    private void checkAuthentication(Map<String, String> errors, MachineRegistration request) {
        if (request.authMethod() == null || errors.containsKey("authMethod")) {
            return;
        }
        if (AuthMethod.FEDERATED.name().equals(request.authMethod())) {
            if (request.jwksUrl() != null && !request.jwksUrl().isBlank()
                    || request.jwks() != null && !request.jwks().isBlank()) {
                String why = "not for FEDERATED: the partnership's trusted issuer holds the keys";
                errors.putIfAbsent(request.jwksUrl() != null && !request.jwksUrl().isBlank() ? "jwksUrl" : "jwks", why);
            }
            return;
        }
        boolean hasUrl = request.jwksUrl() != null && !request.jwksUrl().isBlank();
        boolean hasKeys = request.jwks() != null && !request.jwks().isBlank();
        if (AuthMethod.CLIENT_SECRET.name().equals(request.authMethod())) {
            if (hasUrl || hasKeys) {
                errors.putIfAbsent(hasUrl ? "jwksUrl" : "jwks", "only for SIGNED_JWT: a secret client has no public keys");
            }
            return;
        }
        if (hasUrl == hasKeys) {
            // both fields are at fault, whether both or neither were given
            String why = hasUrl ? "give either the JWKS URL or the JWKS with the partner's public keys, not both"
                    : "a SIGNED_JWT machine needs the JWKS URL or the JWKS with the partner's public keys";
            errors.putIfAbsent("jwksUrl", why);
            errors.putIfAbsent("jwks", why);
            return;
        }
        if (hasUrl && !errors.containsKey("jwksUrl")) {
            jwksUrlProblem(request.jwksUrl().trim()).ifPresent(problem -> errors.put("jwksUrl", problem));
        }
        if (hasKeys && !errors.containsKey("jwks")) {
            jwksProblem(request.jwks()).ifPresent(problem -> errors.put("jwks", problem));
        }
    }

    java.util.Optional<String> jwksUrlProblem(String url) {
        return jwksUrls.problem(url);
    }

    /** Public RSA signing keys only: a private key part here means the partner just gave its key away. */
    static java.util.Optional<String> jwksProblem(String jwks) {
        JsonNode document;
        try {
            document = JSON.readTree(jwks);
        } catch (JsonProcessingException e) {
            return java.util.Optional.of("not JSON: a JWKS such as {\"keys\": [...]}");
        }
        JsonNode keys = document == null ? null : document.get("keys");
        if (keys == null || !keys.isArray() || keys.isEmpty()) {
            return java.util.Optional.of("a JWKS with at least one key in \"keys\"");
        }
        for (JsonNode key : keys) {
            if (!key.isObject() || !"RSA".equals(key.path("kty").asText()) || !key.hasNonNull("n") || !key.hasNonNull("e")) {
                return java.util.Optional.of("every key must be an RSA public key (kty RSA with n and e)");
            }
            if (PRIVATE_KEY_PARTS.stream().anyMatch(key::has)) {
                return java.util.Optional.of("contains private key material: send public keys only, and replace this key");
            }
            if (key.has("use") && !"sig".equals(key.get("use").asText())) {
                return java.util.Optional.of("keys must be for signing (use sig)");
            }
        }
        return java.util.Optional.empty();
    }

    private static void checkWithin(Map<String, String> errors, String field, Set<String> requested, Set<String> allowed,
                                    String message) {
        if (requested == null || errors.containsKey(field)) {
            return;
        }
        Set<String> outside = new TreeSet<>(requested);
        outside.removeAll(allowed);
        if (!outside.isEmpty()) {
            errors.put(field, message + ": " + String.join(", ", outside));
        }
    }

    private List<String> groupsOf(String user) {
        return java.util.stream.Stream.of(StaffGroups.REQUESTERS, StaffGroups.IDENTITY_OWNERS)
                .filter(group -> staff.isMember(user, group)).toList();
    }

    private static java.util.Optional<String> approverOtherThan(String requester, String owner, Partnership partnership) {
        return ownersRole(owner, partnership).stream()
                .filter(Objects::nonNull).filter(candidate -> !candidate.equals(requester)).findFirst();
    }

    /** Who may approve in the owner's role, in order: the owner, then the partnership's sponsor and owners. */
    private static List<String> ownersRole(String owner, Partnership partnership) {
        return java.util.Arrays.asList(owner, partnership.getSponsor(), partnership.getBusinessOwner(),
                partnership.getTechnicalOwner());
    }

    /** Bean validation's findings by field; an element of a set is reported as the set. */
    private Map<String, String> violations(MachineRegistration request) {
        Map<String, String> errors = new LinkedHashMap<>();
        for (ConstraintViolation<MachineRegistration> violation : validator.validate(request)) {
            errors.merge(violation.getPropertyPath().toString().replaceAll("\\[.*", ""), violation.getMessage(),
                    (a, b) -> a + "; " + b);
        }
        return errors;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    static String newIdentityId() {
        return UUID.randomUUID().toString();
    }
}
