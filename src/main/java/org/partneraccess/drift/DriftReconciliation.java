package org.partneraccess.drift;

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

import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.delegate.VariableScope;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.partneraccess.LifecycleState;
import org.partneraccess.ProcessIds;
import org.partneraccess.Variables;
import org.partneraccess.audit.ActorKind;
import org.partneraccess.audit.AuditLog;
import org.partneraccess.drift.DriftFinding.KeycloakObject;
import org.partneraccess.drift.DriftFinding.ObjectType;
import org.partneraccess.inventory.PartnerIdentity;
import org.partneraccess.inventory.PartnerIdentityRepository;
import org.partneraccess.keycloak.KeycloakGateway;
import org.partneraccess.keycloak.KeycloakRejectedException;
import org.partneraccess.keycloak.KeycloakUnavailableException;
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
 * at once (audited as the system's action); every other finding opens one {@value ProcessIds#DRIFT_REVIEW_PROCESS}
 * for the identity's owner, or the security officers, keyed by the finding, so a finding still under review or
 * accepted as it is opens nothing new.
 *
 * <p>A Spring schedule, as the usage sync: the run itself decides nothing; the decisions are the review process's.
 * One run at a time across nodes comes from locking the {@code drift_run} row; each finding is acted on in a
 * transaction of its own, so what was done in Keycloak is audited even when a later finding fails, and a failed
 * correction is tried again by the next run.
 */
@Service
@EnableConfigurationProperties(DriftProperties.class)
public class DriftReconciliation {

    public static final String ACCEPT = "ACCEPT";
    public static final String CORRECT = "CORRECT";
    static final String RUN = "partner-realm";
    private static final Logger log = LoggerFactory.getLogger(DriftReconciliation.class);

    private final DriftDetector detector;
    private final KeycloakGateway keycloak;
    private final PartnerIdentityRepository identities;
    private final MachineRegistrationService machines;
    private final AuditLog audit;
    private final RuntimeService runtime;
    private final HistoryService history;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate locked;
    private final TransactionTemplate each;

    DriftReconciliation(DriftDetector detector, KeycloakGateway keycloak, PartnerIdentityRepository identities,
                        MachineRegistrationService machines, AuditLog audit, RuntimeService runtime,
                        HistoryService history, JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.detector = detector;
        this.keycloak = keycloak;
        this.identities = identities;
        this.machines = machines;
        this.audit = audit;
        this.runtime = runtime;
        this.history = history;
        this.jdbc = jdbc;
        this.locked = new TransactionTemplate(transactions);
        this.each = new TransactionTemplate(transactions);
        this.each.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
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
                done.add(each.execute(inner -> act(finding)));
            }
            jdbc.update("update drift_run set last_run_at = ?, findings = ? where name = ?", now.atOffset(ZoneOffset.UTC),
                    done.size(), RUN);
            return new Run(now, done);
        });
    }

    /** Open reviews by kind: findings a person has still to decide on. */
    public Map<DriftKind, Long> openReviews() {
        Map<DriftKind, Long> open = new EnumMap<>(DriftKind.class);
        for (DriftKind kind : DriftKind.values()) {
            open.put(kind, runtime.createProcessInstanceQuery().processDefinitionKey(ProcessIds.DRIFT_REVIEW_PROCESS)
                    .variableValueEquals(Variables.DRIFT_KIND, kind.name()).count());
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
        return new Run(now, detector.detect(now).stream().map(finding -> finding.withAction(standing(finding)
                .orElse(finding.correctedAutomatically() ? "to be corrected by the next reconciliation"
                        : "a review to be opened by the next reconciliation"))).toList());
    }

    /** The review a finding is under, or the review that accepted it; empty when no one has looked at it. */
    private Optional<String> standing(DriftFinding finding) {
        if (finding.correctedAutomatically()) {
            return Optional.empty();
        }
        ProcessInstance open = runtime.createProcessInstanceQuery().processDefinitionKey(ProcessIds.DRIFT_REVIEW_PROCESS)
                .processInstanceBusinessKey(finding.key()).list().stream().findFirst().orElse(null);
        if (open != null) {
            return Optional.of("under review (" + open.getId() + ")");
        }
        return history.createHistoricProcessInstanceQuery().processDefinitionKey(ProcessIds.DRIFT_REVIEW_PROCESS)
                .processInstanceBusinessKey(finding.key()).finished()
                .variableValueEquals(Variables.DRIFT_DECISION, ACCEPT).orderByProcessInstanceEndTime().desc()
                .listPage(0, 1).stream().findFirst().map(accepted -> "accepted as it is on review (" + accepted.getId()
                        + ", " + accepted.getEndTime().toInstant() + ")");
    }

    private DriftFinding act(DriftFinding finding) {
        if (finding.correctedAutomatically()) {
            try {
                String done = correct(finding);
                audit.record(ActorKind.SYSTEM, "system", "DRIFT_CORRECTED", finding.partnershipKey(),
                        finding.identityId(), describe(finding) + "; done: " + done);
                return finding.withAction("corrected: " + done);
            } catch (KeycloakUnavailableException | KeycloakRejectedException e) {
                log.warn("Could not correct drift {}: {}", finding.key(), e.getMessage());
                return finding.withAction("correction failed, tried again by the next run: " + e.getMessage());
            }
        }
        Optional<String> standing = standing(finding);
        if (standing.isPresent()) {
            return finding.withAction(standing.get());
        }
        ProcessInstance started = runtime.startProcessInstanceByKey(ProcessIds.DRIFT_REVIEW_PROCESS, finding.key(),
                variables(finding));
        String reviewers = finding.reviewers().isEmpty() ? StaffGroups.SECURITY_OFFICERS
                : String.join(",", finding.reviewers());
        audit.record(ActorKind.SYSTEM, "system", "DRIFT_REVIEW_OPENED", finding.partnershipKey(), finding.identityId(),
                describe(finding) + "; reviewers: " + reviewers);
        return finding.withAction("review opened for " + reviewers + " (" + started.getId() + ")");
    }

    // ---- the review's outcomes ----

    /** The reviewer leaves it as it is; the same finding opens no review again. */
    public void accept(VariableScope review, String reviewer, String comment) {
        DriftFinding finding = finding(review);
        audit.record(reviewer, "DRIFT_ACCEPTED", finding.partnershipKey(), finding.identityId(),
                describe(finding) + "; comment: " + comment);
    }

    /** The reviewer has it corrected: the object disabled, the excess removed, or the lifespan set back. */
    public void correctOnReview(VariableScope review, String reviewer, String comment) {
        DriftFinding finding = finding(review);
        String done = correct(finding);
        audit.record(reviewer, "DRIFT_CORRECTED", finding.partnershipKey(), finding.identityId(),
                describe(finding) + "; done: " + done + "; comment: " + comment);
    }

    /** Brings Keycloak back to what the registry says; safe to repeat. Returns what it did. */
    String correct(DriftFinding finding) {
        KeycloakObject object = finding.object();
        boolean user = object.type() == ObjectType.USER;
        Optional<PartnerIdentity> identity = Optional.ofNullable(finding.identityId()).flatMap(identities::findById);
        boolean revoked = identity.map(found -> found.getState() == LifecycleState.REVOKED).orElse(false);
        switch (finding.kind()) {
            case ORPHAN, REVOKED_BUT_ACTIVE -> {
                List<String> done = new ArrayList<>();
                if (user) {
                    keycloak.disableUser(object.id());
                    keycloak.logoutUser(object.id());
                    done.add("user disabled, sessions ended");
                    if (revoked) {
                        Set<String> roles = keycloak.partnerRolesOfUser(object.id());
                        keycloak.revokeRoles(object.id(), roles);
                        done.add("roles removed " + roles);
                    }
                } else {
                    keycloak.disableClient(object.name());
                    done.add("client disabled");
                    if (revoked && keycloak.findClient(object.name())
                            .filter(client -> "client-secret".equals(client.getClientAuthenticatorType())).isPresent()) {
                        // it was usable again for a while: a secret read meanwhile must not work after this
                        keycloak.replaceSecret(object.name());
                        done.add("secret replaced");
                    }
                }
                return String.join(", ", done);
            }
            case EXCESS_PRIVILEGE -> {
                Set<String> excess = new TreeSet<>(finding.excess());
                // approved meanwhile: no longer excess
                identity.filter(found -> found.getState() != LifecycleState.REVOKED)
                        .ifPresent(found -> excess.removeAll(found.getClientScopes()));
                if (user) {
                    keycloak.revokeRoles(object.id(), excess);
                    return "roles removed " + excess;
                }
                keycloak.removeClientScopes(object.name(), excess);
                return "client scopes removed " + excess;
            }
            case LIFESPAN_BEYOND_POLICY -> {
                int seconds = machines.profile(finding.identityId()).getTokenLifespanSeconds();
                keycloak.setAccessTokenLifespan(object.name(), java.time.Duration.ofSeconds(seconds));
                return "access token lifespan set to " + seconds + " s";
            }
            default -> throw new IllegalStateException("unknown drift kind " + finding.kind());
        }
    }

    static Map<String, Object> variables(DriftFinding finding) {
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put(Variables.DRIFT_KIND, finding.kind().name());
        variables.put(Variables.DRIFT_OBJECT_TYPE, finding.object().type().name());
        variables.put(Variables.DRIFT_OBJECT_NAME, finding.object().name());
        variables.put(Variables.DRIFT_OBJECT_ID, finding.object().id());
        variables.put(Variables.IDENTITY_ID, finding.identityId());
        variables.put(Variables.PARTNERSHIP_KEY, finding.partnershipKey());
        variables.put(Variables.DRIFT_EXPECTED, finding.expected());
        variables.put(Variables.DRIFT_FOUND, finding.found());
        variables.put(Variables.DRIFT_EXCESS, String.join(",", finding.excess()));
        variables.put(Variables.DRIFT_REVIEWERS, String.join(",", finding.reviewers()));
        variables.put(Variables.DRIFT_HAS_REVIEWERS, !finding.reviewers().isEmpty());
        return variables;
    }

    static DriftFinding finding(VariableScope review) {
        KeycloakObject object = new KeycloakObject(ObjectType.valueOf(Variables.string(review, Variables.DRIFT_OBJECT_TYPE)),
                Variables.string(review, Variables.DRIFT_OBJECT_NAME), Variables.string(review, Variables.DRIFT_OBJECT_ID),
                true);
        String businessKey = review instanceof org.camunda.bpm.engine.delegate.DelegateExecution execution
                ? execution.getProcessBusinessKey() : null;
        return new DriftFinding(businessKey, DriftKind.valueOf(Variables.string(review, Variables.DRIFT_KIND)), object,
                Variables.string(review, Variables.IDENTITY_ID), Variables.string(review, Variables.PARTNERSHIP_KEY), null,
                Variables.string(review, Variables.DRIFT_EXPECTED), Variables.string(review, Variables.DRIFT_FOUND),
                Variables.stringSet(review, Variables.DRIFT_EXCESS), List.copyOf(Variables.stringSet(review,
                Variables.DRIFT_REVIEWERS)), null);
    }

    private static String describe(DriftFinding finding) {
        return finding.kind() + " " + finding.object().type().name().toLowerCase() + " " + finding.object().name()
                + "; expected: " + finding.expected() + "; found: " + finding.found()
                + (finding.excess().isEmpty() ? "" : "; excess: " + finding.excess()) + "; key: " + finding.key();
    }
}
