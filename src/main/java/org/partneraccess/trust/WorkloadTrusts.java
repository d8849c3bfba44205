package org.partneraccess.trust;

import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;

import jakarta.validation.Validator;
import org.partneraccess.Drills;
import org.partneraccess.InvalidRequestException;
import org.partneraccess.LifecycleState;
import org.partneraccess.ProcessIds;
import org.partneraccess.Variables;
import org.partneraccess.audit.AuditLog;
import org.partneraccess.audit.PartnershipAction;
import org.partneraccess.decision.Decisions;
import org.partneraccess.decision.RequestRecorded;
import org.partneraccess.keycloak.PartnerIdentityProviders;
import org.partneraccess.keycloak.PartnerIdentityProviders.Kind;
import org.partneraccess.partnership.Partnership;
import org.partneraccess.partnership.PartnershipService;
import org.partneraccess.policy.AccessPolicy;
import org.partneraccess.policy.PolicyDecision;
import org.partneraccess.policy.PolicyInput;
import org.partneraccess.policy.ShownVariables;
import org.partneraccess.policy.SubjectKind;
import org.partneraccess.security.JwksUrlCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A partnership's workload trust, from the request to its end. Requested by staff, decided by the access policy,
 * approved by a security officer who did not request it (the decision record says so, not a variable), then an
 * identity provider of the partner realm that the partnership's federated machines name. Part of every revocation of
 * the partnership: its provider is disabled first, so one call cuts every federated machine of the partner.
 */
@Service
public class WorkloadTrusts {

    private static final Logger log = LoggerFactory.getLogger(WorkloadTrusts.class);

    /** The decision-record step of the request (what was asked, by whom) and of the policy's decision on it. */
    static final String REQUESTED = "WORKLOAD_TRUST_REQUESTED";
    static final String POLICY_DECIDED = "WORKLOAD_TRUST_POLICY_DECIDED";
    /** A security officer alone decides a trust (the policy requires one for every trust). */
    public static final Decisions.ApprovalSteps APPROVALS = Decisions.ApprovalSteps.oneTask(POLICY_DECIDED,
            ProcessIds.TASK_APPROVE_WORKLOAD_TRUST, Variables.SECURITY_OFFICER_APPROVED,
            Variables.SECURITY_OFFICER_COMMENT);
    /** SPIFFE trust domains are a Keycloak preview: offered only behind a setting. */
    static final String SPIFFE = "SPIFFE";
    /** A SPIFFE trust domain as Keycloak's SPIFFE provider takes it: lower case, no path, no trailing slash. */
    private static final java.util.regex.Pattern TRUST_DOMAIN = java.util.regex.Pattern.compile("spiffe://[a-z0-9._-]+");
    private static final java.util.regex.Pattern SPIFFE_SEGMENT = java.util.regex.Pattern.compile("[A-Za-z0-9._-]+");
    private static final Set<LifecycleState> HOLDING_ACCESS = EnumSet.of(LifecycleState.ACTIVE,
            LifecycleState.UNDER_REVIEW);

    private final WorkloadTrustRepository trusts;
    private final PartnershipService partnerships;
    private final PartnerIdentityProviders providers;
    private final AccessPolicy policy;
    private final Decisions decisions;
    private final AuditLog audit;
    private final Validator validator;
    private final JwksUrlCheck urls;
    private final ApplicationEventPublisher events;
    private final IssuerDiscovery discovery;
    private final boolean spiffeEnabled;

    WorkloadTrusts(WorkloadTrustRepository trusts, PartnershipService partnerships, PartnerIdentityProviders providers,
                   AccessPolicy policy, Decisions decisions, AuditLog audit, Validator validator,
                   TrustProperties properties, ApplicationEventPublisher events) {
        this.trusts = trusts;
        this.partnerships = partnerships;
        this.providers = providers;
        this.policy = policy;
        this.decisions = decisions;
        this.audit = audit;
        this.validator = validator;
        this.events = events;
        this.urls = new JwksUrlCheck(properties.loopbackIssuersAllowed(), properties.issuerAllowedHosts(),
                java.net.InetAddress::getAllByName);
        this.discovery = new IssuerDiscovery(urls, properties.discoveryTimeout(), properties.discoveryMaxBytes());
        this.spiffeEnabled = properties.spiffe().enabled();
    }

    static String newTrustId() {
        return UUID.randomUUID().toString();
    }

    // ---- the request and its approval ----

    /** Throws {@link InvalidRequestException} naming every invalid field; changes nothing. */
    @Transactional(readOnly = true)
    public void check(String partnershipKey, WorkloadTrustRequest request) {
        Map<String, String> errors = InvalidRequestException.violations(validator, request);
        Optional<Partnership> partnership = partnerships.find(partnershipKey);
        if (partnership.isEmpty()) {
            errors.put("partnershipKey", PartnershipService.missing(partnershipKey));
        } else if (partnership.get().getState() != LifecycleState.ACTIVE) {
            errors.put("partnershipKey", "the partnership is " + partnership.get().getState()
                    + "; a workload trust is requested only for an ACTIVE partnership");
        } else if (trusts.findByOpenPartnershipKey(partnershipKey).isPresent()) {
            errors.put("partnershipKey", "the partnership has a workload trust already (one per partnership);"
                    + " it ends with the partnership's revocation");
        }
        Kind kind = null;
        if (request.kind() != null && !errors.containsKey("kind")) {
            kind = kind(request.kind(), errors);
        }
        boolean spiffe = kind == Kind.SPIFFE || (kind == null && SPIFFE.equals(request.kind()));
        if (request.issuer() != null && !errors.containsKey("issuer")) {
            String issuer = request.issuer().trim();
            if (spiffe) {
                if (!TRUST_DOMAIN.matcher(issuer).matches()) {
                    errors.put("issuer", "a SPIFFE trust domain: spiffe://<trust domain>, lower case, no path");
                } else if (trusts.existsByKindAndIssuerAndOpenPartnershipKeyIsNotNull(Kind.SPIFFE, issuer)) {
                    // Keycloak finds a SPIFFE workload's client by its SPIFFE ID alone, in the whole realm: a domain
                    // trusted twice lets two partnerships' clients claim one ID
                    errors.put("issuer", "the SPIFFE trust domain is trusted for another partnership already (requested"
                            + " or in force); Keycloak finds a workload by its SPIFFE ID alone, so a trust domain belongs"
                            + " to one partnership");
                }
            } else {
                urls.problem(issuer).ifPresent(problem -> errors.put("issuer", problem));
            }
        }
        boolean hasJwksUrl = request.jwksUrl() != null && !request.jwksUrl().isBlank();
        if (kind == Kind.KUBERNETES && hasJwksUrl) {
            errors.put("jwksUrl", "only for OIDC: Keycloak finds a Kubernetes issuer's keys through its discovery document");
        } else if (kind == Kind.SPIFFE && !hasJwksUrl) {
            errors.put("jwksUrl", "a SPIFFE trust domain needs its bundle endpoint (an https URL serving its JWKS)");
        } else if (hasJwksUrl && !errors.containsKey("jwksUrl")) {
            urls.problem(request.jwksUrl().trim()).ifPresent(problem -> errors.put("jwksUrl", problem));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
    }

    /** Registers a checked request as REQUESTED, with the request in the decision record. */
    @Transactional
    public WorkloadTrust request(String trustId, String partnershipKey, WorkloadTrustRequest request, String requester) {
        check(partnershipKey, request);
        WorkloadTrust trust = trusts.save(new WorkloadTrust(trustId, partnershipKey, Kind.valueOf(request.kind()),
                request.issuer().trim(), blankToNull(request.jwksUrl()), requester));
        Map<String, Object> requested = new LinkedHashMap<>();
        requested.put(WorkloadTrustVariables.TRUST_KIND, request.kind());
        requested.put(WorkloadTrustVariables.TRUST_ISSUER, trust.getIssuer());
        requested.put(WorkloadTrustVariables.TRUST_JWKS_URL, trust.getJwksUrl() == null ? "" : trust.getJwksUrl());
        decisions.recordRequest(trustId, REQUESTED, requester, requested);
        audit.record(requester, PartnershipAction.WORKLOAD_TRUST_REQUESTED, partnershipKey, trustId,
                "kind=" + request.kind() + "; issuer=" + trust.getIssuer()
                        + (trust.getJwksUrl() == null ? "" : "; jwksUrl=" + trust.getJwksUrl()));
        // the requester's receipt, once the request is stored
        events.publishEvent(new RequestRecorded(trustId, requester));
        return trust;
    }

    /** The access policy on a trust, recorded with its inputs; the approval is checked against it. */
    @Transactional
    public PolicyDecision decidePolicy(String trustId) {
        WorkloadTrust trust = get(trustId);
        trust.requireState("policy decision", EnumSet.of(LifecycleState.REQUESTED));
        Partnership partnership = partnerships.get(trust.getPartnershipKey());
        PolicyInput input = new PolicyInput(SubjectKind.WORKLOAD_TRUST, null, partnership.getDataClasses(), false,
                partnership.getEnvironments().contains(PolicyInput.PRODUCTION), false);
        PolicyDecision decision = policy.decide(input);
        decisions.recordPolicy(trustId, POLICY_DECIDED, input.toVariables(), decision);
        return decision;
    }

    /** What the security officer's form shows, from the registry. */
    @Transactional(readOnly = true)
    public Map<String, Object> shown(String trustId, PolicyDecision decision) {
        WorkloadTrust trust = get(trustId);
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put(Variables.PARTNERSHIP_KEY, trust.getPartnershipKey());
        shown.put(WorkloadTrustVariables.TRUST_KIND, trust.getKind().name());
        shown.put(WorkloadTrustVariables.TRUST_ISSUER, trust.getIssuer());
        shown.put(WorkloadTrustVariables.TRUST_JWKS_URL, trust.getJwksUrl() == null ? "" : trust.getJwksUrl());
        shown.put(Variables.RISK_TIER, decision.riskTier());
        shown.put(ShownVariables.RISK_RULE, decision.rule() == null ? "" : decision.rule());
        return shown;
    }

    /**
     * Makes the approved trust an identity provider of the partner realm: only with a security officer's approval on
     * record (not the requester's), after the latest policy decision; idempotent for a retried job. A partnership
     * suspended meanwhile gets its provider disabled at once; one that ended gets none.
     */
    @Transactional
    public void provision(String trustId) {
        WorkloadTrust trust = get(trustId);
        trust.requireState("provisioning", EnumSet.of(LifecycleState.REQUESTED, LifecycleState.APPROVED));
        Partnership partnership = partnerships.get(trust.getPartnershipKey());
        partnership.requireState("workload trust", EnumSet.of(LifecycleState.ACTIVE, LifecycleState.UNDER_REVIEW,
                LifecycleState.SUSPENDED));
        String approver = decisions.approver(trustId, APPROVALS, List.of(), trust.getRequestedBy());
        if (trust.needsDiscovery()) {
            // registered by its issuer alone: its keys are where its discovery document says now, checked as any URL
            trust.discovered(discovery.jwksUrl(trust.getIssuer()));
        }
        providers.ensure(trust.workloadIssuer());
        trust.approve(approver, Instant.now());
        if (partnership.getState() == LifecycleState.SUSPENDED) {
            providers.disable(trust.getPartnershipKey(), trustId);
            trust.moveTo(LifecycleState.SUSPENDED, partnership.getStateReason());
        } else {
            trust.moveTo(LifecycleState.ACTIVE, null);
        }
        audit.record(approver, PartnershipAction.WORKLOAD_TRUST_APPROVED, trust.getPartnershipKey(), trustId,
                "identity provider " + trust.workloadIssuer().alias() + "; kind=" + trust.getKind()
                        + "; issuer=" + trust.getIssuer()
                        + (trust.getJwksUrl() == null ? "" : "; jwksUrl=" + trust.getJwksUrl()));
    }

    /**
     * The revocation drill's trust: its synthetic issuer (a key the drill made and holds in memory, its public half
     * inline in the provider) trusted at once by the system, without request or approval, and only for a synthetic
     * partnership of the drill. It is then revoked like any trust by the drill's incident report.
     */
    @Transactional
    public WorkloadTrust trustSyntheticIssuer(String partnershipKey, String issuer, String publicKey, String actor) {
        if (!Drills.isDrill(partnershipKey)) {
            throw new IllegalArgumentException("only a synthetic partnership of the revocation drill is trusted so");
        }
        partnerships.get(partnershipKey).requireState("workload trust", EnumSet.of(LifecycleState.ACTIVE));
        WorkloadTrust trust = trusts.save(WorkloadTrust.withInlineKey(newTrustId(), partnershipKey, issuer, publicKey,
                actor));
        providers.ensure(trust.workloadIssuer());
        trust.approve(actor, Instant.now());
        trust.moveTo(LifecycleState.ACTIVE, null);
        audit.record(actor, PartnershipAction.WORKLOAD_TRUST_APPROVED, partnershipKey, trust.getId(),
                "identity provider " + trust.workloadIssuer().alias() + "; kind=" + trust.getKind() + "; issuer="
                        + trust.getIssuer() + "; the revocation drill's synthetic issuer, its key inline");
        return trust;
    }

    /** Deletes the revocation drill's provider once the drill is over; the trust's row stays, ended. */
    @Transactional
    public void deleteSyntheticProvider(String partnershipKey, String actor) {
        if (!Drills.isDrill(partnershipKey)) {
            throw new IllegalArgumentException("only the revocation drill's identity providers are deleted");
        }
        for (WorkloadTrust trust : trusts.findByPartnershipKey(partnershipKey)) {
            providers.delete(partnershipKey, trust.getId());
            if (!trust.getState().isFinal()) {
                trust.moveTo(LifecycleState.REVOKED, "revocation drill ended");
                audit.record(actor, PartnershipAction.WORKLOAD_TRUST_REVOKED, partnershipKey, trust.getId(),
                        "revocation drill ended");
            }
        }
    }

    /** Ends a request a security officer rejected, with the reason on record; nothing reaches Keycloak. */
    @Transactional
    public Decisions.Rejection reject(String trustId, String processInstanceId) {
        WorkloadTrust trust = get(trustId);
        trust.requireState("rejection", LifecycleState.rejectable());
        Decisions.Rejection rejection = decisions.rejection(trustId, processInstanceId, APPROVALS, List.of(),
                trust.getRequestedBy());
        trust.moveTo(LifecycleState.REJECTED, rejection.reason());
        audit.record(rejection.decidedBy(), PartnershipAction.WORKLOAD_TRUST_REJECTED, trust.getPartnershipKey(), trustId,
                rejection.reason());
        return rejection;
    }

    // ---- what others read ----

    @Transactional(readOnly = true)
    public WorkloadTrust get(String trustId) {
        return trusts.findById(trustId).orElseThrow(() -> new WorkloadTrustNotFoundException(trustId));
    }

    @Transactional(readOnly = true)
    public Optional<WorkloadTrust> find(String trustId) {
        return trustId == null ? Optional.empty() : trusts.findById(trustId);
    }

    /** The trusts {@code requester} asked for, newest first ("My requests"). */
    @Transactional(readOnly = true)
    public List<WorkloadTrust> requestedBy(String requester) {
        return trusts.findByRequestedByIgnoreCaseOrderByCreatedAtDesc(requester);
    }

    /** The trust {@code trustId}, if {@code requester} asked for it. */
    @Transactional(readOnly = true)
    public Optional<WorkloadTrust> requestedBy(String requester, String trustId) {
        return trusts.findByIdAndRequestedByIgnoreCase(trustId, requester);
    }

    /** The partnership's trust in force: only an ACTIVE trust lets a machine register as federated. */
    @Transactional(readOnly = true)
    public Optional<WorkloadTrust> activeFor(String partnershipKey) {
        return trusts.findByOpenPartnershipKey(partnershipKey).filter(trust -> trust.getState() == LifecycleState.ACTIVE);
    }

    /** The partnership's open trust (requested or in force), if any. */
    @Transactional(readOnly = true)
    public Optional<WorkloadTrust> openFor(String partnershipKey) {
        return trusts.findByOpenPartnershipKey(partnershipKey);
    }

    /** The partnership's latest trust, whatever its state (the partnership's page shows an ended one too). */
    @Transactional(readOnly = true)
    public Optional<WorkloadTrust> latestFor(String partnershipKey) {
        return trusts.findFirstByPartnershipKeyOrderByCreatedAtDesc(partnershipKey);
    }

    /** Every trust that has or had an identity provider and has not ended: what drift compares the realm against. */
    @Transactional(readOnly = true)
    public List<WorkloadTrust> provisioned() {
        return trusts.findByStateIn(EnumSet.of(LifecycleState.ACTIVE, LifecycleState.SUSPENDED));
    }

    // ---- part of every revocation of the partnership (called before its identities) ----

    /** Disables the partnership's provider: every federated machine of the partner is refused a token at once. */
    @Transactional
    public void suspend(String partnershipKey, String reason, String actor) {
        move(partnershipKey, LifecycleState.ACTIVE, LifecycleState.SUSPENDED, providers::disable,
                PartnershipAction.WORKLOAD_TRUST_SUSPENDED, reason, actor);
    }

    /** Enables the partnership's provider again; its machines are enabled by their own resumption. */
    @Transactional
    public void resume(String partnershipKey, String reason, String actor) {
        move(partnershipKey, LifecycleState.SUSPENDED, LifecycleState.ACTIVE, providers::enable,
                PartnershipAction.WORKLOAD_TRUST_RESUMED, reason, actor);
    }

    /** The open trust in state {@code from}, if any: its provider acted on first, then the row moved and audited. */
    private void move(String partnershipKey, LifecycleState from, LifecycleState to,
                      BiConsumer<String, String> onProvider, PartnershipAction action, String reason,
                      String actor) {
        trusts.findByOpenPartnershipKey(partnershipKey).filter(trust -> trust.getState() == from).ifPresent(trust -> {
            onProvider.accept(partnershipKey, trust.getId());
            trust.moveTo(to, reason);
            audit.record(actor, action, partnershipKey, trust.getId(), reason);
        });
    }

    /**
     * Ends the partnership's trust for good (termination, incident): its provider is disabled and kept for
     * investigation; a request not yet approved ends too, so its approval grants nothing. A new trust needs a new
     * request and approval.
     */
    @Transactional
    public void revoke(String partnershipKey, String reason, String actor) {
        trusts.findByOpenPartnershipKey(partnershipKey).ifPresent(trust -> {
            String detail = reason;
            if (trust.getState() == LifecycleState.ACTIVE || trust.getState() == LifecycleState.SUSPENDED) {
                providers.disable(partnershipKey, trust.getId());
                // the receipt's proof for the trust, as a machine's entry says what its old secret got
                detail = reason + "; identity provider " + PartnerIdentityProviders.alias(partnershipKey) + " disabled";
            }
            trust.moveTo(LifecycleState.REVOKED, reason);
            audit.record(actor, PartnershipAction.WORKLOAD_TRUST_REVOKED, partnershipKey, trust.getId(), detail);
        });
    }

    /**
     * The incident cut-off's first step, which never holds up the identities' cut-off: a Keycloak failure here is
     * audited and the trust left for the next attempt; each federated client is cut off on its own anyway.
     */
    public void revokeForIncident(String partnershipKey, String reason, String actor) {
        try {
            revoke(partnershipKey, reason, actor);
        } catch (RuntimeException e) {
            log.warn("The workload trust of partnership {} was not cut off: {}", partnershipKey, e.getMessage());
            audit.record(actor, PartnershipAction.WORKLOAD_TRUST_CUT_OFF_FAILED, partnershipKey, null, String.valueOf(e.getMessage()));
        }
    }

    /**
     * The kind asked for, if it is offered here: SPIFFE only with its setting on and Keycloak's preview feature present
     * in the partner realm's server (asked of Keycloak, which lists only the provider types it runs).
     */
    private Kind kind(String requested, Map<String, String> errors) {
        Kind kind;
        try {
            kind = Kind.valueOf(requested);
        } catch (IllegalArgumentException e) {
            errors.put("kind", spiffeEnabled ? "one of KUBERNETES, OIDC, SPIFFE" : "one of KUBERNETES, OIDC");
            return null;
        }
        if (kind == Kind.SPIFFE) {
            if (!spiffeEnabled) {
                errors.put("kind", "SPIFFE trust domains are not offered here (a preview feature of Keycloak, switched on "
                        + "with partner-access.trust.spiffe.enabled): KUBERNETES or OIDC");
                return null;
            }
            if (!providers.offers(Kind.SPIFFE)) {
                errors.put("kind", "SPIFFE is switched on, but the partner realm's Keycloak runs without its preview "
                        + "feature spiffe: KUBERNETES or OIDC");
                return null;
            }
        }
        return kind;
    }

    /**
     * What is wrong with a federated machine's workload subject under this trust: under a SPIFFE trust domain it is a
     * SPIFFE ID of that domain (spiffe://domain/path, each path segment of letters, digits, '.', '-', '_', none of them
     * '.' or '..', no trailing slash); any other issuer names subjects its own way.
     */
    public static Optional<String> subjectProblem(WorkloadTrust trust, String subject) {
        if (trust.getKind() != Kind.SPIFFE || subject == null) {
            return Optional.empty();
        }
        String prefix = trust.getIssuer() + "/";
        if (!subject.startsWith(prefix) || subject.length() > 2048) {
            return Optional.of("a SPIFFE ID of the trust domain: " + prefix + "<path>");
        }
        for (String segment : subject.substring(prefix.length()).split("/", -1)) {
            if (!SPIFFE_SEGMENT.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
                return Optional.of("a SPIFFE ID of the trust domain: " + prefix + "<path>, each path segment of "
                        + "letters, digits, '.', '-' and '_', none empty, '.' or '..'");
            }
        }
        return Optional.empty();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** No such trust: answered 404. */
    public static class WorkloadTrustNotFoundException extends RuntimeException {
        WorkloadTrustNotFoundException(String trustId) {
            super("no workload trust " + trustId);
        }
    }
}
