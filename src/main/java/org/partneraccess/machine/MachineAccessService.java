package org.partneraccess.machine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.Optional;
import java.util.stream.Stream;

import org.partneraccess.LifecycleState;
import org.partneraccess.ProcessIds;
import org.partneraccess.audit.AuditLog;
import org.partneraccess.audit.IdentityAction;
import org.partneraccess.decision.Decisions;
import org.partneraccess.RegistryRecord;
import org.partneraccess.inventory.IdentityAccess;
import org.partneraccess.inventory.AccessEndTrigger;
import org.partneraccess.inventory.IdentityKind;
import org.partneraccess.inventory.IdentityLifecycle;
import org.partneraccess.inventory.IdentityStates;
import org.partneraccess.inventory.IdentityUsage;
import org.partneraccess.inventory.PartnerIdentity;
import org.partneraccess.keycloak.PartnerClients;
import org.partneraccess.keycloak.PartnerRealm;
import org.partneraccess.keycloak.PartnerClients.AuthMethod;
import org.partneraccess.keycloak.PartnerClients.MachineClient;
import org.partneraccess.partnership.PartnershipService;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A partner machine's client in Keycloak through its life: provisioned just in time, disabled and re-enabled,
 * rotated, checked for use, elevated for a while, revoked and finally deleted. Every step is safe to repeat: the
 * partnership's bulk service may have done the Keycloak part already, and a failed job is simply run again.
 */
@Service
public class MachineAccessService implements IdentityLifecycle {

    static final String END_DATE_REACHED = "access end date reached";
    /** The states in which a machine's secret is rotated: holding access, or suspended with the client kept. */
    private static final Set<LifecycleState> ROTATABLE = EnumSet.of(LifecycleState.ACTIVE, LifecycleState.UNDER_REVIEW,
            LifecycleState.SUSPENDED);

    /** The partnership is not active: nothing is provisioned for it. */
    public static class PartnershipNotActiveException extends RuntimeException {
        PartnershipNotActiveException(String partnershipKey, LifecycleState state) {
            super("Partnership " + partnershipKey + " is " + state);
        }
    }

    public record LastUse(boolean unused, Instant lastUsedAt, Instant countedFrom) {
    }

    private final MachineRegistrationService registrations;
    private final PartnershipService partnerships;
    private final PartnerClients partnerClients;
    private final PartnerRealm partnerRealm;
    private final SecretHandoverService handovers;
    private final AuditLog audit;
    private final MachineProperties properties;
    private final IdentityUsage usage;
    private final IdentityStates states;
    private final MachineIdentityAccess access;
    private final ApplicationEventPublisher events;

    MachineAccessService(MachineRegistrationService registrations, PartnershipService partnerships,
                         PartnerClients partnerClients, PartnerRealm partnerRealm, SecretHandoverService handovers,
                         AuditLog audit,
                         MachineProperties properties, IdentityUsage usage, IdentityStates states,
                         MachineIdentityAccess access, ApplicationEventPublisher events) {
        this.access = access;
        this.events = events;
        this.usage = usage;
        this.states = states;
        this.registrations = registrations;
        this.partnerships = partnerships;
        this.partnerClients = partnerClients;
        this.partnerRealm = partnerRealm;
        this.handovers = handovers;
        this.audit = audit;
        this.properties = properties;
    }

    /**
     * Creates the machine's own confidential, service-account-only client with exactly the approved scopes and the
     * policy's token lifespan, and marks the machine ACTIVE.
     *
     * @throws PartnershipNotActiveException when the partnership was suspended or ended while the request waited
     */
    @Transactional
    public String provision(String identityId) {
        PartnerIdentity identity = registrations.machine(identityId);
        identity.requireState("provisioning", EnumSet.of(LifecycleState.APPROVED, LifecycleState.ACTIVE));
        LifecycleState partnershipState = partnerships.get(identity.getPartnershipKey()).getState();
        if (partnershipState != LifecycleState.ACTIVE) {
            throw new PartnershipNotActiveException(identity.getPartnershipKey(), partnershipState);
        }
        MachineProfile profile = registrations.profile(identityId);
        String keycloakId = partnerClients.ensureMachineClient(client(identity, profile, identity.getClientScopes()));
        try {
            // the registry step holds the row: an incident cut-off that got there first leaves this client disabled
            states.activate(identityId, keycloakId);
        } catch (RegistryRecord.IllegalTransitionException revokedMeanwhile) {
            // its secret was never handed over
            access.revoke(new IdentityAccess.Target(identityId, keycloakId, identity.getKeycloakName()),
                    IdentityAccess.Exposure.NONE);
            throw revokedMeanwhile;
        }
        profile.activeFrom(Instant.now());
        events.publishEvent(new ProvisioningWaits.Provisioned(identityId));
        audit.record("system", IdentityAction.MACHINE_CLIENT_PROVISIONED, identity.getPartnershipKey(), identityId,
                "client=" + identity.getKeycloakName() + "; scopes=" + new TreeSet<>(identity.getClientScopes())
                        + "; tokenLifespan=" + profile.getTokenLifespanSeconds() + "s; authMethod="
                        + profile.getAuthMethod() + "; dpopBoundTokens=" + profile.isDpopBoundTokens());
        return keycloakId;
    }

    @Transactional
    public void suspend(String identityId, String reason, String actor) {
        PartnerIdentity identity = registrations.machine(identityId);
        access.suspend(IdentityAccess.Target.of(identity));
        if (identity.getState() == LifecycleState.ACTIVE || identity.getState() == LifecycleState.UNDER_REVIEW) {
            states.move(identityId, LifecycleState.SUSPENDED, reason);
        }
        audit.record(actor, IdentityAction.MACHINE_SUSPENDED, identity.getPartnershipKey(), identityId, reason);
    }

    /** Enabled again with exactly the approved scopes: an elevation cut short by the suspension ends here. */
    @Transactional
    public void resume(String identityId, String reason, String actor) {
        PartnerIdentity identity = registrations.machine(identityId);
        // only what was suspended comes back: a revoked client stays disabled whatever reaches this step
        identity.requireState("resumption", EnumSet.of(LifecycleState.SUSPENDED, LifecycleState.ACTIVE));
        // the registry step first, holding the row: a revocation that got there first is not undone in Keycloak
        states.require(identityId, LifecycleState.ACTIVE, null, "resumption");
        access.resume(IdentityAccess.Target.of(identity));
        audit.record(actor, IdentityAction.MACHINE_RESUMED, identity.getPartnershipKey(), identityId, reason);
    }

    /**
     * Disables the client (tokens can no longer be obtained; those issued expire within the short lifespan and fail
     * introspection at once), closes open secret hand-overs and marks the machine REVOKED. After an incident the secret
     * is replaced too, and the step fails (and is tried again) while the old secret or a token taken with it works.
     */
    @Transactional
    public void revoke(String identityId, AccessEndTrigger trigger, String reason, String actor) {
        PartnerIdentity identity = registrations.machine(identityId);
        IdentityAccess.Revocation revocation = access.revokeUnlessRevoked(identity,
                trigger.incident() ? IdentityAccess.Exposure.SUSPECTED : IdentityAccess.Exposure.NONE);
        if (!revocation.proven()) {
            throw new IllegalStateException("Machine " + identityId + ": an old secret or an earlier token still works");
        }
        handovers.closeOpen(identityId);
        states.revoke(identityId, reason, Instant.now());
        audit.record(actor, IdentityAction.MACHINE_REVOKED, identity.getPartnershipKey(), identityId,
                "trigger=" + trigger + "; reason=" + reason);
    }

    /** Revokes the machine because its end date has passed. */
    @Override
    @Transactional
    public void expire(String identityId) {
        revoke(identityId, AccessEndTrigger.ACCESS_ENDED, END_DATE_REACHED, "system");
    }

    @Override
    public IdentityKind kind() {
        return IdentityKind.MACHINE;
    }

    @Override
    public String processDefinitionKey() {
        return ProcessIds.MACHINE_ACCESS_PROCESS;
    }

    /** The process notifies the owner and keeps the disabled client for its retention period. */
    @Override
    public boolean processFollowsEndDateSweep() {
        return true;
    }

    /** Nothing beyond its client's resumption, which counts the machine as in use from then. */
    @Override
    public void resumed(String identityId, Instant at) {
    }

    /** Its named owner, who asked to keep it and answers for what it does. */
    @Override
    public List<String> answerableFor(PartnerIdentity identity, List<String> partnershipOwners) {
        return Collections.singletonList(identity.getOwner());
    }

    /** After the retention period, or at once when a trigger arrives during it. */
    @Transactional
    public void deleteClient(String identityId, String reason) {
        PartnerIdentity identity = registrations.machine(identityId);
        partnerClients.deleteClient(identity.getKeycloakName(), identity.getId());
        audit.record("system", IdentityAction.MACHINE_CLIENT_DELETED, identity.getPartnershipKey(), identityId, reason);
    }

    /** A new secret in Keycloak (the old one is refused from now on); its owner collects it once. */
    @Transactional
    public boolean rotateSecret(String identityId) {
        PartnerIdentity identity = registrations.machine(identityId);
        MachineProfile profile = registrations.profile(identityId);
        if (profile.getAuthMethod() != AuthMethod.CLIENT_SECRET) {
            return false;
        }
        // the registry step first, on the row as committed, holding it: an ended machine gets no new secret (a
        // rotation that waited while an incident cut it off), and a cut-off that read the row before this step sees it
        // changed and cuts the client off again, after the new secret
        states.hold(identityId, ROTATABLE, "secret rotation");
        // before the new secret exists: an older hand-over must not deliver it
        handovers.closeOpen(identityId);
        partnerClients.replaceSecret(identity.getKeycloakName(), identity.getId());
        profile.rotatedAt(Instant.now());
        audit.record("system", IdentityAction.MACHINE_SECRET_ROTATED, identity.getPartnershipKey(), identityId,
                "client=" + identity.getKeycloakName() + "; every " + profile.getRotationDays() + " days");
        return true;
    }

    /**
     * Reads the last token request from Keycloak's CLIENT_LOGIN events and keeps it in the registry (which outlives the
     * realm's event expiry). Unused means: no token for longer than the configured period since the latest of last
     * use, activation and the owner's last confirmation.
     */
    @Transactional
    public LastUse checkLastUse(String identityId) {
        PartnerIdentity identity = registrations.machine(identityId);
        LastUse lastUse = lastUse(identity, Instant.now().minus(properties.unusedAfter()));
        if (lastUse.unused()) {
            audit.record("system", IdentityAction.MACHINE_UNUSED, identity.getPartnershipKey(), identityId,
                    "lastUsedAt=" + lastUse.lastUsedAt() + "; countedFrom=" + lastUse.countedFrom()
                            + "; unusedAfter=" + properties.unusedAfter());
        }
        return lastUse;
    }

    /**
     * Before this instant, a machine not used since was asked about at a use check and its owner's time to answer has
     * passed: a check is due {@code useCheckInterval} after the machine counts as unused at the latest, and the owner
     * then has {@code unusedReviewDeadline}.
     */
    public Instant unusedReviewMissedBefore(Instant now) {
        return now.minus(properties.unusedAfter()).minus(properties.useCheckInterval())
                .minus(properties.unusedReviewDeadline());
    }

    /**
     * Revokes a machine not used since before {@code countedBefore}, from the registry and Keycloak's own record of its
     * last token: what its process does when the owner does not keep it, which holds however the process's use-check
     * or review timers were moved. A machine used meanwhile (its last token is read from Keycloak again first), kept by
     * its owner, or no longer holding access is left as it is.
     *
     * @return whether the machine's access ended now
     */
    @Transactional
    public boolean revokeUnused(String identityId, Instant countedBefore) {
        PartnerIdentity identity = registrations.machine(identityId);
        if (!EnumSet.of(LifecycleState.ACTIVE, LifecycleState.UNDER_REVIEW).contains(identity.getState())
                || !lastUse(identity, countedBefore).unused()) {
            return false;
        }
        revoke(identityId, AccessEndTrigger.UNUSED, unusedReason(), "system");
        return true;
    }

    /** Why an unused machine's access ends, whether its process or the sweep ends it. */
    public String unusedReason() {
        return "no token obtained for " + properties.unusedAfter() + " and the owner did not keep it";
    }

    /** Unused: counted from before {@code countedBefore}; Keycloak's last token event is recorded on the way. */
    private LastUse lastUse(PartnerIdentity identity, Instant countedBefore) {
        MachineProfile profile = registrations.profile(identity.getId());
        Optional<Instant> seen = partnerRealm.lastClientLogin(identity.getKeycloakName());
        seen.ifPresent(at -> usage.recordSeen(identity.getId(), at));
        Instant lastUsedAt = Stream.concat(seen.stream(), Stream.ofNullable(identity.getLastUsedAt()))
                .max(Instant::compareTo).orElse(null);
        Instant countedFrom = Stream.of(lastUsedAt, profile.getActiveSince(), profile.getUseConfirmedAt(),
                identity.getApprovedAt()).filter(java.util.Objects::nonNull).max(Instant::compareTo).orElse(Instant.now());
        return new LastUse(countedFrom.isBefore(countedBefore), lastUsedAt, countedFrom);
    }

    @Transactional
    public void confirmUse(String identityId, String owner, String comment) {
        PartnerIdentity identity = registrations.machine(identityId);
        registrations.profile(identityId).useConfirmedAt(Instant.now());
        audit.record(owner, IdentityAction.MACHINE_USE_CONFIRMED, identity.getPartnershipKey(), identityId, comment);
    }

    /**
     * Grants the recorded, approved elevation request once (see {@link MachineRegistrationService#takeElevationGrant}).
     *
     * @return for how long, as recorded
     */
    @Transactional
    public Duration grantElevation(String identityId) {
        PartnerIdentity identity = registrations.machine(identityId);
        MachineProfile profile = registrations.profile(identityId);
        MachineRegistrationService.ElevationGrant grant = registrations.takeElevationGrant(identityId);
        List<String> scopes = new ArrayList<>(new TreeSet<>(identity.getClientScopes()));
        grant.extraScopes().stream().filter(scope -> !scopes.contains(scope)).forEach(scopes::add);
        partnerClients.ensureMachineClient(client(identity, profile, scopes));
        profile.elevate(grant.extraScopes(), grant.reason());
        audit.record(grant.approvers(), IdentityAction.MACHINE_ELEVATION_GRANTED, identity.getPartnershipKey(), identityId,
                "extraScopes=" + new TreeSet<>(grant.extraScopes()) + "; reason=" + grant.reason());
        return grant.duration();
    }

    @Transactional
    public void removeElevation(String identityId) {
        PartnerIdentity identity = registrations.machine(identityId);
        MachineProfile profile = registrations.profile(identityId);
        if (partnerClients.findClient(identity.getKeycloakName()).isPresent()) {
            partnerClients.ensureMachineClient(client(identity, profile, identity.getClientScopes()));
        }
        Set<String> removed = profile.getElevatedScopes();
        profile.endElevation();
        audit.record("system", IdentityAction.MACHINE_ELEVATION_REMOVED, identity.getPartnershipKey(), identityId,
                "removed=" + new TreeSet<>(removed));
    }

    @Transactional
    public void rejectElevation(String identityId, String processInstanceId) {
        PartnerIdentity identity = registrations.machine(identityId);
        Decisions.Rejection rejection = registrations.elevationRejection(identityId, processInstanceId);
        audit.record(rejection.decidedBy(), IdentityAction.MACHINE_ELEVATION_REJECTED, identity.getPartnershipKey(), identityId,
                rejection.reason());
    }

    static MachineClient client(PartnerIdentity identity, MachineProfile profile, java.util.Collection<String> scopes) {
        // Keycloak keeps 255 characters of a description; the registry has the full purpose
        String purpose = identity.getPurpose().length() > 250 ? identity.getPurpose().substring(0, 250) + "…"
                : identity.getPurpose();
        return new MachineClient(identity.getKeycloakName(), identity.getDisplayName(), purpose,
                identity.getPartnershipKey(), identity.getId(), List.copyOf(new TreeSet<>(scopes)),
                Duration.ofSeconds(profile.getTokenLifespanSeconds()), profile.getAuthMethod(), profile.getJwksUrl(),
                profile.getJwks(), profile.isDpopBoundTokens(),
                profile.credential(identity.getPartnershipKey()).federatedProvider(), profile.getWorkloadSubject());
    }
}
