package org.partneraccess.partnership;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.validation.Validator;
import org.partneraccess.Drills;
import org.partneraccess.InvalidRequestException;
import org.partneraccess.LifecycleState;
import org.partneraccess.ProcessIds;
import org.partneraccess.StringSetConverter;
import org.partneraccess.audit.AuditLog;
import org.partneraccess.audit.PartnershipAction;
import org.partneraccess.audit.PolicyAction;
import org.partneraccess.decision.Decisions;
import org.partneraccess.decision.RequestRecorded;
import org.partneraccess.inventory.IdentityKind;
import org.partneraccess.inventory.IdentityStates;
import org.partneraccess.inventory.PartnerIdentity;
import org.partneraccess.inventory.IdentityRegistry;
import org.partneraccess.partnership.internal.PartnershipRepository;
import org.partneraccess.policy.PolicyDecision;
import org.partneraccess.policy.PolicyInput;
import org.partneraccess.policy.ShownFacts;
import org.partneraccess.security.StaffDirectory;
import org.partneraccess.security.StaffGroups;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The partnership registry: request, decision and activation, each with its audit evidence. */
@Service
public class PartnershipService {

    /** The audit action and decision-record step of the access policy's decision on a request. */
    static final String POLICY_DECIDED = PolicyAction.POLICY_DECIDED.name();

    private final PartnershipRepository partnerships;
    private final Partnerships reads;
    private final IdentityRegistry identities;
    private final StaffDirectory staff;
    private final Validator validator;
    private final AuditLog audit;
    private final PartnershipPolicy policy;
    private final Decisions decisions;
    private final ApplicationEventPublisher events;

    /** A partnership is approved by its sponsor, and by a security officer when the policy says so. */
    public static final Decisions.ApprovalSteps APPROVALS = Decisions.ApprovalSteps.sponsorThenSecurityOfficer(POLICY_DECIDED);
    /** The decision-record steps of a scope change: what was asked, and the policy's decision on it. */
    public static final String SCOPE_CHANGE_REQUESTED = "SCOPE_CHANGE_REQUESTED";
    static final String SCOPE_CHANGE_POLICY_DECIDED = PolicyAction.SCOPE_CHANGE_POLICY_DECIDED.name();
    public static final Decisions.ApprovalSteps SCOPE_CHANGE_APPROVALS = new Decisions.ApprovalSteps(SCOPE_CHANGE_POLICY_DECIDED,
            ProcessIds.TASK_APPROVE_SCOPE_CHANGE_AS_SPONSOR, PartnershipVariables.SCOPE_CHANGE_APPROVED,
            PartnershipVariables.SCOPE_CHANGE_COMMENT,
            ProcessIds.TASK_APPROVE_SCOPE_CHANGE_AS_SECURITY_OFFICER, PartnershipVariables.SCOPE_CHANGE_SECURITY_OFFICER_APPROVED,
            PartnershipVariables.SCOPE_CHANGE_COMMENT, false);

    private final IdentityStates states;

    PartnershipService(PartnershipRepository partnerships, Partnerships reads, IdentityRegistry identities,
                       StaffDirectory staff, Validator validator, AuditLog audit, PartnershipPolicy policy,
                       Decisions decisions, ApplicationEventPublisher events, IdentityStates states) {
        this.states = states;
        this.partnerships = partnerships;
        this.reads = reads;
        this.identities = identities;
        this.staff = staff;
        this.validator = validator;
        this.audit = audit;
        this.policy = policy;
        this.decisions = decisions;
        this.events = events;
    }

    /** Registers a valid request as REQUESTED, with the partner contact as its first identity; returns that identity's id. */
    @Transactional
    public String register(PartnershipRequest request, String requester) {
        validate(request, requester);
        Partnership partnership = partnerships.save(new Partnership(request.partnershipKey(), request.legalName(),
                request.sponsor(), request.businessOwner(), request.technicalOwner(), request.purpose(),
                request.dataClasses(), request.environments(), request.clientScopes(), request.endDate(), requester));
        String contactEmail = request.contactEmail().toLowerCase();
        PartnerIdentity contact = identities.add(new PartnerIdentity(UUID.randomUUID().toString(), partnership.getKey(),
                IdentityKind.HUMAN, request.contactFirstName() + " " + request.contactLastName(), contactEmail,
                contactEmail, request.sponsor(), "Primary contact of " + request.legalName(), null, Set.of(),
                Partnership.endOfDay(request.endDate()), requester));
        audit.record(requester, PartnershipAction.PARTNERSHIP_REQUESTED, partnership.getKey(), null,
                "sponsor=" + request.sponsor() + "; endDate=" + request.endDate() + "; scopes=" + request.clientScopes());
        events.publishEvent(new RequestRecorded(partnership.getKey(), requester));
        return contact.getId();
    }

    /** Applies the access policy to a registered request and records the decision with its inputs. */
    @Transactional
    public PolicyDecision decidePolicy(String partnershipKey) {
        Partnership partnership = get(partnershipKey);
        PolicyDecision decision = decideAndRecord(partnershipKey, PolicyAction.POLICY_DECIDED, partnership.getClientScopes(),
                partnership.getDataClasses(), partnership.getEnvironments());
        partnership.setRiskTier(decision.riskTier());
        return decision;
    }

    /**
     * What the partnership's approval and review forms show: what it grants, who answers for it, and its partner
     * contact (the identity registered with the request).
     */
    @Transactional(readOnly = true)
    public ShownFacts shown(String partnershipKey, String contactIdentityId) {
        Partnership partnership = get(partnershipKey);
        ShownFacts facts = ShownFacts.of().scopes(partnership.getClientScopes())
                .dataClasses(partnership.getDataClasses()).environments(partnership.getEnvironments())
                .owners("sponsor", partnership.getSponsor(), "business owner", partnership.getBusinessOwner(),
                        "technical owner", partnership.getTechnicalOwner());
        identities.find(contactIdentityId == null ? "" : contactIdentityId)
                .filter(contact -> partnershipKey.equals(contact.getPartnershipKey()))
                .ifPresent(contact -> facts.contact(contact.getDisplayName(), contact.getEmail()));
        return facts;
    }

    @Transactional
    public void moveTo(String partnershipKey, LifecycleState state, String reason, String actor) {
        get(partnershipKey).moveTo(state, reason);
        audit.record(actor, movedTo(state), partnershipKey, null, reason);
    }

    /** The audit action of a move to the state: {@code PARTNERSHIP_} and the state's name. */
    private static PartnershipAction movedTo(LifecycleState state) {
        return switch (state) {
            case REQUESTED -> PartnershipAction.PARTNERSHIP_REQUESTED;
            case APPROVED -> PartnershipAction.PARTNERSHIP_APPROVED;
            case ACTIVE -> PartnershipAction.PARTNERSHIP_ACTIVE;
            case UNDER_REVIEW -> PartnershipAction.PARTNERSHIP_UNDER_REVIEW;
            case SUSPENDED -> PartnershipAction.PARTNERSHIP_SUSPENDED;
            case REVOKED -> PartnershipAction.PARTNERSHIP_REVOKED;
            case REJECTED -> PartnershipAction.PARTNERSHIP_REJECTED;
        };
    }

    @Transactional
    public void markUnderReview(String partnershipKey, String reason) {
        Partnership partnership = get(partnershipKey);
        partnership.moveTo(LifecycleState.UNDER_REVIEW, reason);
        audit.record("system", PartnershipAction.PARTNERSHIP_UNDER_REVIEW, partnershipKey, null, reason);
    }

    /**
     * A sponsor's recertification: the partnership stays, possibly with fewer scopes, and is active again. The next
     * review is one interval of the policy's cadence away (the decision record's, not a process variable's), for the
     * partnership and its contact, who is reviewed with it.
     */
    @Transactional
    public void recordRecertification(String partnershipKey, String reviewer, String decision, String comment) {
        Partnership partnership = get(partnershipKey);
        partnership.moveTo(LifecycleState.ACTIVE, null);
        Instant nextReviewAt = restartReviewInterval(partnershipKey, Instant.now());
        audit.record(reviewer, PartnershipAction.PARTNERSHIP_RECERTIFIED, partnershipKey, null,
                "decision=" + decision + "; comment=" + comment + "; nextReview=" + nextReviewAt);
    }

    /**
     * The partnership's review interval starts again at {@code from}, as its process starts one after a recertification
     * or a resumption: the registry's review date (which the expiry sweep reckons the deadline from) is one interval of
     * the policy's cadence away, for the partnership and for its contact, reviewed with it (people with a policy
     * decision of their own keep theirs).
     *
     * @return the new review date; null when the policy set no cadence
     */
    @Transactional
    public Instant restartReviewInterval(String partnershipKey, Instant from) {
        Partnership partnership = get(partnershipKey);
        Instant nextReview = decisions.nextReview(partnershipKey, POLICY_DECIDED, from).orElse(null);
        partnership.setNextReviewAt(nextReview);
        identities.of(partnershipKey, java.util.EnumSet.of(LifecycleState.ACTIVE, LifecycleState.UNDER_REVIEW)).stream()
                .filter(identity -> identity.getKind() == IdentityKind.HUMAN)
                .filter(identity -> !decisions.recorded(identity.getId(), POLICY_DECIDED))
                .forEach(contact -> contact.setNextReviewAt(nextReview));
        return nextReview;
    }

    /** Narrows the partnership to the scopes kept at a review; scopes never widen this way. */
    @Transactional
    public Set<String> reduceScopes(String partnershipKey, Set<String> keptScopes, String reviewer) {
        Partnership partnership = get(partnershipKey);
        Set<String> kept = new java.util.TreeSet<>(partnership.getClientScopes());
        kept.retainAll(keptScopes);
        Set<String> removed = new java.util.TreeSet<>(partnership.getClientScopes());
        removed.removeAll(kept);
        partnership.setClientScopes(kept);
        audit.record(reviewer, PartnershipAction.PARTNERSHIP_SCOPES_REDUCED, partnershipKey, null, "removed=" + removed + "; kept=" + kept);
        return removed;
    }

    /** Throws {@link InvalidRequestException} unless the change names something new and known; changes nothing. */
    @Transactional
    public void checkScopeChange(String partnershipKey, ScopeChangeRequest request) {
        Partnership partnership = get(partnershipKey);
        Map<String, String> errors = InvalidRequestException.violations(validator, request);
        checkScopesExist(errors, request.clientScopes(), policy.permissionScopes());
        if (errors.isEmpty() && partnership.getClientScopes().containsAll(request.clientScopes())
                && partnership.getDataClasses().containsAll(request.dataClasses())
                && partnership.getEnvironments().containsAll(request.environments())) {
            errors.put("clientScopes", "the change adds nothing the partnership does not have already");
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
    }

    /**
     * Records a checked scope change as asked by {@code requester}: the full sets after the change, which the review
     * shows and the grant applies from the decision record, not from the process. Returns them.
     */
    @Transactional
    public Map<String, Object> recordScopeChange(String partnershipKey, ScopeChangeRequest request, String requester) {
        Partnership current = get(partnershipKey);
        Map<String, Object> requested = new java.util.LinkedHashMap<>();
        requested.put(PartnershipVariables.REQUESTED_SCOPES, joined(current.getClientScopes(), request.clientScopes()));
        requested.put(PartnershipVariables.REQUESTED_DATA_CLASSES, joined(current.getDataClasses(), request.dataClasses()));
        requested.put(PartnershipVariables.REQUESTED_ENVIRONMENTS, joined(current.getEnvironments(), request.environments()));
        requested.put(PartnershipVariables.SCOPE_CHANGE_REASON, request.reason());
        decisions.recordRequest(partnershipKey, SCOPE_CHANGE_REQUESTED, requester, requested);
        return requested;
    }

    /** The policy for the partnership as it would be after the recorded change. */
    @Transactional
    public PolicyDecision decideScopeChangePolicy(String partnershipKey) {
        Map<String, Object> requested = decisions.latest(partnershipKey, SCOPE_CHANGE_REQUESTED)
                .orElseThrow(() -> new IllegalStateException("No scope change of " + partnershipKey + " is on record"));
        return decideAndRecord(partnershipKey, PolicyAction.SCOPE_CHANGE_POLICY_DECIDED,
                names(requested, PartnershipVariables.REQUESTED_SCOPES),
                names(requested, PartnershipVariables.REQUESTED_DATA_CLASSES),
                names(requested, PartnershipVariables.REQUESTED_ENVIRONMENTS));
    }

    private static String joined(Set<String> current, Set<String> added) {
        Set<String> all = new java.util.TreeSet<>(current);
        all.addAll(added);
        return StringSetConverter.join(all);
    }

    private static Set<String> names(Map<String, Object> fields, String name) {
        Object value = fields.get(name);
        return StringSetConverter.split(value == null ? null : value.toString());
    }

    /** The decision is evidence: it is recorded with the inputs it was taken on. */
    private PolicyDecision decideAndRecord(String partnershipKey, PolicyAction action, Set<String> scopes,
                                           Set<String> dataClasses, Set<String> environments) {
        PolicyInput input = policy.inputFor(dataClasses, environments, scopes);
        PolicyDecision decision = policy.decide(input);
        audit.record("policy", action, partnershipKey, null,
                "input=" + input.toVariables() + "; decision=" + decision.toVariables());
        decisions.recordPolicy(partnershipKey, action.name(), input.toVariables(), decision);
        return decision;
    }

    /**
     * Widens the partnership by the latest recorded scope change, on the decision record's word alone: the policy's
     * decision on that change, the sponsor's approval after it, and the security officer's if the policy required one.
     */
    @Transactional
    public void applyScopeChange(String partnershipKey) {
        Partnership partnership = get(partnershipKey);
        Map<String, Object> requested = decisions.request(partnershipKey, SCOPE_CHANGE_REQUESTED, SCOPE_CHANGE_POLICY_DECIDED);
        String approvers = decisions.approvers(partnershipKey, SCOPE_CHANGE_APPROVALS, java.util.List.of(partnership.getSponsor()),
                (String) requested.get(Decisions.DECIDED_BY));
        partnership.widen(names(requested, PartnershipVariables.REQUESTED_SCOPES),
                names(requested, PartnershipVariables.REQUESTED_DATA_CLASSES),
                names(requested, PartnershipVariables.REQUESTED_ENVIRONMENTS));
        partnership.setRiskTier(policy.decide(policy.inputFor(partnership.getDataClasses(),
                partnership.getEnvironments(), partnership.getClientScopes())).riskTier());
        audit.record(approvers, PartnershipAction.SCOPE_CHANGE_APPLIED, partnershipKey, null, "scopes=" + partnership.getClientScopes()
                + "; dataClasses=" + partnership.getDataClasses() + "; environments=" + partnership.getEnvironments());
    }

    /** Records the rejection of the latest scope change that the decision record holds for this instance. */
    @Transactional
    public void rejectScopeChange(String partnershipKey, String processInstanceId) {
        Partnership partnership = get(partnershipKey);
        Map<String, Object> requested = decisions.request(partnershipKey, SCOPE_CHANGE_REQUESTED, SCOPE_CHANGE_POLICY_DECIDED);
        Decisions.Rejection rejection = decisions.rejection(partnershipKey, processInstanceId, SCOPE_CHANGE_APPROVALS,
                java.util.List.of(partnership.getSponsor()), (String) requested.get(Decisions.DECIDED_BY));
        audit.record(rejection.decidedBy(), PartnershipAction.SCOPE_CHANGE_REJECTED, partnershipKey, null, rejection.reason());
    }

    /** Approves on the decision record's word alone: the sponsor's approval, and the security officer's if required. */
    @Transactional
    public void approve(String partnershipKey) {
        Partnership partnership = get(partnershipKey);
        String approver = decisions.approvers(partnershipKey, APPROVALS, java.util.List.of(partnership.getSponsor()),
                partnership.getRequestedBy());
        partnership.approve(approver, Instant.now());
        identities.of(partnershipKey)
                .forEach(identity -> states.approve(identity.getId(), approver, Instant.now()));
        audit.record(approver, PartnershipAction.PARTNERSHIP_APPROVED, partnershipKey, null, null);
    }

    /** Rejects on the decision record's word alone: the sponsor's or security officer's rejection, with its reason. */
    @Transactional
    public void reject(String partnershipKey, String processInstanceId) {
        Partnership partnership = get(partnershipKey);
        partnership.requireState("rejection", LifecycleState.rejectable());
        Decisions.Rejection rejection = decisions.rejection(partnershipKey, processInstanceId, APPROVALS,
                java.util.List.of(partnership.getSponsor()), partnership.getRequestedBy());
        partnership.moveTo(LifecycleState.REJECTED, rejection.reason());
        identities.of(partnershipKey)
                .forEach(identity -> states.require(identity.getId(), LifecycleState.REJECTED, rejection.reason(),
                        "rejection"));
        audit.record(rejection.decidedBy(), PartnershipAction.PARTNERSHIP_REJECTED, partnershipKey, null, rejection.reason());
    }

    /**
     * Active, with its first review date from the policy's cadence (the same date the recertification timer takes);
     * its contact, reviewed with it, gets the same date.
     */
    @Transactional
    public void activate(String partnershipKey) {
        Partnership partnership = get(partnershipKey);
        partnership.moveTo(LifecycleState.ACTIVE, null);
        Instant nextReview = decisions.nextReview(partnershipKey, POLICY_DECIDED, Instant.now()).orElse(null);
        partnership.setNextReviewAt(nextReview);
        identities.of(partnershipKey).stream()
                .filter(identity -> identity.getState() == LifecycleState.ACTIVE && identity.getNextReviewAt() == null)
                .forEach(identity -> identity.setNextReviewAt(nextReview));
        audit.record("system", PartnershipAction.PARTNERSHIP_ACTIVATED, partnershipKey, null, null);
    }

    /** The partnership a request names; empty when it names none or one that does not exist. */
    public java.util.Optional<Partnership> find(String partnershipKey) {
        return reads.find(partnershipKey);
    }

    /** The partnerships people and machines may be requested for now, by key. */
    @Transactional(readOnly = true)
    public java.util.List<Partnership> active() {
        return partnerships.findByStateOrderByKey(LifecycleState.ACTIVE);
    }

    /** What a request that names no existing partnership is told, field by field. */
    public static String missing(String partnershipKey) {
        return partnershipKey == null || partnershipKey.isBlank() ? "required" : "no such partnership";
    }

    @Transactional(readOnly = true)
    public Partnership get(String partnershipKey) {
        return partnerships.findById(partnershipKey)
                .orElseThrow(() -> new PartnershipNotFoundException(partnershipKey));
    }

    /** The partnership as the API shows it, with when any of its identities was last used. */
    @Transactional(readOnly = true)
    public PartnershipController.PartnershipView view(String partnershipKey) {
        return PartnershipController.PartnershipView.of(get(partnershipKey),
                identities.lastUsedIn(partnershipKey),
                audit.latest(partnershipKey, PartnershipAction.INCIDENT_VERIFIED).map(event ->
                        new PartnershipController.IncidentVerification(event.getOccurredAt(), event.getDetail())).orElse(null));
    }

    /**
     * Throws {@link InvalidRequestException} naming every invalid field; changes nothing in the registry. Outside a
     * transaction: its staff lookups ask Keycloak, and a database connection held meanwhile would be one fewer for
     * every other request (each read takes its own; the policy's evaluation is written to the decision history by the
     * engine's own command).
     */
    public void checkRequest(PartnershipRequest request, String requester) {
        validate(request, requester);
    }

    private void validate(PartnershipRequest request, String requester) {
        Map<String, String> errors = InvalidRequestException.violations(validator, request);
        if (Drills.isDrill(request.partnershipKey())) {
            errors.putIfAbsent("partnershipKey", "keys starting with " + Drills.KEY_PREFIX
                    + " are reserved for the revocation drill");
        }
        if (request.partnershipKey() != null && partnerships.existsById(request.partnershipKey())) {
            errors.putIfAbsent("partnershipKey", "a partnership with this key exists already");
        }
        if (request.sponsor() != null && !errors.containsKey("sponsor")) {
            if (request.sponsor().equals(requester)) {
                errors.put("sponsor", "the sponsor must be someone other than the requester");
            } else if (!staff.exists(request.sponsor()) || !staff.isMember(request.sponsor(), StaffGroups.SPONSORS)) {
                errors.put("sponsor", "not a known staff user in the sponsors group");
            }
        }
        checkStaffUser(errors, "businessOwner", request.businessOwner());
        checkStaffUser(errors, "technicalOwner", request.technicalOwner());
        Map<String, String> permissionScopes = policy.permissionScopes();
        checkScopesExist(errors, request.clientScopes(), permissionScopes);
        if (errors.isEmpty()) {
            PolicyDecision decision = policy.decide(policy.inputFor(request.dataClasses(), request.environments(),
                    request.clientScopes(), permissionScopes));
            decision.endDateBeyondMaximum(request.endDate()).ifPresent(problem -> errors.put("endDate", problem));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
    }

    private static void checkScopesExist(Map<String, String> errors, Set<String> scopes,
                                         Map<String, String> permissionScopes) {
        if (scopes == null || errors.containsKey("clientScopes")) {
            return;
        }
        Set<String> unknown = PartnershipPolicy.unknownScopes(scopes, permissionScopes);
        if (!unknown.isEmpty()) {
            errors.put("clientScopes", "not a client scope of the partner realm: " + String.join(", ", unknown));
        }
    }

    private void checkStaffUser(Map<String, String> errors, String field, String userId) {
        if (userId != null && !errors.containsKey(field) && !staff.exists(userId)) {
            errors.put(field, "not a known staff user");
        }
    }
}
