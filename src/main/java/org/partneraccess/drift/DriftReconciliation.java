package org.partneraccess.drift;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.exception.NotAllowedException;
import org.camunda.bpm.engine.exception.NotValidException;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.keycloak.representations.idm.ClientRepresentation;
import org.partneraccess.LifecycleState;
import org.partneraccess.ProcessIds;
import org.partneraccess.Variables;
import org.partneraccess.audit.ActorKind;
import org.partneraccess.audit.AuditLog;
import org.partneraccess.audit.GovernanceAction;
import org.partneraccess.drift.DriftDetector.Recheck;
import org.partneraccess.drift.DriftFinding.KeycloakObject;
import org.partneraccess.drift.DriftFinding.ObjectType;
import org.partneraccess.inventory.IdentityAccess;
import org.partneraccess.inventory.IdentityAccesses;
import org.partneraccess.inventory.IdentityRegistry;
import org.partneraccess.inventory.PartnerIdentity;
import org.partneraccess.keycloak.PartnerClients;
import org.partneraccess.keycloak.PartnerUsers;
import org.partneraccess.keycloak.PartnerIdentityProviders;
import org.partneraccess.trust.WorkloadTrusts;
import org.partneraccess.keycloak.KeycloakRejectedException;
import org.partneraccess.keycloak.KeycloakUnavailableException;
import org.partneraccess.machine.MachineProfile;
import org.partneraccess.machine.MachineRegistrationService;
import org.partneraccess.security.StaffGroups;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reconciles the partner realm against the registry: what the registry has taken away is taken away again in Keycloak
 * at once (audited as the system's action); every other finding is stored ({@code drift_finding}) and opens one
 * {@value ProcessIds#DRIFT_REVIEW_PROCESS} for the identity's owner, or the security officers, whose business key is
 * the stored finding's id, so a finding still under review or accepted as it is opens nothing new.
 *
 * <p>A Spring schedule, as the usage sync: the run itself decides nothing; the decisions are the review process's.
 * One run at a time across nodes comes from locking the {@code drift_run} row; each finding is acted on in a
 * transaction of its own, so what was done in Keycloak is audited even when a later finding fails, and a failed
 * correction is tried again by the next run.
 *
 * <p>The review acts on the stored finding only, never on its process variables (they are there for the form): the
 * decision is recorded with the engine's authenticated user, and a correction first looks again, live, at the Keycloak
 * object the finding was found on (by its Keycloak id) and changes nothing when the drift is gone or the object is not
 * a partner identity.
 */
@Service
@EnableConfigurationProperties(DriftProperties.class)
public class DriftReconciliation {

    public static final String ACCEPT = "ACCEPT";
    public static final String CORRECT = "CORRECT";
    static final String RUN = "partner-realm";
    static final String SYSTEM = "system";
    private static final Logger log = LoggerFactory.getLogger(DriftReconciliation.class);

    private final DriftDetector detector;
    private final PartnerUsers partnerUsers;
    private final PartnerClients partnerClients;
    private final PartnerIdentityProviders providers;
    private final WorkloadTrusts trusts;
    private final IdentityRegistry identities;
    private final MachineRegistrationService machines;
    private final StoredDriftFindingRepository stored;
    private final AuditLog audit;
    private final RuntimeService runtime;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate locked;
    private final TransactionTemplate each;
    private final Duration reviewDeadline;
    private final IdentityAccesses accesses;

    DriftReconciliation(DriftDetector detector, PartnerUsers partnerUsers, PartnerClients partnerClients,
                        IdentityRegistry identities,
                        MachineRegistrationService machines, StoredDriftFindingRepository stored, AuditLog audit,
                        RuntimeService runtime, JdbcTemplate jdbc, PlatformTransactionManager transactions,
                        DriftProperties properties, IdentityAccesses accesses, PartnerIdentityProviders providers,
                        WorkloadTrusts trusts) {
        this.providers = providers;
        this.trusts = trusts;
        this.accesses = accesses;
        this.detector = detector;
        this.partnerUsers = partnerUsers;
        this.partnerClients = partnerClients;
        this.identities = identities;
        this.machines = machines;
        this.stored = stored;
        this.audit = audit;
        this.runtime = runtime;
        this.jdbc = jdbc;
        this.locked = new TransactionTemplate(transactions);
        this.each = new TransactionTemplate(transactions);
        this.each.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.reviewDeadline = properties.reviewDeadline();
    }

    /** What one run found and did. */
    public record Run(Instant ranAt, List<DriftFinding> findings) {
    }

    @Scheduled(initialDelayString = "${partner-access.drift.interval:1h}",
            fixedDelayString = "${partner-access.drift.interval:1h}")
    void scheduled() {
        try {
            Run run = reconcile();
            if (!run.findings().isEmpty()) {
                log.info("Drift between the partner realm and the registry: {} findings", run.findings().size());
            }
        } catch (KeycloakUnavailableException | KeycloakRejectedException | DataAccessException e) {
            log.warn("Could not reconcile the partner realm against the registry: {}", e.getMessage());
        }
    }

    /** Finds the drift now and acts on each finding; one run at a time, across nodes too. */
    public Run reconcile() {
        return locked.execute(status -> {
            jdbc.queryForObject("select name from drift_run where name = ? for update", String.class, RUN);
            Instant now = Instant.now();
            List<DriftFinding> done = new ArrayList<>();
            for (DriftFinding finding : detector.detect(now)) {
                done.add(each.execute(inner -> act(finding, now)));
            }
            jdbc.update("update drift_run set last_run_at = ?, findings = ? where name = ?", now.atOffset(ZoneOffset.UTC),
                    done.size(), RUN);
            return new Run(now, done);
        });
    }

    /** Open reviews by kind: stored findings a person has still to decide on, or whose correction is still due. */
    public Map<DriftKind, Long> openReviews() {
        Map<DriftKind, Long> open = new EnumMap<>(DriftKind.class);
        for (DriftKind kind : DriftKind.values()) {
            open.put(kind, 0L);
        }
        for (Object[] row : stored.countOpenReviewsByKind()) {
            open.put((DriftKind) row[0], ((Number) row[1]).longValue());
        }
        return open;
    }

    /** When the partner realm was last reconciled; empty before the first run. */
    public Optional<Instant> lastRunAt() {
        return jdbc.query("select last_run_at from drift_run where name = ?", (rs, n) -> {
            java.time.OffsetDateTime at = rs.getObject(1, java.time.OffsetDateTime.class);
            return at == null ? null : at.toInstant();
        }, RUN).stream().filter(java.util.Objects::nonNull).findFirst();
    }

    /**
     * Finds the drift now without acting on it, each finding with where it stands or what the next reconciliation will
     * do about it: reading changes nothing.
     */
    public Run preview() {
        Instant now = Instant.now();
        return new Run(now, detector.detect(now).stream().map(finding -> standing(finding)
                .map(found -> finding.withAction(found.action()).withFindingId(found.findingId()))
                .orElseGet(() -> finding.withAction(finding.correctedAutomatically()
                        ? "to be corrected by the next reconciliation"
                        : "a review to be opened by the next reconciliation"))).toList());
    }

    /** A stored finding the same difference is under. */
    private record Standing(String findingId, String action) {
    }

    /**
     * The review a finding is under, or the review that accepted it, or (a disabled orphan) the review that had the same
     * object disabled; empty when no one has looked at it.
     */
    private Optional<Standing> standing(DriftFinding finding) {
        if (finding.correctedAutomatically()) {
            return Optional.empty();
        }
        if (finding.kind() == DriftKind.ORPHAN && !finding.object().enabled()) {
            Optional<StoredDriftFinding> disabled = stored.findByKeycloakIdOrderByDetectedAt(finding.object().id())
                    .stream().filter(earlier -> earlier.getKind() == DriftKind.ORPHAN
                            && earlier.getStatus() == DriftFindingStatus.CORRECTED)
                    .reduce((first, second) -> second);
            if (disabled.isPresent()) {
                return Optional.of(new Standing(disabled.get().getId(), "disabled on review (finding "
                        + disabled.get().getId() + ", by " + disabled.get().getDecidedBy() + ", "
                        + disabled.get().getClosedAt() + ")"));
            }
        }
        Optional<StoredDriftFinding> open = stored.findFirstByFindingKeyAndStatusOrderByDetectedAtDesc(finding.key(),
                DriftFindingStatus.OPEN).filter(this::underReview);
        if (open.isPresent()) {
            return Optional.of(new Standing(open.get().getId(), "under review (finding " + open.get().getId()
                    + ", process instance " + open.get().getReviewProcessId() + ")"));
        }
        return stored.findFirstByFindingKeyAndStatusOrderByDecidedAtDesc(finding.key(), DriftFindingStatus.ACCEPTED)
                .map(accepted -> new Standing(accepted.getId(), "accepted as it is on review (finding "
                        + accepted.getId() + ", by " + accepted.getDecidedBy() + ", " + accepted.getDecidedAt() + ")"));
    }

    private boolean underReview(StoredDriftFinding finding) {
        return finding.getReviewProcessId() != null && runtime.createProcessInstanceQuery()
                .processInstanceId(finding.getReviewProcessId()).count() > 0;
    }

    private DriftFinding act(DriftFinding finding, Instant now) {
        if (finding.correctedAutomatically()) {
            return correctAtOnce(finding, now);
        }
        Optional<Standing> standing = standing(finding);
        if (standing.isPresent()) {
            return finding.withAction(standing.get().action()).withFindingId(standing.get().findingId());
        }
        return openReview(finding, now);
    }

    /** Stores the finding and opens its review, keyed by the stored finding's id. */
    DriftFinding openReview(DriftFinding finding, Instant now) {
        // a review that ended without an outcome (cancelled by an administrator) leaves its finding to a new review
        stored.findFirstByFindingKeyAndStatusOrderByDetectedAtDesc(finding.key(), DriftFindingStatus.OPEN)
                .filter(open -> open.getReviewProcessId() != null)
                .ifPresent(ended -> ended.close(DriftFindingStatus.GONE, "its review (process instance "
                        + ended.getReviewProcessId() + ") ended without a decision; found again as a new finding", now));
        StoredDriftFinding row = stored.saveAndFlush(StoredDriftFinding.of(finding, now));
        ProcessInstance started = runtime.startProcessInstanceByKey(ProcessIds.DRIFT_REVIEW_PROCESS, row.getId(),
                variables(finding, reviewDeadline));
        row.reviewOpened(started.getId());
        stored.save(row);
        String reviewers = finding.reviewers().isEmpty() ? StaffGroups.SECURITY_OFFICERS
                : String.join(",", finding.reviewers());
        audit.record(ActorKind.SYSTEM, SYSTEM, GovernanceAction.DRIFT_REVIEW_OPENED, finding.partnershipKey(), finding.identityId(),
                describe(finding.withFindingId(row.getId())) + "; reviewers: " + reviewers);
        return finding.withAction("review opened for " + reviewers + " (finding " + row.getId() + ", process instance "
                + started.getId() + ")").withFindingId(row.getId());
    }

    /** What the registry took away is taken away again now; a correction Keycloak refuses stays open for the next run. */
    private DriftFinding correctAtOnce(DriftFinding finding, Instant now) {
        StoredDriftFinding row = stored.findFirstByFindingKeyAndStatusOrderByDetectedAtDesc(finding.key(),
                DriftFindingStatus.OPEN).filter(open -> open.getReviewProcessId() == null).orElseGet(() -> {
                    StoredDriftFinding found = StoredDriftFinding.of(finding, now);
                    found.decide(CORRECT, SYSTEM, now, "the registry took this access away");
                    return found;
                });
        try {
            String done = correct(finding);
            row.close(DriftFindingStatus.CORRECTED, done, now);
            stored.save(row);
            audit.record(ActorKind.SYSTEM, SYSTEM, GovernanceAction.DRIFT_CORRECTED, finding.partnershipKey(), finding.identityId(),
                    describe(finding.withFindingId(row.getId())) + "; done: " + done);
            return finding.withAction("corrected: " + done).withFindingId(row.getId());
        } catch (KeycloakUnavailableException | KeycloakRejectedException e) {
            log.warn("Could not correct drift {}: {}", finding.key(), e.getMessage());
            row.note("correction failed, tried again by the next run: " + e.getMessage());
            stored.save(row);
            return finding.withAction("correction failed, tried again by the next run: " + e.getMessage())
                    .withFindingId(row.getId());
        }
    }

    // ---- the review's outcomes: each reads the stored finding its process instance is bound to ----

    /**
     * The reviewer's decision, as the review task is completed: {@code driftDecision} (the one field the form asks for
     * besides the comment) and the engine's authenticated user, never a variable naming someone. Written once into the
     * finding and audited; what the process's other variables say is ignored.
     */
    public void recordDecision(DelegateExecution review) {
        String reviewer = authenticatedUser(review);
        String decision = Variables.string(review, DriftReviewVariables.DRIFT_DECISION);
        if (!CORRECT.equals(decision) && !ACCEPT.equals(decision)) {
            throw new NotValidException(DriftReviewVariables.DRIFT_DECISION + ": must be " + CORRECT + " or " + ACCEPT);
        }
        StoredDriftFinding finding = bound(review);
        finding.decide(decision, reviewer, Instant.now(), Variables.string(review, Variables.REVIEW_COMMENT));
        stored.save(finding);
        audit.record(reviewer, GovernanceAction.DRIFT_REVIEW_DECIDED, finding.getPartnershipKey(), finding.getIdentityId(),
                describe(finding.asFound()) + "; decision: " + decision + "; comment: " + finding.getReviewComment());
    }

    /** The reviewer leaves it as it is; the same finding opens no review again. */
    public void accept(DelegateExecution review) {
        StoredDriftFinding finding = decided(review, ACCEPT);
        finding.close(DriftFindingStatus.ACCEPTED, "accepted as it is", Instant.now());
        stored.save(finding);
        audit.record(finding.getDecidedBy(), GovernanceAction.DRIFT_ACCEPTED, finding.getPartnershipKey(), finding.getIdentityId(),
                describe(finding.asFound()) + "; comment: " + finding.getReviewComment());
    }

    /**
     * The reviewer has it corrected: the finding is looked for again, live, on the Keycloak object it was found on, and
     * only that object is brought back to what the registry approved (disabled, the excess found then and still there
     * removed, the lifespan set back). When the drift is gone, or the object is not a partner identity at all, nothing
     * changes: the finding is closed as {@link DriftFindingStatus#GONE} and the BPMN error
     * {@value ProcessIds#ERROR_DRIFT_FINDING_GONE} ends the review.
     */
    public void correctOnReview(DelegateExecution review) {
        StoredDriftFinding finding = decided(review, CORRECT);
        Instant now = Instant.now();
        Recheck recheck = detector.recheck(finding, now);
        if (recheck.outcome() == Recheck.Outcome.STILL_THERE) {
            String done = correct(recheck.finding());
            finding.close(DriftFindingStatus.CORRECTED, done, now);
            stored.save(finding);
            audit.record(finding.getDecidedBy(), GovernanceAction.DRIFT_CORRECTED, finding.getPartnershipKey(), finding.getIdentityId(),
                    describe(finding.asFound()) + "; done: " + done + "; comment: " + finding.getReviewComment());
            return;
        }
        boolean refused = recheck.outcome() == Recheck.Outcome.NOT_A_PARTNER_IDENTITY;
        String outcome = (refused ? "not a partner identity: " : "finding gone: ") + recheck.reason()
                + "; nothing changed";
        finding.close(DriftFindingStatus.GONE, outcome, now);
        stored.save(finding);
        audit.record(finding.getDecidedBy(), refused ? GovernanceAction.DRIFT_CORRECTION_REFUSED : GovernanceAction.DRIFT_GONE,
                finding.getPartnershipKey(), finding.getIdentityId(), describe(finding.asFound()) + "; " + outcome);
        throw new BpmnError(ProcessIds.ERROR_DRIFT_FINDING_GONE, outcome);
    }

    /** The stored finding this review process instance was opened for: its business key, bound both ways. */
    private StoredDriftFinding bound(DelegateExecution review) {
        String id = review.getProcessBusinessKey();
        StoredDriftFinding finding = (id == null ? Optional.<StoredDriftFinding>empty() : stored.findById(id))
                .orElseThrow(() -> new IllegalStateException("no stored drift finding " + id + " for review "
                        + review.getProcessInstanceId()));
        if (!review.getProcessInstanceId().equals(finding.getReviewProcessId())) {
            throw new IllegalStateException("drift finding " + id + " is reviewed by process instance "
                    + finding.getReviewProcessId() + ", not " + review.getProcessInstanceId());
        }
        return finding;
    }

    /** The bound finding, open and decided as the path taken says. */
    private StoredDriftFinding decided(DelegateExecution review, String decision) {
        StoredDriftFinding finding = bound(review);
        if (finding.getStatus() != DriftFindingStatus.OPEN || !decision.equals(finding.getDecision())) {
            throw new IllegalStateException("drift finding " + finding.getId() + " is " + finding.getStatus()
                    + " with decision " + finding.getDecision() + ", not open with " + decision);
        }
        return finding;
    }

    private static String authenticatedUser(DelegateExecution review) {
        Authentication authentication = review.getProcessEngineServices().getIdentityService()
                .getCurrentAuthentication();
        String user = authentication == null ? null : authentication.getUserId();
        if (user == null || user.isBlank() || Authorization.ANY.equals(user)) {
            throw new NotAllowedException("A drift review is decided by an authenticated staff user");
        }
        return user;
    }

    /**
     * A partnership's identity provider: disabled where no trust in force justifies it (an orphan, or a trust or
     * partnership that holds no access), set back to what the trust approved where it was reconfigured; only the
     * provider with the finding's alias and Keycloak id.
     */
    private String correctProvider(DriftFinding finding) {
        Optional<org.keycloak.representations.idm.IdentityProviderRepresentation> provider = providers
                .find(finding.object().name()).filter(found -> finding.object().id().equals(found.getInternalId()));
        if (provider.isEmpty()) {
            return "identity provider " + finding.object().name() + " no longer exists, nothing to do";
        }
        if (finding.kind() == DriftKind.CLIENT_CONFIG) {
            providers.setBackToProvisioning(trusts.get(finding.identityId()).workloadIssuer(),
                    Boolean.TRUE.equals(provider.get().isEnabled()));
            return "identity provider set back to the approved issuer " + finding.excess();
        }
        providers.disableUnregistered(provider.get());
        return "identity provider disabled";
    }

    /**
     * Brings Keycloak back to what the registry says, on the user or client with the finding's Keycloak id only; safe
     * to repeat. Returns what it did.
     */
    String correct(DriftFinding finding) {
        KeycloakObject object = finding.object();
        if (object.type() == ObjectType.SCOPE) {
            throw new IllegalStateException("a client scope is never corrected by the application: " + object.name());
        }
        if (object.type() == ObjectType.PROVIDER) {
            return correctProvider(finding);
        }
        boolean user = object.type() == ObjectType.USER;
        Optional<ClientRepresentation> client = user ? Optional.empty() : partnerClients.findClientById(object.id());
        if (!user && client.isEmpty()) {
            return "client " + object.name() + " no longer exists, nothing to do";
        }
        Optional<PartnerIdentity> identity = Optional.ofNullable(finding.identityId()).flatMap(identities::find);
        boolean revoked = identity.map(found -> found.getState() == LifecycleState.REVOKED).orElse(false);
        switch (finding.kind()) {
            case ORPHAN, REVOKED_BUT_ACTIVE -> {
                List<String> done = new ArrayList<>();
                // a registered identity is acted on only where the object still carries it; an orphan was re-detected live
                boolean registered = identity.isPresent();
                if (registered) {
                    // the identity's own suspension or revocation, at the object found: one meaning wherever it is used
                    IdentityAccess access = accesses.of(identity.get());
                    IdentityAccess.Target target = IdentityAccess.Target.of(identity.get()).at(object.id());
                    if (!revoked) {
                        access.suspend(target);
                        done.add(user ? "user disabled, sessions ended" : "client disabled");
                    } else if (user) {
                        access.revoke(target, IdentityAccess.Exposure.NONE);
                        done.add("user disabled, sessions ended, roles removed");
                    } else {
                        // it was usable again for a while: a secret read meanwhile must not work after this
                        IdentityAccess.Revocation revocation = access.revoke(target, IdentityAccess.Exposure.SUSPECTED);
                        done.add("client disabled");
                        if (revocation.secretReplaced()) {
                            done.add("secret replaced");
                        }
                        if (!revocation.proven()) {
                            throw new IllegalStateException("client " + object.name()
                                    + ": an old secret or an earlier token still works after its correction");
                        }
                    }
                } else if (user) {
                    partnerUsers.disableUnregisteredUser(object.id());
                    partnerUsers.logoutUser(object.id());
                    done.add("user disabled, sessions ended");
                } else {
                    partnerClients.disableUnregisteredClient(client.get());
                    done.add("client disabled");
                }
                return String.join(", ", done);
            }
            case EXCESS_PRIVILEGE -> {
                Set<String> excess = new TreeSet<>(finding.excess());
                // approved meanwhile: no longer excess
                identity.filter(found -> found.getState() != LifecycleState.REVOKED)
                        .ifPresent(found -> excess.removeAll(found.getClientScopes()));
                if (user) {
                    partnerUsers.revokeRoles(object.id(), excess);
                    return "roles removed " + excess;
                }
                partnerClients.removeClientScopes(client.get(), excess);
                return "client scopes removed " + excess;
            }
            case LIFESPAN_BEYOND_POLICY -> {
                int seconds = machines.profile(finding.identityId()).getTokenLifespanSeconds();
                partnerClients.setAccessTokenLifespan(client.get(), java.time.Duration.ofSeconds(seconds));
                return "access token lifespan set to " + seconds + " s";
            }
            case CLIENT_CONFIG -> {
                // only on the client that still carries the identity; the authenticator from the registry's profile
                PartnerClients.requireBound(client.get(), finding.identityId());
                Optional<MachineProfile> profile = machines.findProfile(finding.identityId());
                return String.join(", ", partnerClients.setBackToProvisioning(client.get(),
                        profile.map(found -> found.credential(finding.partnershipKey())).orElse(null),
                        profile.map(MachineProfile::isDpopBoundTokens).orElse(false), finding.excess()));
            }
            default -> throw new IllegalStateException("unknown drift kind " + finding.kind());
        }
    }

    /**
     * The review's variables: what the form shows (read only), who reviews it and by when. The decision never reads
     * them: the stored finding is the authority.
     */
    static Map<String, Object> variables(DriftFinding finding, Duration reviewDeadline) {
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put(DriftReviewVariables.DRIFT_KIND, finding.kind().name());
        variables.put(DriftReviewVariables.DRIFT_OBJECT_TYPE, finding.object().type().name());
        variables.put(DriftReviewVariables.DRIFT_OBJECT_NAME, finding.object().name());
        variables.put(Variables.IDENTITY_ID, finding.identityId());
        variables.put(Variables.PARTNERSHIP_KEY, finding.partnershipKey());
        variables.put(DriftReviewVariables.DRIFT_EXPECTED, finding.expected());
        variables.put(DriftReviewVariables.DRIFT_FOUND, finding.found());
        variables.put(DriftReviewVariables.DRIFT_EXCESS, String.join(",", finding.excess()));
        variables.put(DriftReviewVariables.DRIFT_REVIEWERS, String.join(",", finding.reviewers()));
        variables.put(DriftReviewVariables.DRIFT_HAS_REVIEWERS, !finding.reviewers().isEmpty());
        variables.put(DriftReviewVariables.DRIFT_REVIEW_DEADLINE, reviewDeadline.toString());
        return variables;
    }

    private static String describe(DriftFinding finding) {
        return finding.kind() + " " + finding.object().type().name().toLowerCase() + " " + finding.object().name()
                + " (Keycloak id " + finding.object().id() + ")"
                + "; expected: " + finding.expected() + "; found: " + finding.found()
                + (finding.excess().isEmpty() ? "" : "; excess: " + finding.excess()) + "; key: " + finding.key()
                + (finding.findingId() == null ? "" : "; finding: " + finding.findingId());
    }
}
