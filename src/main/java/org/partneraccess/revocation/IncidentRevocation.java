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

import org.keycloak.representations.idm.ClientRepresentation;
import org.partneraccess.LifecycleState;
import org.partneraccess.audit.AuditLog;
import org.partneraccess.inventory.IdentityKind;
import org.partneraccess.inventory.PartnerIdentity;
import org.partneraccess.inventory.PartnerIdentityRepository;
import org.partneraccess.keycloak.KeycloakGateway;
import org.partneraccess.keycloak.TokenProbe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Cuts off every identity of a partnership at once: the Keycloak calls for all identities run in parallel on a bounded
 * pool, inside the one job of the incident (see docs/incident-revocation.md). An identity whose calls fail is reported,
 * not hidden; the rest are revoked regardless, and the process tries the failed ones again.
 */
@Service
public class IncidentRevocation {

    /** What became of one identity; the proof flags are null where they do not apply. */
    public record IdentityOutcome(String identityId, IdentityKind kind, boolean revoked, String failure,
                                  Boolean oldSecretRefused, Boolean earlierTokenInactive) {
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

    private final PartnerIdentityRepository identities;
    private final KeycloakGateway keycloak;
    private final TokenProbe probe;
    private final AuditLog audit;
    private final ExecutorService pool;

    IncidentRevocation(PartnerIdentityRepository identities, KeycloakGateway keycloak, TokenProbe probe,
                       AuditLog audit, @Qualifier(RevocationConfiguration.POOL) ExecutorService pool) {
        this.identities = identities;
        this.keycloak = keycloak;
        this.probe = probe;
        this.audit = audit;
        this.pool = pool;
    }

    /** Revokes what is not revoked yet; identities revoked by an earlier attempt are left as they are. */
    @Transactional
    public Outcome cutOff(String partnershipKey, String reason, String actor) {
        List<PartnerIdentity> open = identities.findByPartnershipKeyAndStateInOrderById(partnershipKey, LifecycleState.notEnded());
        List<CompletableFuture<IdentityOutcome>> calls = new ArrayList<>();
        for (PartnerIdentity identity : open) {
            calls.add(CompletableFuture.supplyAsync(() -> revokeInKeycloak(identity), pool));
        }
        List<IdentityOutcome> outcomes = calls.stream().map(CompletableFuture::join).toList();
        Instant now = Instant.now();
        Map<String, PartnerIdentity> byId = new LinkedHashMap<>();
        open.forEach(identity -> byId.put(identity.getId(), identity));
        for (IdentityOutcome outcome : outcomes) {
            if (outcome.revoked()) {
                byId.get(outcome.identityId()).revoke(reason, now);
                audit.record(actor, "IDENTITY_CUT_OFF", partnershipKey, outcome.identityId(), reason + proof(outcome));
            }
        }
        return new Outcome(outcomes, now);
    }

    /**
     * One identity's cut-off when no running process can take its incident (its instance suspended or deleted through
     * the engine's API) while it holds access; empty when it holds none.
     */
    @Transactional
    public Optional<IdentityOutcome> cutOffWithoutProcess(String identityId, String reason, String actor) {
        Optional<PartnerIdentity> holding = identities.findById(identityId)
                .filter(identity -> HOLDING_ACCESS.contains(identity.getState()));
        holding.ifPresent(identity -> audit.record(actor, "INCIDENT_PROCESS_UNAVAILABLE", identity.getPartnershipKey(),
                identityId, "the identity's process cannot act on the report (suspended, missing or a step of it suspended): "
                        + "cut off from the registry"));
        return holding.map(identity -> {
            IdentityOutcome outcome = revokeInKeycloak(identity);
            if (outcome.revoked()) {
                identity.revoke(reason, Instant.now());
                audit.record(actor, "IDENTITY_CUT_OFF", identity.getPartnershipKey(), identityId, reason + proof(outcome));
            }
            return outcome;
        });
    }

    private IdentityOutcome revokeInKeycloak(PartnerIdentity identity) {
        try {
            if (identity.getKeycloakId() == null) {
                return new IdentityOutcome(identity.getId(), identity.getKind(), true, null, null, null);
            }
            if (identity.getKind() == IdentityKind.HUMAN) {
                keycloak.disableUser(identity.getKeycloakId(), identity.getId());
                keycloak.logoutUser(identity.getKeycloakId());
                return new IdentityOutcome(identity.getId(), identity.getKind(), true, null, null, null);
            }
            return cutOffClient(identity);
        } catch (RuntimeException e) {
            log.warn("Incident cut-off of identity {} failed: {}", identity.getId(), e.getMessage());
            return new IdentityOutcome(identity.getId(), identity.getKind(), false, e.getMessage(), null, null);
        }
    }

    /**
     * Disables the client and replaces its secret, discarding the new one. With a shared secret, the old secret and
     * a token taken with it just before are tried afterwards: both must be refused. They exist only in this method.
     * Six calls for a secret client, two without one: the client is read once, by the id the registry holds.
     */
    private IdentityOutcome cutOffClient(PartnerIdentity identity) {
        Optional<ClientRepresentation> found = keycloak.findClientById(identity.getKeycloakId());
        if (found.isEmpty()) {
            return new IdentityOutcome(identity.getId(), identity.getKind(), true, null, null, null);
        }
        ClientRepresentation client = found.get();
        KeycloakGateway.requireBound(client, identity.getId());
        String clientId = client.getClientId();
        Optional<String> oldSecret = KeycloakGateway.sharedSecret(client);
        Optional<String> earlierToken = oldSecret.flatMap(secret -> probe.clientCredentials(clientId, secret));
        keycloak.disableClient(client, identity.getId());
        if (oldSecret.isPresent()) {
            keycloak.replaceSecret(client);
        }
        Boolean oldSecretRefused = oldSecret.map(secret -> probe.clientCredentials(clientId, secret).isEmpty()).orElse(null);
        Boolean earlierTokenInactive = earlierToken.map(token -> !probe.active(token)).orElse(null);
        boolean proven = !Boolean.FALSE.equals(oldSecretRefused) && !Boolean.FALSE.equals(earlierTokenInactive);
        return new IdentityOutcome(identity.getId(), identity.getKind(), proven,
                proven ? null : "an old secret or an earlier token still works", oldSecretRefused, earlierTokenInactive);
    }

    private static String proof(IdentityOutcome outcome) {
        if (outcome.oldSecretRefused() == null && outcome.earlierTokenInactive() == null) {
            return "";
        }
        return "; oldSecretRefused=" + outcome.oldSecretRefused() + "; earlierTokenInactive=" + outcome.earlierTokenInactive();
    }
}
