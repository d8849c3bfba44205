package org.partneraccess.machine;

import java.time.Instant;
import java.util.Optional;

import org.keycloak.representations.idm.ClientRepresentation;
import org.partneraccess.inventory.IdentityAccess;
import org.partneraccess.inventory.IdentityKind;
import org.partneraccess.inventory.PartnerIdentity;
import org.partneraccess.keycloak.KeycloakAttributes;
import org.partneraccess.keycloak.PartnerClients;
import org.partneraccess.keycloak.TokenProbe;
import org.springframework.stereotype.Component;

/** A machine's access in Keycloak: its own client in the partner realm. */
@Component
public class MachineIdentityAccess implements IdentityAccess {

    private static final String CLIENT_SECRET = "client-secret";

    private final PartnerClients partnerClients;
    private final TokenProbe probe;
    private final MachineRegistrationService registrations;

    public MachineIdentityAccess(PartnerClients partnerClients, TokenProbe probe,
                                 MachineRegistrationService registrations) {
        this.partnerClients = partnerClients;
        this.probe = probe;
        this.registrations = registrations;
    }

    @Override
    public IdentityKind kind() {
        return IdentityKind.MACHINE;
    }

    /** Disabled, with the client's not-before moved to now in the same update: every token issued until now is dead. */
    @Override
    public Shown shown(String keycloakName) {
        return partnerClients.findClient(keycloakName).map(client -> new Shown(true,
                Boolean.TRUE.equals(client.isEnabled()), null, client.getNotBefore() == null || client.getNotBefore() == 0
                        ? null : Instant.ofEpochSecond(client.getNotBefore()))).orElse(Shown.GONE);
    }

    @Override
    public void suspend(Target target) {
        client(target).ifPresent(client -> partnerClients.disableClient(client, target.identityId()));
    }

    /**
     * Set back to exactly the approved scopes (an elevation cut short by the suspension ends here) and enabled; the
     * machine counts as in use from now. Runs inside the caller's transaction, which holds the registry step.
     */
    @Override
    public void resume(Target target) {
        if (target.keycloakId() == null) {
            return; // nothing was provisioned
        }
        PartnerIdentity identity = registrations.machine(target.identityId());
        MachineProfile profile = registrations.profile(target.identityId());
        partnerClients.ensureMachineClient(MachineAccessService.client(identity, profile, identity.getClientScopes()));
        partnerClients.enableClient(identity.getKeycloakName(), identity.getId());
        profile.endElevation();
        profile.activeFrom(Instant.now());
    }

    /**
     * Disabled as by {@link #suspend}; when exposure is suspected a shared secret is replaced too (the new one
     * forgotten), and the old secret and a token taken with it just before are tried afterwards: both must be refused.
     * They exist only in this method. The client is read once, by the id the registry holds.
     */
    @Override
    public Revocation revoke(Target target, Exposure exposure) {
        Optional<ClientRepresentation> found = client(target);
        if (found.isEmpty()) {
            return Revocation.PLAIN;
        }
        ClientRepresentation client = found.get();
        boolean replace = exposure == Exposure.SUSPECTED && CLIENT_SECRET.equals(client.getClientAuthenticatorType());
        String clientId = client.getClientId();
        Optional<String> oldSecret = replace ? PartnerClients.sharedSecret(client) : Optional.empty();
        Optional<String> earlierToken = oldSecret.flatMap(secret -> probe.clientCredentials(clientId, secret));
        partnerClients.disableClient(client, target.identityId());
        if (replace) {
            partnerClients.replaceSecret(client);
        }
        Boolean oldSecretRefused = oldSecret.map(secret -> probe.clientCredentials(clientId, secret).isEmpty()).orElse(null);
        Boolean earlierTokenInactive = earlierToken.map(token -> !probe.active(token)).orElse(null);
        return new Revocation(replace, oldSecretRefused, earlierTokenInactive);
    }

    @Override
    public void delete(Target target) {
        partnerClients.deleteClient(target.keycloakName(), target.identityId());
    }

    /**
     * The client with the recorded id, refused (409) when it does not carry the identity; without a recorded id, the
     * one found by client id that carries it (provisioning creates it before the registry step that records it).
     */
    private Optional<ClientRepresentation> client(Target target) {
        if (target.keycloakId() != null) {
            Optional<ClientRepresentation> found = partnerClients.findClientById(target.keycloakId());
            found.ifPresent(client -> PartnerClients.requireBound(client, target.identityId()));
            return found;
        }
        return Optional.ofNullable(target.keycloakName()).flatMap(partnerClients::findClient)
                .filter(client -> KeycloakAttributes.isBound(client.getAttributes(), target.identityId()));
    }
}
