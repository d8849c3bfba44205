package org.partneraccess.inventory;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.hibernate.engine.spi.SessionImplementor;
import org.hibernate.persister.entity.EntityPersister;
import org.partneraccess.LifecycleState;
import org.partneraccess.RegistryRecord.IllegalTransitionException;
import org.partneraccess.audit.AuditLog;
import org.partneraccess.audit.IdentityAction;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one guarded step by which a partner identity's state moves ({@link IdentityTransitions}): a conditional update
 * ({@code … where state in (allowed from-states)}) that also moves the row's version, so it cannot lose to a concurrent
 * writer, and a writer still holding the old row fails its optimistic save instead of undoing it. The update holds the
 * row until its transaction ends: a step of another transaction on the same row waits and then sees the outcome.
 */
@Service
public class IdentityStates {

    /** The audit action of a step the table does not allow; recorded even though the caller's work is rolled back. */
    public static final String TRANSITION_REFUSED = IdentityAction.IDENTITY_TRANSITION_REFUSED.name();

    /** What became of a step. */
    public enum Step {
        /** the row moved (a repeated step, such as ACTIVE to ACTIVE, moves its version too) */
        MOVED,
        /** the row is in the target state already and cannot move there again (REVOKED): nothing to do */
        ALREADY_THERE,
        /** the row changed since the version the caller read, though it may still move: read it again */
        CHANGED_MEANWHILE,
        /** the row's state does not allow the move (audited when refused through {@link #require}) */
        REFUSED
    }

    @PersistenceContext
    private EntityManager entityManager;
    private final AuditLog audit;
    private final TransactionTemplate ownTransaction;

    IdentityStates(AuditLog audit, PlatformTransactionManager transactions) {
        this.audit = audit;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** Moves the identity to {@code to} if its state allows it, whatever version it has. */
    @Transactional
    public Step move(String identityId, LifecycleState to, String reason) {
        return step(identityId, to, reason, null, null, IdentityTransitions.allowedFrom(to), "");
    }

    /**
     * Revokes the identity, but only if its row is still at {@code expectedVersion} (the row the caller acted on in
     * Keycloak): a row changed meanwhile may hold something the caller did not cut off.
     */
    @Transactional
    public Step revoke(String identityId, String reason, Instant at, long expectedVersion) {
        return step(identityId, LifecycleState.REVOKED, reason, at, expectedVersion,
                IdentityTransitions.allowedFrom(LifecycleState.REVOKED), "");
    }

    /** Revokes the identity from any state that holds or awaits access. */
    @Transactional
    public Step revoke(String identityId, String reason, Instant at) {
        return step(identityId, LifecycleState.REVOKED, reason, at, null,
                IdentityTransitions.allowedFrom(LifecycleState.REVOKED), "");
    }

    /**
     * Provisioned: ACTIVE, bound to its Keycloak object. Refused (and audited) when the identity left the states that
     * allow it meanwhile, e.g. revoked by an incident while Keycloak created the object: the caller must then not
     * enable anything.
     */
    @Transactional
    public void activate(String identityId, String keycloakId) {
        entityManager.flush();
        int moved = entityManager.createQuery("update PartnerIdentity i set i.state = :to, i.stateReason = null,"
                        + " i.keycloakId = :keycloakId, i.version = i.version + 1, i.updatedAt = :now"
                        + " where i.id = :id and i.state in :from")
                .setParameter("to", LifecycleState.ACTIVE).setParameter("keycloakId", keycloakId)
                .setParameter("now", Instant.now()).setParameter("id", identityId)
                .setParameter("from", IdentityTransitions.allowedFrom(LifecycleState.ACTIVE)).executeUpdate();
        if (moved == 0) {
            throw refused(identityId, LifecycleState.ACTIVE, "provisioning",
                    IdentityTransitions.allowedFrom(LifecycleState.ACTIVE));
        }
        refreshManaged(identityId);
    }

    /**
     * Moves the identity or refuses: a state that does not allow the move is audited ({@link #TRANSITION_REFUSED}) and
     * answered with {@link IllegalTransitionException}, so the caller's work is rolled back and nothing is enabled.
     */
    @Transactional
    public void require(String identityId, LifecycleState to, String reason, String action) {
        require(identityId, to, reason, action, IdentityTransitions.allowedFrom(to));
    }

    /**
     * As {@link #require(String, LifecycleState, String, String)} for an action that may start from fewer states than
     * the table allows (a recertification is not a resumption): only from those of {@code from} the table allows.
     */
    @Transactional
    public void require(String identityId, LifecycleState to, String reason, String action, Set<LifecycleState> from) {
        Step step = step(identityId, to, reason, null, null, narrowed(to, from), "");
        if (step != Step.MOVED) {
            throw refused(identityId, to, action, narrowed(to, from));
        }
    }

    /**
     * Holds the row for an action that changes what the identity holds without moving its state (a secret rotation),
     * taken before the action reaches Keycloak: refused and audited unless the row is in one of {@code in} now, as
     * committed, not as the caller loaded it. Its version moves, so a concurrent cut-off that read the row before sees
     * it changed and cuts off again, after this action; one after it waits for this transaction and then acts.
     */
    @Transactional
    public void hold(String identityId, Set<LifecycleState> in, String action) {
        entityManager.flush();
        int held = in.isEmpty() ? 0 : entityManager.createQuery("update PartnerIdentity i set i.version = i.version + 1,"
                        + " i.updatedAt = :now where i.id = :id and i.state in :in")
                .setParameter("now", Instant.now()).setParameter("id", identityId).setParameter("in", in).executeUpdate();
        if (held == 0) {
            throw refused(identityId, null, action, in);
        }
        refreshManaged(identityId);
    }

    /** Approved by {@code approvers} (recorded on the row with the moment), from a request; refused and audited else. */
    @Transactional
    public void approve(String identityId, String approvers, Instant at) {
        Step step = step(identityId, LifecycleState.APPROVED, null, null, null,
                IdentityTransitions.allowedFrom(LifecycleState.APPROVED),
                ", i.approvedBy = :approvers, i.approvedAt = :approvedAt",
                Map.of("approvers", approvers, "approvedAt", at));
        if (step != Step.MOVED) {
            throw refused(identityId, LifecycleState.APPROVED, "approval",
                    IdentityTransitions.allowedFrom(LifecycleState.APPROVED));
        }
    }

    private static Set<LifecycleState> narrowed(LifecycleState to, Set<LifecycleState> from) {
        Set<LifecycleState> allowed = EnumSet.noneOf(LifecycleState.class);
        allowed.addAll(IdentityTransitions.allowedFrom(to));
        allowed.retainAll(from);
        return allowed;
    }

    private Step step(String identityId, LifecycleState to, String reason, Instant at, Long expectedVersion,
                      Set<LifecycleState> from, String alsoSet) {
        return step(identityId, to, reason, at, expectedVersion, from, alsoSet, Map.of());
    }

    private Step step(String identityId, LifecycleState to, String reason, Instant at, Long expectedVersion,
                      Set<LifecycleState> from, String alsoSet, Map<String, Object> alsoParameters) {
        if (from.isEmpty()) {
            return currentState(identityId).orElseThrow(() -> new IdentityNotFoundException(identityId)) == to
                    && !IdentityTransitions.allowed(to, to) ? Step.ALREADY_THERE : Step.REFUSED;
        }
        entityManager.flush();
        String revokedAt = to == LifecycleState.REVOKED ? ", i.revokedAt = :at" : "";
        String version = expectedVersion == null ? "" : " and i.version = :version";
        var update = entityManager.createQuery("update PartnerIdentity i set i.state = :to, i.stateReason = :reason,"
                        + " i.version = i.version + 1, i.updatedAt = :now" + revokedAt + alsoSet
                        + " where i.id = :id and i.state in :from" + version)
                .setParameter("to", to).setParameter("reason", reason).setParameter("now", Instant.now())
                .setParameter("id", identityId).setParameter("from", from);
        if (to == LifecycleState.REVOKED) {
            update.setParameter("at", at == null ? Instant.now() : at);
        }
        if (expectedVersion != null) {
            update.setParameter("version", expectedVersion);
        }
        alsoParameters.forEach(update::setParameter);
        if (update.executeUpdate() == 1) {
            refreshManaged(identityId);
            return Step.MOVED;
        }
        LifecycleState now = currentState(identityId)
                .orElseThrow(() -> new IdentityNotFoundException(identityId));
        if (from.contains(now)) {
            return Step.CHANGED_MEANWHILE;
        }
        return now == to && !IdentityTransitions.allowed(to, to) ? Step.ALREADY_THERE : Step.REFUSED;
    }

    /** The state as committed (or as this transaction wrote it), not as a loaded entity remembers it. */
    private Optional<LifecycleState> currentState(String identityId) {
        List<LifecycleState> found = entityManager.createQuery(
                        "select i.state from PartnerIdentity i where i.id = :id", LifecycleState.class)
                .setParameter("id", identityId).getResultList();
        return found.stream().findFirst();
    }

    /** A loaded row would otherwise be saved later with its old version and state. */
    private void refreshManaged(String identityId) {
        SessionImplementor session = entityManager.unwrap(SessionImplementor.class);
        EntityPersister persister = session.getFactory().getMappingMetamodel().getEntityDescriptor(PartnerIdentity.class);
        Object loaded = session.getPersistenceContextInternal().getEntity(session.generateEntityKey(identityId, persister));
        if (loaded != null) {
            entityManager.refresh(loaded);
        }
    }

    private IllegalTransitionException refused(String identityId, LifecycleState to, String action,
                                               Set<LifecycleState> from) {
        LifecycleState now = currentState(identityId).orElseThrow(() -> new IdentityNotFoundException(identityId));
        String partnershipKey = entityManager.createQuery(
                        "select i.partnershipKey from PartnerIdentity i where i.id = :id", String.class)
                .setParameter("id", identityId).getSingleResult();
        String why = to == null ? "PartnerIdentity is " + now + ": no " + action + " (only in " + from + ")"
                : "PartnerIdentity is " + now + " and cannot become " + to + " (" + action + "; only from " + from + ")";
        // the caller's transaction is rolled back: the refusal is evidence of its own
        ownTransaction.executeWithoutResult(status -> audit.record("system", IdentityAction.IDENTITY_TRANSITION_REFUSED, partnershipKey,
                identityId, why));
        return new IllegalTransitionException(why);
    }
}
