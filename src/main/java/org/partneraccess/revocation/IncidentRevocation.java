package org.partneraccess.revocation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

import org.partneraccess.LifecycleState;
import org.partneraccess.audit.AuditLog;
import org.partneraccess.audit.PartnershipAction;
import org.partneraccess.audit.IdentityAction;
import org.partneraccess.inventory.IdentityAccess;
import org.partneraccess.inventory.IdentityAccesses;
import org.partneraccess.inventory.IdentityKind;
import org.partneraccess.inventory.IdentityRegistry;
import org.partneraccess.inventory.IdentityStates;
import org.partneraccess.inventory.PartnerIdentity;
import org.partneraccess.keycloak.KeycloakUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Cuts off every identity of a partnership at once: the Keycloak calls for all identities run in parallel on a bounded
 * pool, inside the one job of the incident, and each identity is committed on its own as soon as they return (see
 * docs/incident-revocation.md). An identity whose calls fail is reported, not hidden; the rest are revoked regardless,
 * the failed ones are tried again at once, and the process tries what is still left again.
 */
@Service
public class IncidentRevocation {

    /** What became of one identity; the proof flags are null where they do not apply. */
    public record IdentityOutcome(String identityId, IdentityKind kind, boolean revoked, String failure,
                                  Boolean oldSecretRefused, Boolean earlierTokenInactive, boolean unreachable) {
    }

    /** {@code cutOffAt}: when the last Keycloak call returned, the moment access ended. */
    public record Outcome(List<IdentityOutcome> identities, Instant cutOffAt) {

        public List<IdentityOutcome> unrevoked() {
            return identities.stream().filter(identity -> !identity.revoked()).toList();
        }
    }

    private static final Logger log = LoggerFactory.getLogger(IncidentRevocation.class);
    /** An identity that Keycloak lets in, or would again on resumption. */
    private static final EnumSet<LifecycleState> HOLDING_ACCESS =
            EnumSet.of(LifecycleState.ACTIVE, LifecycleState.UNDER_REVIEW, LifecycleState.SUSPENDED);
    /** Rounds of one identity when concurrent work changed its row between its Keycloak calls and its step. */
    private static final int ATTEMPTS_PER_IDENTITY = 3;
    /** What is left after the first round is tried again at once, this often, before the process's alarm and timer. */
    static final int IMMEDIATE_RETRIES = 1;

    private final IdentityRegistry identities;
    private final IdentityStates states;
    private final IdentityAccesses accesses;
    private final AuditLog audit;
    private final ExecutorService pool;
    private final TransactionTemplate ownTransaction;

    IncidentRevocation(IdentityRegistry identities, IdentityStates states, IdentityAccesses accesses,
                       AuditLog audit, @Qualifier(RevocationConfiguration.POOL) ExecutorService pool,
                       PlatformTransactionManager transactions) {
        this.identities = identities;
        this.states = states;
        this.accesses = accesses;
        this.audit = audit;
        this.pool = pool;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /**
     * Revokes what is not revoked yet; identities revoked by an earlier attempt are left as they are. Each identity is
     * committed on its own as soon as its Keycloak calls return (no transaction over the partnership, so work on one
     * identity cannot hold up or fail the others); what is left is tried again at once, then reported.
     */
    public Outcome cutOff(String partnershipKey, String reason, String actor) {
        List<String> open = ownTransaction.execute(status -> identities.notEndedOf(partnershipKey).stream()
                .map(PartnerIdentity::getId).toList());
        Map<String, IdentityOutcome> outcomes = new LinkedHashMap<>();
        List<String> left = open;
        for (int round = 0; round <= IMMEDIATE_RETRIES && !left.isEmpty(); round++) {
            List<CompletableFuture<IdentityOutcome>> calls = new ArrayList<>();
            for (String identityId : left) {
                calls.add(CompletableFuture.supplyAsync(() -> cutOffOne(identityId, reason, actor), pool));
            }
            calls.stream().map(CompletableFuture::join).forEach(outcome -> outcomes.put(outcome.identityId(), outcome));
            left = outcomes.values().stream().filter(outcome -> !outcome.revoked() && !outcome.unreachable())
                    .map(IdentityOutcome::identityId).toList();
        }
        return new Outcome(List.copyOf(outcomes.values()), Instant.now());
    }

    /**
     * One identity's cut-off when no running process can take its incident (its instance suspended or deleted through
     * the engine's API) while it holds access; empty when it holds none.
     */
    public Optional<IdentityOutcome> cutOffWithoutProcess(String identityId, String reason, String actor) {
        Optional<PartnerIdentity> holding = identities.find(identityId)
                .filter(identity -> HOLDING_ACCESS.contains(identity.getState()));
        holding.ifPresent(identity -> audit.record(actor, PartnershipAction.INCIDENT_PROCESS_UNAVAILABLE, identity.getPartnershipKey(),
                identityId, "the identity's process cannot act on the report (suspended, missing or a step of it suspended): "
                        + "cut off from the registry"));
        return holding.map(identity -> cutOffOne(identityId, reason, actor));
    }

    /**
     * Keycloak first, then the registry step with its audit entry in a transaction of its own. The step holds only if
     * the row is still the one acted on: concurrent work that changed it (provisioning bound a new user, a resumption
     * enabled one) may have left something enabled, so the row is read again and cut off again, at once.
     */
    private IdentityOutcome cutOffOne(String identityId, String reason, String actor) {
        IdentityOutcome outcome = null;
        for (int attempt = 1; attempt <= ATTEMPTS_PER_IDENTITY; attempt++) {
            PartnerIdentity identity = ownTransaction.execute(status -> identities.find(identityId).orElse(null));
            if (identity == null || !LifecycleState.notEnded().contains(identity.getState())) {
                // ended meanwhile by another path, which did its own Keycloak calls and evidence
                return outcome != null ? outcome : new IdentityOutcome(identityId, null, true, null, null, null, false);
            }
            outcome = revokeInKeycloak(identity);
            if (!outcome.revoked()) {
                return outcome;
            }
            IdentityStates.Step step = record(identity, reason, actor, outcome);
            if (step != IdentityStates.Step.CHANGED_MEANWHILE) {
                return outcome;
            }
            log.info("Identity {} changed during its incident cut-off: cut off again", identityId);
        }
        return new IdentityOutcome(identityId, outcome.kind(), false,
                "changed by concurrent work on each of " + ATTEMPTS_PER_IDENTITY + " attempts", null, null, false);
    }

    /**
     * The registry step and its audit entry, committed together. A step that fails (a lock it waited for too long, a
     * deadlock the database broke) counts as a row changed meanwhile: read again and cut off again.
     */
    private IdentityStates.Step record(PartnerIdentity identity, String reason, String actor, IdentityOutcome outcome) {
        try {
            return ownTransaction.execute(status -> {
                IdentityStates.Step taken = states.revoke(identity.getId(), reason, Instant.now(), identity.getVersion());
                if (taken == IdentityStates.Step.MOVED) {
                    audit.record(actor, IdentityAction.IDENTITY_CUT_OFF, identity.getPartnershipKey(), identity.getId(),
                            reason + proof(outcome));
                }
                return taken;
            });
        } catch (RuntimeException e) {
            log.warn("Registry step of the cut-off of identity {} failed: {}", identity.getId(), e.getMessage());
            return IdentityStates.Step.CHANGED_MEANWHILE;
        }
    }

    /** The identity's revocation as its kind defines it, with its credentials suspected of being in other hands. */
    private IdentityOutcome revokeInKeycloak(PartnerIdentity identity) {
        try {
            IdentityAccess.Revocation done = accesses.of(identity)
                    .revoke(IdentityAccess.Target.of(identity), IdentityAccess.Exposure.SUSPECTED);
            return new IdentityOutcome(identity.getId(), identity.getKind(), done.proven(),
                    done.proven() ? null : "an old secret or an earlier token still works", done.oldSecretRefused(),
                    done.earlierTokenInactive(), false);
        } catch (RuntimeException e) {
            log.warn("Incident cut-off of identity {} failed: {}", identity.getId(), e.getMessage());
            return new IdentityOutcome(identity.getId(), identity.getKind(), false, e.getMessage(), null, null,
                    e instanceof KeycloakUnavailableException);
        }
    }

    private static String proof(IdentityOutcome outcome) {
        if (outcome.oldSecretRefused() == null && outcome.earlierTokenInactive() == null) {
            return "";
        }
        return "; oldSecretRefused=" + outcome.oldSecretRefused() + "; earlierTokenInactive=" + outcome.earlierTokenInactive();
    }
}
