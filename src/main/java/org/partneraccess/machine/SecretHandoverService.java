package org.partneraccess.machine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;

import org.partneraccess.LifecycleState;
import org.partneraccess.audit.AuditLog;
import org.partneraccess.audit.IdentityAction;
import org.partneraccess.inventory.IdentityKind;
import org.partneraccess.inventory.IdentityRegistry;
import org.partneraccess.inventory.PartnerIdentity;
import org.partneraccess.keycloak.PartnerClients;
import org.partneraccess.keycloak.KeycloakProperties;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Hands a machine's client secret to its owner exactly once. A hand-over is opened with a one-time token that only the
 * owner's mail receives (the registry keeps its hash); the owner presents it with their own staff login, and the secret
 * is read from Keycloak at that moment. The secret is never in a process variable, the registry, a mail or a log.
 */
@Service
public class SecretHandoverService {

    /** What the owner receives, once. */
    public record Handover(String clientId, String clientSecret, String tokenEndpoint) {

        @Override
        public String toString() {
            return "Handover[clientId=" + clientId + ", clientSecret=******, tokenEndpoint=" + tokenEndpoint + "]";
        }
    }

    /** A refused retrieval, with the HTTP status that says why; recorded as evidence. */
    public static class HandoverRefusedException extends RuntimeException {
        private final HttpStatus status;

        HandoverRefusedException(HttpStatus status, String message) {
            super(message);
            this.status = status;
        }

        public HttpStatus status() {
            return status;
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretTicketRepository tickets;
    private final IdentityRegistry identities;
    private final PartnerClients partnerClients;
    private final AuditLog audit;
    private final MachineProperties properties;
    private final String tokenEndpoint;

    SecretHandoverService(SecretTicketRepository tickets, IdentityRegistry identities,
                          PartnerClients partnerClients,
                          AuditLog audit, MachineProperties properties, KeycloakProperties keycloakProperties) {
        this.tickets = tickets;
        this.identities = identities;
        this.partnerClients = partnerClients;
        this.audit = audit;
        this.properties = properties;
        this.tokenEndpoint = keycloakProperties.partnerTokenEndpoint();
    }

    /** Where a secret client asks for its tokens. */
    public String tokenEndpoint() {
        return tokenEndpoint;
    }

    /** Opens a hand-over and returns its one-time token, for the owner's mail only; earlier open ones are closed. */
    @Transactional
    String open(String identityId, SecretTicket.Purpose purpose) {
        closeOpen(identityId);
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Instant now = Instant.now();
        SecretTicket ticket = tickets.save(new SecretTicket(UUID.randomUUID().toString(), identityId, hash(token),
                purpose, now, now.plus(properties.secretRetrievalValidity())));
        PartnerIdentity identity = identities.find(identityId).orElseThrow();
        audit.record("system", IdentityAction.MACHINE_SECRET_HANDOVER_OPENED, identity.getPartnershipKey(), identityId,
                "ticket=" + ticket.getId() + "; purpose=" + purpose + "; expiresAt=" + ticket.getExpiresAt());
        return token;
    }

    /** Closes every open hand-over of the machine, e.g. before its secret is replaced. */
    @Transactional
    public void closeOpen(String identityId) {
        Instant now = Instant.now();
        tickets.findByIdentityIdAndRetrievedAtIsNullAndClosedAtIsNull(identityId).forEach(ticket -> ticket.close(now));
    }

    /**
     * The secret, once, for the machine's owner presenting an open hand-over token.
     *
     * @throws HandoverRefusedException for anyone else, a used, replaced or expired token, or a machine not active;
     *                                  the refusal is recorded
     */
    @Transactional(noRollbackFor = HandoverRefusedException.class)
    public Handover retrieve(String identityId, String token, String caller) {
        PartnerIdentity identity = identities.find(identityId, IdentityKind.MACHINE)
                .orElseThrow(() -> new MachineNotFoundException(identityId));
        Instant now = Instant.now();
        if (!caller.equals(identity.getOwner())) {
            throw refused(identity, caller, HttpStatus.FORBIDDEN, "only the machine's owner collects its secret");
        }
        SecretTicket ticket = token == null ? null : tickets.findByTokenHash(hash(token))
                .filter(found -> found.getIdentityId().equals(identityId)).orElse(null);
        if (ticket == null) {
            throw refused(identity, caller, HttpStatus.FORBIDDEN, "not a hand-over token of this machine");
        }
        if (!ticket.isOpen(now)) {
            throw refused(identity, caller, HttpStatus.GONE, "this hand-over was used, replaced or has expired");
        }
        if (identity.getState() != LifecycleState.ACTIVE) {
            throw refused(identity, caller, HttpStatus.CONFLICT, "the machine is " + identity.getState());
        }
        ticket.retrieved(caller, now);
        // written before the secret is read: of two concurrent retrievals only one gets past this point
        tickets.saveAndFlush(ticket);
        String secret = partnerClients.currentSecret(identity.getKeycloakName())
                .orElseThrow(() -> new IllegalStateException("client " + identity.getKeycloakName() + " has no secret"));
        audit.record(caller, IdentityAction.MACHINE_SECRET_RETRIEVED, identity.getPartnershipKey(), identityId,
                "ticket=" + ticket.getId() + "; purpose=" + ticket.getPurpose());
        return new Handover(identity.getKeycloakName(), secret, tokenEndpoint);
    }

    /**
     * The owner asks for a new secret, e.g. after missing the one-time collection: only the named owner of an ACTIVE
     * secret client. Recorded; the machine's process then replaces the secret and hands the new one over once.
     *
     * @throws HandoverRefusedException for anyone else, a signed-JWT client or a machine not active
     */
    @Transactional(noRollbackFor = HandoverRefusedException.class)
    public void checkRenewal(String identityId, String caller, PartnerClients.AuthMethod authMethod) {
        PartnerIdentity identity = identities.find(identityId, IdentityKind.MACHINE)
                .orElseThrow(() -> new MachineNotFoundException(identityId));
        if (!caller.equals(identity.getOwner())) {
            throw refused(identity, caller, HttpStatus.FORBIDDEN, "only the machine's owner asks for a new secret");
        }
        if (authMethod != PartnerClients.AuthMethod.CLIENT_SECRET) {
            throw refused(identity, caller, HttpStatus.CONFLICT, "the machine signs with its own key; it has no secret");
        }
        if (identity.getState() != LifecycleState.ACTIVE) {
            throw refused(identity, caller, HttpStatus.CONFLICT, "the machine is " + identity.getState());
        }
        audit.record(caller, IdentityAction.MACHINE_SECRET_RENEWAL_REQUESTED, identity.getPartnershipKey(), identityId, null);
    }

    private HandoverRefusedException refused(PartnerIdentity identity, String caller, HttpStatus status, String why) {
        audit.record(caller, IdentityAction.MACHINE_SECRET_RETRIEVAL_REFUSED, identity.getPartnershipKey(), identity.getId(), why);
        return new HandoverRefusedException(status, why);
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
