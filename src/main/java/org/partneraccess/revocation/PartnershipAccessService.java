package org.partneraccess.revocation;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;

import io.micrometer.core.annotation.Timed;
import org.partneraccess.LifecycleState;
import org.partneraccess.ProcessIds;
import org.partneraccess.Variables;
import org.partneraccess.audit.AuditLog;
import org.partneraccess.audit.PartnershipAction;
import org.partneraccess.audit.IdentityAction;
import org.partneraccess.inventory.AccessEndTrigger;
import org.partneraccess.inventory.IdentityAccess;
import org.partneraccess.inventory.IdentityAccesses;
import org.partneraccess.inventory.IdentityLifecycles;
import org.partneraccess.inventory.IdentityProcesses;
import org.partneraccess.inventory.IdentityRegistry;
import org.partneraccess.inventory.IdentityStates;
import org.partneraccess.inventory.PartnerIdentity;
import org.partneraccess.partnership.Partnership;
import org.partneraccess.partnership.PartnershipService;
import org.partneraccess.trust.WorkloadTrusts;
import org.partneraccess.partnership.PartnershipWithoutProcess;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Suspends, resumes and revokes every identity of a partnership in Keycloak, then in the registry; the partnership's
 * workload trust first, so that its identity provider refuses every federated machine of the partner at once.
 * Keycloak calls are idempotent, so a failed run is simply retried by the engine: the registry changes roll back
 * and the calls that did succeed are harmless to repeat.
 */
@Service
public class PartnershipAccessService implements PartnershipWithoutProcess {

    /** How long cutting a partnership off takes, Keycloak included; tagged by method (suspend, cutOff, revoke). */
    public static final String REVOCATION_TIMER = "partner.access.revocation";

    private static final EnumSet<LifecycleState> HOLDING_ACCESS =
            EnumSet.of(LifecycleState.ACTIVE, LifecycleState.UNDER_REVIEW);
    /** Why a partnership whose recertification was missed is suspended: the reason the process's own deadline gives. */
    public static final String RECERTIFICATION_MISSED = "recertification missed";
    private static final String SYSTEM = "system";

    private final IdentityRegistry identities;
    private final PartnershipService partnerships;
    private final IdentityAccesses accesses;
    private final AuditLog audit;
    private final IdentityProcessRelay relay;
    private final IncidentRevocation incidents;
    private final IdentityLifecycles lifecycles;
    private final IdentityStates states;
    private final WorkloadTrusts trusts;

    PartnershipAccessService(IdentityRegistry identities, PartnershipService partnerships,
                             IdentityAccesses accesses, AuditLog audit, IdentityProcessRelay relay,
                             IncidentRevocation incidents, IdentityLifecycles lifecycles, IdentityStates states,
                             WorkloadTrusts trusts) {
        this.states = states;
        this.trusts = trusts;
        this.identities = identities;
        this.partnerships = partnerships;
        this.accesses = accesses;
        this.audit = audit;
        this.relay = relay;
        this.incidents = incidents;
        this.lifecycles = lifecycles;
    }

    /**
     * Disables every identity that holds access and suspends the partnership; its people's and machines' processes wait
     * for the resumption. A partnership suspended already (from the registry, by the expiry sweep, before its process
     * got there) keeps its suspension, its reason and its evidence: the process catching up changes nothing.
     */
    @Transactional
    @Timed(value = REVOCATION_TIMER, histogram = true)
    public void suspend(String partnershipKey, String reason, String actor) {
        boolean suspendedAlready = partnerships.get(partnershipKey).getState() == LifecycleState.SUSPENDED;
        // the partner's workload issuer first: one call refuses every federated machine of the partner
        trusts.suspend(partnershipKey, reason, actor);
        for (PartnerIdentity identity : identities.of(partnershipKey, HOLDING_ACCESS)) {
            accesses.of(identity).suspend(IdentityAccess.Target.of(identity));
            if (states.move(identity.getId(), LifecycleState.SUSPENDED, reason) == IdentityStates.Step.MOVED) {
                audit.record(actor, IdentityAction.IDENTITY_SUSPENDED, partnershipKey, identity.getId(), reason);
            }
        }
        if (suspendedAlready) {
            return;
        }
        partnerships.moveTo(partnershipKey, LifecycleState.SUSPENDED, reason, actor);
        relay.forward(partnershipKey, IdentityProcesses.Message.suspended(reason, actor));
    }

    /**
     * Suspends a partnership whose review fell due at or before {@code dueBy} and that was not recertified since (a
     * recertification moves the review date forward), from the registry alone, through {@link #suspend} with the
     * process's own reason, as the system: the process's deadline does the same, and whatever happened to the process
     * (a postponed review or deadline timer, a deleted instance) this still holds. Its process, when it runs, is told
     * in the same transaction, so that it waits for the resumption as after its own deadline. A partnership whose row
     * says otherwise by now (recertified meanwhile, suspended, ended) is left as it is.
     *
     * @return whether the partnership was suspended now
     */
    @Transactional
    public boolean suspendUnrecertified(String partnershipKey, Instant dueBy) {
        Partnership partnership = partnerships.get(partnershipKey);
        Instant due = partnership.getNextReviewAt();
        if (!HOLDING_ACCESS.contains(partnership.getState()) || due == null || due.isAfter(dueBy)) {
            return false;
        }
        suspend(partnershipKey, RECERTIFICATION_MISSED, SYSTEM);
        relay.toPartnershipProcess(partnershipKey, ProcessIds.MESSAGE_PARTNERSHIP_SUSPENDED,
                trigger(Variables.SUSPENSION_REASON, RECERTIFICATION_MISSED, SYSTEM));
        return true;
    }

    /**
     * Tells the partnership's process of its suspension for a missed review when it did not hear of it: the sweep
     * suspended the partnership while an administrator held its process instance suspended in the engine, and the
     * instance, active again, still runs its active period. Told now, it waits for the resumption as after its own
     * deadline; its suspension step finds everything suspended already (no second suspension) and sends the notice.
     * Told once: a process past its active period no longer takes the message, and a partnership whose row says
     * otherwise by now (resumed, ended) is left as it is.
     *
     * @return whether the process took the suspension now
     */
    @Transactional
    public boolean tellUnrecertifiedSuspension(String partnershipKey) {
        Partnership partnership = partnerships.get(partnershipKey);
        if (partnership.getState() != LifecycleState.SUSPENDED
                || !RECERTIFICATION_MISSED.equals(partnership.getStateReason())
                || !relay.toPartnershipProcess(partnershipKey, ProcessIds.MESSAGE_PARTNERSHIP_SUSPENDED,
                        trigger(Variables.SUSPENSION_REASON, RECERTIFICATION_MISSED, SYSTEM))) {
            return false;
        }
        audit.record(SYSTEM, PartnershipAction.SUSPENSION_PROCESS_CAUGHT_UP, partnershipKey, null, "suspended (" + RECERTIFICATION_MISSED
                + ") while its process ran on as active (its instance held suspended in the engine): told now, the"
                + " process waits for the resumption");
        return true;
    }

    @Transactional
    public void resume(String partnershipKey, String reason, String actor) {
        partnerships.get(partnershipKey).requireState("resumption", EnumSet.of(LifecycleState.SUSPENDED));
        Instant now = Instant.now();
        trusts.resume(partnershipKey, reason, actor);
        for (PartnerIdentity identity : identities.of(partnershipKey, EnumSet.of(LifecycleState.SUSPENDED))) {
            // the registry step first, holding the row: an identity revoked meanwhile (an incident) stays disabled
            if (states.move(identity.getId(), LifecycleState.ACTIVE, null) != IdentityStates.Step.MOVED) {
                continue;
            }
            accesses.of(identity).resume(IdentityAccess.Target.of(identity));
            // a person's process starts a whole review interval again
            lifecycles.of(identity.getKind()).resumed(identity.getId(), now);
            audit.record(actor, IdentityAction.IDENTITY_RESUMED, partnershipKey, identity.getId(), reason);
        }
        partnerships.moveTo(partnershipKey, LifecycleState.ACTIVE, reason, actor);
        // the process starts a whole review interval again: so does the registry, whose date the sweep reads
        partnerships.restartReviewInterval(partnershipKey, now);
        relay.forward(partnershipKey, IdentityProcesses.Message.resumed(reason, actor));
    }

    /**
     * After an incident every identity is revoked at once, each committed on its own (see {@link IncidentRevocation});
     * the partnership itself is suspended until resumed or revoked, and its people and machines are requested again
     * after the incident. Repeated for what failed, so the partnership moves only the first time. Its identity
     * processes are told afterwards ({@link #tellIdentitiesOfIncident}), so that their jobs do not run ahead of the
     * verification.
     */
    @Transactional
    @Timed(value = REVOCATION_TIMER, histogram = true)
    public IncidentRevocation.Outcome cutOff(String partnershipKey, String reason, String actor) {
        trusts.revokeForIncident(partnershipKey, reason, actor);
        IncidentRevocation.Outcome outcome = incidents.cutOff(partnershipKey, reason, actor);
        if (partnerships.get(partnershipKey).getState() != LifecycleState.SUSPENDED) {
            partnerships.moveTo(partnershipKey, LifecycleState.SUSPENDED, reason, actor);
        }
        return outcome;
    }

    /**
     * Each identity process of the partnership follows the cut-off: it announces what the cut-off revoked without
     * calling Keycloak again, and revokes what the cut-off could not as well. Each is told in a transaction of its own,
     * so none can fail the caller; a process not waiting for the message (ended already) is left alone.
     *
     * @return how many identity processes took the message
     */
    public int tellIdentitiesOfIncident(String partnershipKey, String reason, String actor) {
        return relay.forwardEach(partnershipKey,
                IdentityProcesses.Message.accessEnds(AccessEndTrigger.PARTNER_INCIDENT, reason, actor, false));
    }

    /**
     * The incident cut-off when the partnership holds access but no running process can act on the report: its
     * instance was suspended or deleted through the engine's API, a step it would run is suspended, or a suspended
     * partnership's process comes from a model before suspended partnerships took reports. Incident response never
     * depends on the engine: the cut-off runs here, from the registry, and the audit says why.
     *
     * @return the outcome; empty when the partnership holds nothing to cut off
     */
    @Transactional
    public java.util.Optional<IncidentRevocation.Outcome> cutOffWithoutProcess(String partnershipKey, String reason,
                                                                               String actor) {
        if (!holdsAccess(partnershipKey, partnerships.get(partnershipKey).getState())) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(cutOffFromRegistry(partnershipKey, reason, actor,
                "the partnership's process cannot act on the report (suspended, missing, from an earlier model or a "
                        + "step of it suspended): cut off from the registry"));
    }

    /** Whether the partnership is suspended and every identity of it has ended: an incident has nothing to cut off. */
    @Transactional(readOnly = true)
    public boolean suspendedWithNothingHeld(String partnershipKey) {
        LifecycleState state = partnerships.get(partnershipKey).getState();
        return state == LifecycleState.SUSPENDED && !holdsAccess(partnershipKey, state);
    }

    /**
     * Whether an incident has anything of the partnership to cut off. A suspension only disables: its people and
     * machines keep credentials a resumption would enable again, until they end.
     */
    private boolean holdsAccess(String partnershipKey, LifecycleState state) {
        return HOLDING_ACCESS.contains(state)
                || state == LifecycleState.SUSPENDED && !identities.notEndedOf(partnershipKey).isEmpty();
    }

    private IncidentRevocation.Outcome cutOffFromRegistry(String partnershipKey, String reason, String actor,
                                                          String why) {
        audit.record(actor, PartnershipAction.INCIDENT_PROCESS_UNAVAILABLE, partnershipKey, null, why);
        IncidentRevocation.Outcome outcome = cutOff(partnershipKey, reason, actor);
        tellIdentitiesOfIncident(partnershipKey, reason, actor);
        return outcome;
    }

    /**
     * The termination when the partnership's process no longer runs (deleted, or suspended through the engine's API):
     * offboarding never depends on the engine, so the partnership and every identity of it are revoked here, from the
     * registry, through {@link #revoke}, and the audit says why.
     */
    @Override
    @Transactional
    public boolean terminate(String partnershipKey, String reason, String actor) {
        if (!LifecycleState.notEnded().contains(partnerships.get(partnershipKey).getState())) {
            return false;
        }
        audit.record(actor, PartnershipAction.TERMINATION_PROCESS_UNAVAILABLE, partnershipKey, null,
                "the partnership's process did not take the termination (suspended or missing): revoked from the registry");
        revoke(partnershipKey, reason, actor);
        return true;
    }

    @Transactional
    @Timed(value = REVOCATION_TIMER, histogram = true)
    public void revoke(String partnershipKey, String reason, String actor) {
        Instant now = Instant.now();
        trusts.revoke(partnershipKey, reason, actor);
        for (PartnerIdentity identity : identities.notEndedOf(partnershipKey)) {
            accesses.of(identity).revoke(IdentityAccess.Target.of(identity), IdentityAccess.Exposure.NONE);
            if (states.revoke(identity.getId(), reason, now) == IdentityStates.Step.MOVED) {
                audit.record(actor, IdentityAction.IDENTITY_REVOKED, partnershipKey, identity.getId(), reason);
            }
        }
        partnerships.moveTo(partnershipKey, LifecycleState.REVOKED, reason, actor);
        relay.forward(partnershipKey,
                IdentityProcesses.Message.accessEnds(AccessEndTrigger.PARTNERSHIP_TERMINATED, reason, actor, false));
    }

    private static Map<String, Object> trigger(String reasonVariable, String reason, String actor) {
        return Map.of(reasonVariable, reason, Variables.TRIGGERED_BY, actor);
    }
}
