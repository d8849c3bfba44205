package org.partneraccess.receipt;

import static org.partneraccess.receipt.SignedReceipt.entries;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.partneraccess.LifecycleState;
import org.partneraccess.audit.AuditEvent;
import org.partneraccess.audit.AuditLog;
import org.partneraccess.audit.IdentityAction;
import org.partneraccess.inventory.IdentityAccess;
import org.partneraccess.inventory.IdentityAccesses;
import org.partneraccess.inventory.IdentityInventory;
import org.partneraccess.inventory.IdentityView;
import org.springframework.stereotype.Service;

/**
 * The receipt that access ended, after a termination, a contract's end or one identity's end of access: each identity
 * with its registry state, the audit entry that revoked it, and what Keycloak shows at the moment of issue (the user
 * disabled and without sessions, the client disabled with its not-before after every token it issued, or the object
 * gone). Read live, so the receipt proves the state in Keycloak, not only what the registry believes.
 */
@Service
public class AccessEndedReceipts {

    /** The audit actions that end an identity's access, whichever path took it. */
    static final IdentityAction[] REVOCATIONS = {IdentityAction.IDENTITY_CUT_OFF, IdentityAction.IDENTITY_REVOKED,
            IdentityAction.MACHINE_REVOKED};

    /** A receipt, or the identities that still hold (or may still be given) access, when it cannot be issued. */
    public record Outcome(Optional<SignedReceipt> receipt, List<String> stillHolding) {
    }

    private final IdentityInventory inventory;
    private final AuditLog audit;
    private final IdentityAccesses accesses;
    private final ResidualExposure exposure;
    private final ReceiptSigner signer;

    AccessEndedReceipts(IdentityInventory inventory, AuditLog audit, IdentityAccesses accesses,
                        ResidualExposure exposure, ReceiptSigner signer) {
        this.inventory = inventory;
        this.audit = audit;
        this.accesses = accesses;
        this.exposure = exposure;
        this.signer = signer;
    }

    /** Every identity of the partnership; no receipt while any of them holds access. */
    public Outcome ofPartnership(String partnershipKey) {
        return issue("partnership", partnershipKey, inventory.ofPartnership(partnershipKey));
    }

    /** One identity; empty when it does not exist. */
    public Optional<Outcome> ofIdentity(String identityId) {
        return inventory.find(identityId).map(identity -> issue("identity", identityId, List.of(identity)));
    }

    private Outcome issue(String scope, String subject, List<IdentityView> identities) {
        List<String> holding = identities.stream().filter(identity -> LifecycleState.notEnded().contains(identity.state()))
                .map(IdentityView::id).toList();
        if (!holding.isEmpty() || identities.isEmpty()) {
            return new Outcome(Optional.empty(), holding);
        }
        List<Map<String, Object>> lines = new ArrayList<>();
        List<ResidualExposure.Ended> ended = new ArrayList<>();
        List<Map<String, Object>> basis = new ArrayList<>();
        boolean verified = true;
        for (IdentityView identity : identities) {
            Optional<AuditEvent> revocation = audit.ofIdentity(identity.id()).stream()
                    .filter(entry -> entry.is(REVOCATIONS)).reduce((first, second) -> second);
            revocation.ifPresent(entry -> basis.add(entries("id", entry.getId(), "action", entry.getAction(),
                    "occurredAt", entry.getOccurredAt(), "hash", entry.getHash())));
            Map<String, Object> inKeycloak = inKeycloak(identity);
            verified &= Boolean.TRUE.equals(inKeycloak.get("cutOff"));
            Instant endedAt = identity.revokedAt() != null ? identity.revokedAt()
                    : revocation.map(AuditEvent::getOccurredAt).orElse(null);
            ended.add(new ResidualExposure.Ended(identity, endedAt));
            lines.add(entries("id", identity.id(), "kind", identity.kind().name(), "name", identity.displayName(),
                    "state", identity.state().name(), "reason", identity.stateReason(), "endedAt", endedAt,
                    "revokedBy", revocation.map(AuditEvent::getActor).orElse(null), "keycloak", inKeycloak));
        }
        Map<String, Object> receipt = new LinkedHashMap<>();
        receipt.put("type", "access-ended");
        receipt.put(scope, subject);
        receipt.put("issuedAt", Instant.now());
        receipt.put("identities", lines);
        receipt.put("verification", entries("verified", verified, "what",
                "read from Keycloak when the receipt was issued: every user disabled without sessions, every client "
                        + "disabled with its not-before after its tokens, or the object gone"));
        receipt.put("residualExposure", exposure.of(ended));
        receipt.put("auditEntries", basis);
        return new Outcome(Optional.of(SignedReceipt.of(receipt, signer)), List.of());
    }

    /** What Keycloak shows of the identity now; {@code cutOff} says whether that is access ended. */
    private Map<String, Object> inKeycloak(IdentityView identity) {
        IdentityAccess.Shown shown = identity.keycloakName() == null ? IdentityAccess.Shown.GONE
                : accesses.of(identity.kind()).shown(identity.keycloakName());
        if (!shown.exists()) {
            return entries("exists", false, "cutOff", true);
        }
        Map<String, Object> line = entries("exists", true, "enabled", shown.enabled());
        if (shown.sessions() != null) {
            line.put("sessions", shown.sessions());
        } else {
            line.put("notBefore", shown.notBefore());
        }
        line.put("cutOff", shown.cutOff());
        return line;
    }
}
