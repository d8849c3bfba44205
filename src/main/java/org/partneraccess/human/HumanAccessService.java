package org.partneraccess.human;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import jakarta.validation.Validator;
import org.partneraccess.InvalidRequestException;
import org.partneraccess.LifecycleState;
import org.partneraccess.ProcessIds;
import org.partneraccess.RegistryRecord;
import org.partneraccess.Variables;
import org.partneraccess.audit.AuditLog;
import org.partneraccess.audit.IdentityAction;
import org.partneraccess.audit.PolicyAction;
import org.partneraccess.decision.Decisions;
import org.partneraccess.decision.RequestRecorded;
import org.partneraccess.inventory.IdentityAccess;
import org.partneraccess.inventory.IdentityKind;
import org.partneraccess.inventory.IdentityLifecycle;
import org.partneraccess.inventory.IdentityNotFoundException;
import org.partneraccess.inventory.IdentityRegistry;
import org.partneraccess.inventory.IdentityStates;
import org.partneraccess.inventory.PartnerIdentity;
import org.partneraccess.keycloak.PartnerRealm;
import org.partneraccess.keycloak.PartnerUsers;
import org.partneraccess.partnership.Partnership;
import org.partneraccess.partnership.PartnershipService;
import org.partneraccess.policy.AccessPolicy;
import org.partneraccess.policy.PolicyDecision;
import org.partneraccess.policy.PolicyInput;
import org.partneraccess.policy.ShownFacts;
import org.partneraccess.policy.SubjectKind;
import org.partneraccess.security.StaffDirectory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Partner people: request, decision, provisioning in the partner realm, review, elevation and revocation, each with
 * its audit evidence. Keycloak calls are idempotent, so a failed job is simply run again by the engine.
 */
@Service
public class HumanAccessService implements IdentityLifecycle {

    static final String END_DATE_REACHED = "access end date reached";
    /** Why a person whose recertification was missed loses access: the model's message of the missed deadline. */
    public static final String RECERTIFICATION_MISSED = "not recertified by the deadline";
    private static final EnumSet<LifecycleState> PARTNERSHIP_HOLDS_ACCESS =
            EnumSet.of(LifecycleState.ACTIVE, LifecycleState.UNDER_REVIEW);
    /** The states in which a person's review clock runs: holding access, between reviews or under one. */
    public static final Set<LifecycleState> REVIEWED = java.util.Collections.unmodifiableSet(
            EnumSet.of(LifecycleState.ACTIVE, LifecycleState.UNDER_REVIEW));

    private final IdentityRegistry identities;
    private final PartnershipService partnerships;
    private final AccessPolicy policy;
    private final PartnerUsers partnerUsers;
    private final PartnerRealm partnerRealm;
    private final Validator validator;
    private final AuditLog audit;
    private final HumanAccessProperties properties;
    private final Decisions decisions;
    private final StaffDirectory staff;
    private final ApplicationEventPublisher events;
    private final IdentityStates states;
    private final HumanIdentityAccess access;
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(HumanAccessService.class);

    /**
     * The audit action and decision-record step of the access policy's decision on a person. A person with one has a
     * review of their own; a partnership's contact has none and is reviewed with the partnership.
     */
    public static final String POLICY_DECIDED = PolicyAction.POLICY_DECIDED.name();
    static final String ELEVATION_POLICY_DECIDED = PolicyAction.ELEVATION_POLICY_DECIDED.name();
    /** A person is approved by their sponsor, and by a security officer when the policy says so. */
    public static final Decisions.ApprovalSteps APPROVALS = Decisions.ApprovalSteps.sponsorThenSecurityOfficer(POLICY_DECIDED);
    /** The decision-record steps of an elevation: what was asked and by whom, and what was granted until when. */
    public static final String ELEVATION_REQUESTED = "ELEVATION_REQUESTED";
    static final String ELEVATION_GRANTED = "ELEVATION_GRANTED";
    /** An elevation is approved by the person's sponsor, or by a security officer where the policy says so. */
    public static final Decisions.ApprovalSteps ELEVATION_APPROVALS = Decisions.ApprovalSteps.oneTask(ELEVATION_POLICY_DECIDED,
            ProcessIds.TASK_APPROVE_ELEVATION, Variables.ELEVATION_APPROVED, Variables.ELEVATION_COMMENT);

    HumanAccessService(IdentityRegistry identities, PartnershipService partnerships, AccessPolicy policy,
                       PartnerUsers partnerUsers, PartnerRealm partnerRealm, Validator validator, AuditLog audit,
                       HumanAccessProperties properties,
                       Decisions decisions, StaffDirectory staff, ApplicationEventPublisher events,
                       IdentityStates states, HumanIdentityAccess access) {
        this.access = access;
        this.identities = identities;
        this.partnerships = partnerships;
        this.policy = policy;
        this.partnerUsers = partnerUsers;
        this.partnerRealm = partnerRealm;
        this.validator = validator;
        this.audit = audit;
        this.properties = properties;
        this.decisions = decisions;
        this.staff = staff;
        this.events = events;
        this.states = states;
    }

    /**
     * Throws {@link InvalidRequestException} naming every invalid field; changes nothing. Outside a transaction, as a
     * machine registration's check: the partner realm's permission scopes may be read from Keycloak meanwhile (each
     * read takes its own; the policy's evaluation is written to the decision history by the engine's own command).
     */
    public void check(String partnershipKey, HumanAccessRequest request) {
        partnerships.get(partnershipKey); // the API's path names it: 404 when unknown
        validate(partnershipKey, request);
    }

    /** Registers a valid request as REQUESTED; returns the new identity's id. */
    @Transactional
    public String register(String partnershipKey, HumanAccessRequest request, String requester) {
        Partnership partnership = validate(partnershipKey, request);
        String email = request.email().trim().toLowerCase();
        PartnerIdentity identity = identities.add(new PartnerIdentity(UUID.randomUUID().toString(), partnershipKey,
                IdentityKind.HUMAN, request.firstName().trim() + " " + request.lastName().trim(), email, email,
                partnership.getSponsor(), request.purpose(), null, request.roles(), PartnerIdentity.endOfDay(request.endDate()),
                requester));
        audit.record(requester, IdentityAction.ACCESS_REQUESTED, partnershipKey, identity.getId(),
                "person=" + email + "; roles=" + new TreeSet<>(request.roles()) + "; endDate=" + request.endDate());
        events.publishEvent(new RequestRecorded(identity.getId(), requester));
        return identity.getId();
    }

    /** The policy for this person's roles within the partnership; the decision is recorded with its inputs. */
    @Transactional
    public PolicyDecision decidePolicy(String identityId) {
        PartnerIdentity identity = get(identityId);
        return decideAndRecord(identity, PolicyAction.POLICY_DECIDED, identity.getClientScopes());
    }

    /**
     * What the person's approval and review forms show: the roles, what the partnership they join lets them reach,
     * who answers for them, and that partnership.
     */
    @Transactional(readOnly = true)
    public ShownFacts shown(String identityId) {
        PartnerIdentity identity = get(identityId);
        Partnership partnership = partnerships.get(identity.getPartnershipKey());
        return ShownFacts.of().roles(identity.getClientScopes()).dataClasses(partnership.getDataClasses())
                .environments(partnership.getEnvironments())
                .owners("sponsor", identity.getOwner(), "requested by", identity.getRequestedBy())
                .partnership(partnership.getLegalName(), partnership.getKey(), partnership.getRiskTier());
    }

    /** Approves on the decision record's word alone: the sponsor's approval, and the security officer's if required. */
    @Transactional
    public void approve(String identityId) {
        PartnerIdentity identity = get(identityId);
        String approvers = decisions.approvers(identityId, APPROVALS, sponsorsOf(identity), identity.getRequestedBy());
        states.approve(identityId, approvers, Instant.now());
        audit.record(approvers, IdentityAction.ACCESS_APPROVED, identity.getPartnershipKey(), identityId, null);
    }

    /** Rejects on the decision record's word alone: the sponsor's or security officer's rejection, with its reason. */
    @Transactional
    public void reject(String identityId, String processInstanceId) {
        PartnerIdentity identity = get(identityId);
        identity.requireState("rejection", LifecycleState.rejectable());
        Decisions.Rejection rejection = decisions.rejection(identityId, processInstanceId, APPROVALS,
                sponsorsOf(identity), identity.getRequestedBy());
        states.require(identityId, LifecycleState.REJECTED, rejection.reason(), "rejection");
        audit.record(rejection.decidedBy(), IdentityAction.ACCESS_REJECTED, identity.getPartnershipKey(), identityId,
                rejection.reason());
    }

    /** Whether the person's partnership still grants access: a suspended or ended one must not gain people. */
    @Transactional(readOnly = true)
    public boolean partnershipHoldsAccess(String identityId) {
        return PARTNERSHIP_HOLDS_ACCESS.contains(partnerships.get(get(identityId).getPartnershipKey()).getState());
    }

    /**
     * Creates the person in the partner realm, in the partnership's group, with exactly the approved roles and the
     * onboarding required actions (the terms first), and marks the registry row active.
     */
    @Transactional
    public void provision(String identityId) {
        PartnerIdentity identity = get(identityId);
        // approved, or active already when a retry repeats the idempotent calls
        identity.requireState("provisioning", EnumSet.of(LifecycleState.APPROVED, LifecycleState.ACTIVE));
        String[] names = identity.getDisplayName().split(" ", 2);
        String userId = partnerUsers.ensureUser(new PartnerUsers.PartnerUser(identity.getKeycloakName(),
                identity.getEmail(), names[0], names.length > 1 ? names[1] : "", identity.getPartnershipKey(),
                identity.getId(), invitation(identity)));
        partnerUsers.addUserToGroup(userId, partnerUsers.ensurePartnershipGroup(identity.getPartnershipKey()));
        matchRoles(userId, identity.getClientScopes());
        boolean approved = identity.getState() == LifecycleState.APPROVED;
        try {
            // the registry step holds the row: an incident cut-off that got there first leaves this user disabled
            states.activate(identityId, userId);
        } catch (RegistryRecord.IllegalTransitionException revokedMeanwhile) {
            access.revoke(new IdentityAccess.Target(identityId, userId, identity.getKeycloakName()),
                    IdentityAccess.Exposure.NONE);
            throw revokedMeanwhile;
        }
        if (approved) {
            // a partnership's contact has no policy decision of its own: it is reviewed with the partnership
            decisions.nextReview(identityId, POLICY_DECIDED, Instant.now()).ifPresent(identity::setNextReviewAt);
            audit.record("system", IdentityAction.IDENTITY_PROVISIONED, identity.getPartnershipKey(), identityId,
                    "keycloak user " + identity.getKeycloakName() + "; roles=" + identity.getClientScopes());
        }
    }

    /** What the invitation mail names: the sponsor, the partner organisation, the purpose and the last day. */
    private PartnerUsers.Invitation invitation(PartnerIdentity identity) {
        Partnership partnership = partnerships.get(identity.getPartnershipKey());
        String sponsor = partnership.getSponsor();
        return new PartnerUsers.Invitation(staff.displayName(sponsor)
                + staff.email(sponsor).map(mail -> " (" + mail + ")")
                .orElse(""), partnership.getLegalName(), identity.getPurpose(), RegistryRecord.lastDay(identity.getEndDate()));
    }

    /**
     * Keycloak mails the person the link to accept the partner terms and set a password; a person whose access ended
     * meanwhile (an incident while the invitation waited) is not invited.
     */
    public void invite(String identityId) {
        PartnerIdentity identity = get(identityId);
        if (identity.getState() != LifecycleState.ACTIVE) {
            log.info("Identity {} is {}: no invitation", identityId, identity.getState());
            return;
        }
        partnerUsers.sendInvitation(identity.getKeycloakId(), properties.invitationValidity());
        audit.record("system", IdentityAction.INVITATION_SENT, identity.getPartnershipKey(), identityId,
                "valid for " + properties.invitationValidity());
    }

    @Transactional
    public void markUnderReview(String identityId) {
        PartnerIdentity identity = get(identityId);
        states.require(identityId, LifecycleState.UNDER_REVIEW, "periodic recertification", "review");
        audit.record("system", IdentityAction.IDENTITY_UNDER_REVIEW, identity.getPartnershipKey(), identityId, null);
    }

    /**
     * The sponsor keeps the person, possibly with fewer roles; roles never widen this way. The next review is one
     * interval of the policy's cadence away, from the decision record (not a process variable, which an administrator
     * may write), so the registry's review date, which the expiry sweep reads, follows the policy.
     */
    @Transactional
    public void recertify(String identityId, String reviewer, Set<String> keptRoles, String comment) {
        PartnerIdentity identity = get(identityId);
        // the registry step first, holding the row: a person suspended or revoked meanwhile is not recertified
        states.require(identityId, LifecycleState.ACTIVE, null, "recertification", HumanAccessService.REVIEWED);
        Instant nextReviewAt = decisions.nextReview(identityId, POLICY_DECIDED, Instant.now()).orElse(null);
        Set<String> kept = new TreeSet<>(identity.getClientScopes());
        if (keptRoles != null) {
            kept.retainAll(keptRoles);
        }
        Set<String> removed = new TreeSet<>(identity.getClientScopes());
        removed.removeAll(kept);
        partnerUsers.revokeRoles(identity.getKeycloakId(), removed);
        identity.narrowScopes(kept);
        identity.setNextReviewAt(nextReviewAt);
        audit.record(reviewer, IdentityAction.IDENTITY_RECERTIFIED, identity.getPartnershipKey(), identityId,
                "kept=" + kept + "; removed=" + removed + "; comment=" + comment + "; nextReview=" + nextReviewAt);
    }

    /**
     * Ends the access of a person whose end date has passed, from the registry alone: the process's own end-date timer
     * does the same, and whatever happened to the process (a moved timer, a deleted instance) this still holds.
     */
    @Override
    @Transactional
    public void expire(String identityId) {
        revoke(identityId, END_DATE_REACHED, "system");
    }

    @Override
    public IdentityKind kind() {
        return IdentityKind.HUMAN;
    }

    @Override
    public String processDefinitionKey() {
        return ProcessIds.HUMAN_ACCESS_PROCESS;
    }

    /** No: the person's process revokes by its own end-date timer, due at the same time. */
    @Override
    public boolean processFollowsEndDateSweep() {
        return false;
    }

    /** The partnership's sponsor and owners, who answer for its people. */
    @Override
    public List<String> answerableFor(PartnerIdentity identity, List<String> partnershipOwners) {
        return partnershipOwners;
    }

    /**
     * Ends the access of a person whose review fell due at or before {@code dueBy} and who was not recertified since
     * (a recertification moves the next review forward), from the registry alone: the process's own deadline does the
     * same, and whatever happened to the process (a postponed review or deadline timer, a deleted instance) this still
     * holds. A person whose row says otherwise by now (recertified meanwhile, suspended, ended) is left as they are.
     *
     * @return whether the person's access ended now
     */
    @Transactional
    public boolean revokeUnrecertified(String identityId, Instant dueBy) {
        PartnerIdentity identity = get(identityId);
        Instant due = identity.getNextReviewAt();
        if (!REVIEWED.contains(identity.getState()) || due == null || due.isAfter(dueBy)) {
            return false;
        }
        revoke(identityId, RECERTIFICATION_MISSED, "system");
        return true;
    }

    /**
     * After the partnership's resumption the person's process opens a whole review interval again; the registry keeps
     * that date, so the review's deadline is reckoned from it. A partnership's contact, reviewed with the partnership,
     * keeps the partnership's date.
     */
    @Override
    @Transactional
    public void resumed(String identityId, Instant from) {
        PartnerIdentity identity = get(identityId);
        decisions.nextReview(identityId, POLICY_DECIDED, from).ifPresent(identity::setNextReviewAt);
    }

    /**
     * Ends the person's access: disabled, sessions ended, every role removed, registry REVOKED. Safe to repeat, and
     * safe after the partnership's own revocation already did part of it.
     */
    @Transactional
    public void revoke(String identityId, String reason, String actor) {
        PartnerIdentity identity = get(identityId);
        access.revokeUnlessRevoked(identity, IdentityAccess.Exposure.NONE);
        if (states.revoke(identityId, reason, Instant.now()) == IdentityStates.Step.MOVED) {
            audit.record(actor, IdentityAction.IDENTITY_REVOKED, identity.getPartnershipKey(), identityId, reason);
        }
    }

    /** Throws {@link InvalidRequestException} unless the person is active and the role is one of the partnership's. */
    @Transactional(readOnly = true)
    public void checkElevation(String identityId, ElevationRequest request) {
        PartnerIdentity identity = identities.find(identityId).orElseThrow(() -> new IdentityNotFoundException(identityId));
        Map<String, String> errors = InvalidRequestException.violations(validator, request);
        if (identity.getKind() != IdentityKind.HUMAN || identity.getState() != LifecycleState.ACTIVE) {
            errors.put("identityId", "only an active partner person can be given an extra role");
        }
        if (request.role() != null && !errors.containsKey("role")) {
            if (identity.getClientScopes().contains(request.role())) {
                errors.put("role", "the person holds this role already");
            } else if (!partnerships.get(identity.getPartnershipKey()).getClientScopes().contains(request.role())) {
                errors.put("role", "not a role within the partnership's approved scopes");
            }
        }
        if (request.hours() != null && !errors.containsKey("hours")
                && Duration.ofHours(request.hours()).compareTo(properties.maxElevation()) > 0) {
            errors.put("hours", "at most " + properties.maxElevation().toHours() + " hours");
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
    }

    /**
     * Records a checked elevation request (role, hours, reason, who asked) in the decision record: the policy decides
     * on it and the grant applies exactly it, whatever the instance's variables say.
     */
    @Transactional
    public void recordElevationRequest(String identityId, ElevationRequest request, String requester) {
        decisions.recordRequest(identityId, ELEVATION_REQUESTED, requester, Map.of(
                HumanAccessVariables.ELEVATION_ROLE, request.role(), HumanAccessVariables.ELEVATION_HOURS, request.hours(),
                Variables.ELEVATION_REASON, request.reason()));
    }

    /** The policy for the person's roles with the recorded request's extra one. */
    @Transactional
    public PolicyDecision decideElevationPolicy(String identityId) {
        PartnerIdentity identity = get(identityId);
        Set<String> roles = new TreeSet<>(identity.getClientScopes());
        roles.add(requestedRole(decisions.latest(identityId, ELEVATION_REQUESTED)
                .orElseThrow(() -> new IllegalStateException("No elevation of " + identityId + " is on record"))));
        return decideAndRecord(identity, PolicyAction.ELEVATION_POLICY_DECIDED, roles);
    }

    /**
     * Grants the recorded request's role for its hours, once, when the decision record holds its approval: by a
     * security officer where the policy requires one, else by the person's sponsor; never by whoever asked for it.
     *
     * @return until when the role is held
     */
    @Transactional
    public Instant grantElevation(String identityId) {
        PartnerIdentity identity = get(identityId);
        Map<String, Object> requested = decisions.request(identityId, ELEVATION_REQUESTED, ELEVATION_POLICY_DECIDED);
        String role = requestedRole(requested);
        String approver = decisions.approver(identityId, ELEVATION_APPROVALS, sponsorsOf(identity),
                (String) requested.get(Decisions.DECIDED_BY));
        Instant until = Instant.now()
                .plus(Duration.ofHours(((Number) requested.get(HumanAccessVariables.ELEVATION_HOURS)).longValue()));
        decisions.recordGrant(identityId, ELEVATION_GRANTED, ELEVATION_POLICY_DECIDED, approver,
                Map.of(HumanAccessVariables.ELEVATION_ROLE, role, HumanAccessVariables.ELEVATION_UNTIL, until.toString()));
        partnerUsers.grantRoles(identity.getKeycloakId(), Set.of(role));
        audit.record(approver, IdentityAction.ELEVATION_GRANTED, identity.getPartnershipKey(), identityId,
                "role=" + role + "; until=" + until + "; reason=" + requested.get(Variables.ELEVATION_REASON));
        return until;
    }

    /** The role the latest recorded elevation grant gave; empty when none was granted. */
    @Transactional(readOnly = true)
    public java.util.Optional<String> grantedElevation(String identityId) {
        return decisions.latest(identityId, ELEVATION_GRANTED).map(HumanAccessService::requestedRole);
    }

    /** Takes the recorded grant's role away again, unless the person has meanwhile been approved for it for good. */
    @Transactional
    public void endElevation(String identityId) {
        PartnerIdentity identity = get(identityId);
        String role = grantedElevation(identityId)
                .orElseThrow(() -> new IllegalStateException("No elevation of " + identityId + " was granted"));
        if (identity.getKeycloakId() != null && !identity.getClientScopes().contains(role)) {
            partnerUsers.revokeRoles(identity.getKeycloakId(), Set.of(role));
        }
        audit.record("system", IdentityAction.ELEVATION_ENDED, identity.getPartnershipKey(), identityId, "role=" + role);
    }

    /** Records the rejection of the recorded elevation request that the decision record holds for this instance. */
    @Transactional
    public void rejectElevation(String identityId, String processInstanceId) {
        PartnerIdentity identity = get(identityId);
        Map<String, Object> requested = decisions.request(identityId, ELEVATION_REQUESTED, ELEVATION_POLICY_DECIDED);
        Decisions.Rejection rejection = decisions.rejection(identityId, processInstanceId, ELEVATION_APPROVALS,
                sponsorsOf(identity), (String) requested.get(Decisions.DECIDED_BY));
        audit.record(rejection.decidedBy(), IdentityAction.ELEVATION_REJECTED, identity.getPartnershipKey(), identityId,
                "role=" + requestedRole(requested) + "; comment=" + rejection.reason());
    }

    private static String requestedRole(Map<String, Object> recorded) {
        return (String) recorded.get(HumanAccessVariables.ELEVATION_ROLE);
    }

    @Transactional(readOnly = true)
    public PartnerIdentity get(String identityId) {
        return identities.find(identityId)
                .orElseThrow(() -> new IllegalStateException("No partner identity " + identityId));
    }

    private void matchRoles(String userId, Set<String> approved) {
        Set<String> held = partnerUsers.partnerRolesOfUser(userId);
        Set<String> extra = new TreeSet<>(held);
        extra.removeAll(approved);
        Set<String> missing = new TreeSet<>(approved);
        missing.removeAll(held);
        partnerUsers.revokeRoles(userId, extra);
        partnerUsers.grantRoles(userId, missing);
    }

    /** Who approves for a person as sponsor: the sponsor recorded on the person, or the partnership's. */
    private java.util.List<String> sponsorsOf(PartnerIdentity identity) {
        return java.util.Arrays.asList(identity.getOwner(), partnerships.get(identity.getPartnershipKey()).getSponsor());
    }

    private PolicyDecision decideAndRecord(PartnerIdentity identity, PolicyAction action, Set<String> roles) {
        Partnership partnership = partnerships.get(identity.getPartnershipKey());
        PolicyInput input = PolicyInput.of(SubjectKind.HUMAN, null, partnership.getDataClasses(),
                partnership.getEnvironments(), roles, partnerRealm.permissionScopes());
        PolicyDecision decision = policy.decide(input);
        audit.record("policy", action, identity.getPartnershipKey(), identity.getId(),
                "input=" + input.toVariables() + "; decision=" + decision.toVariables());
        decisions.recordPolicy(identity.getId(), action.name(), input.toVariables(), decision);
        return decision;
    }

    private Partnership validate(String partnershipKey, HumanAccessRequest request) {
        Map<String, String> errors = InvalidRequestException.violations(validator, request);
        Partnership partnership = partnerships.find(partnershipKey).orElse(null);
        if (partnership == null) {
            errors.put("partnershipKey", PartnershipService.missing(partnershipKey));
            throw new InvalidRequestException(errors);
        }
        if (partnership.getState() != LifecycleState.ACTIVE) {
            errors.put("partnershipKey", "people can be requested for an ACTIVE partnership only; this one is "
                    + partnership.getState());
        }
        if (request.roles() != null && !errors.containsKey("roles")) {
            Set<String> outside = new TreeSet<>(request.roles());
            outside.removeAll(partnership.getClientScopes());
            if (!outside.isEmpty()) {
                errors.put("roles", "not within the partnership's approved scopes: " + String.join(", ", outside));
            }
        }
        if (request.endDate() != null && !errors.containsKey("endDate")
                && request.endDate().isAfter(partnership.getEndDate())) {
            errors.put("endDate", "must not be after the partnership's end date " + partnership.getEndDate());
        }
        if (request.email() != null && !errors.containsKey("email") && identities.notEndedNamed(
                IdentityKind.HUMAN, request.email().trim().toLowerCase())) {
            errors.put("email", "this person already holds or awaits partner access");
        }
        if (errors.isEmpty()) {
            PolicyDecision decision = policy.decide(PolicyInput.of(SubjectKind.HUMAN, null, partnership.getDataClasses(),
                    partnership.getEnvironments(), request.roles(), partnerRealm.permissionScopes()));
            decision.endDateBeyondMaximum(request.endDate()).ifPresent(problem -> errors.put("endDate", problem));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return partnership;
    }

}
