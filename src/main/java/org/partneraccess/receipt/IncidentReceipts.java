package org.partneraccess.receipt;

import static org.partneraccess.receipt.SignedReceipt.entries;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.partneraccess.inventory.IdentityInventory;
import org.partneraccess.inventory.IdentityView;
import org.springframework.stereotype.Service;

/**
 * The receipt of a partnership's last incident: who reported it and when, how each identity was cut off with its
 * proof, the verification's verdict, how long a token issued before the cut-off could still be accepted by a resource
 * server that validates JWTs without asking Keycloak, and the audit entries (id and chain hash) it rests on. Signed, so
 * an auditor or the partner can check it without trusting our database.
 */
@Service
public class IncidentReceipts {

    /** Said wherever the last incident's receipt is asked for and there was none. */
    public static final String NO_INCIDENT = "No incident was reported for this partnership";

    private final RevocationProof proofs;
    private final IdentityInventory inventory;
    private final ResidualExposure exposure;
    private final ReceiptSigner signer;

    IncidentReceipts(RevocationProof proofs, IdentityInventory inventory, ResidualExposure exposure, ReceiptSigner signer) {
        this.proofs = proofs;
        this.inventory = inventory;
        this.exposure = exposure;
        this.signer = signer;
    }

    /** Empty when the partnership had no incident; {@link ReceiptSigningUnavailableException} without a key. */
    public Optional<SignedReceipt> lastIncident(String partnershipKey) {
        Map<String, IdentityView> identities = new HashMap<>();
        inventory.ofPartnership(partnershipKey).forEach(identity -> identities.put(identity.id(), identity));
        RevocationProof.Proof proof = proofs.of(partnershipKey, identities);
        if (proof == null) {
            return Optional.empty();
        }
        return Optional.of(SignedReceipt.of(receipt(partnershipKey, proof, identities), signer));
    }

    private Map<String, Object> receipt(String partnershipKey, RevocationProof.Proof proof,
                                        Map<String, IdentityView> identities) {
        Map<String, Object> receipt = new LinkedHashMap<>();
        receipt.put("type", "incident-cut-off");
        receipt.put("partnership", partnershipKey);
        receipt.put("issuedAt", Instant.now());
        receipt.put("reported", entries("at", proof.reportedAt(), "by", proof.reportedBy(), "report", proof.report()));
        receipt.put("identities", proof.identities().stream().map(cutOff -> entries("id", cutOff.identityId(),
                "kind", cutOff.kind(), "name", cutOff.name(), "cutOffAt", cutOff.cutOffAt(), "by", cutOff.by(),
                "proof", cutOff.detail())).toList());
        // the partnership's identity provider, cut off before the identities; empty without a workload trust
        receipt.put("workloadTrust", proof.trust().stream().map(cutOff -> entries("id", cutOff.trustId(),
                "action", cutOff.action(), "at", cutOff.at(), "by", cutOff.by(), "proof", cutOff.detail())).toList());
        receipt.put("verification", entries("at", proof.verifiedAt(), "verified", proof.verified(),
                "result", proof.verification()));
        receipt.put("residualExposure", exposure.of(proof.identities().stream()
                .map(cutOff -> new ResidualExposure.Ended(identities.get(cutOff.identityId()), cutOff.cutOffAt())).toList()));
        receipt.put("auditEntries", proof.basis().stream().map(entry -> entries("id", entry.getId(),
                "action", entry.getAction(), "occurredAt", entry.getOccurredAt(), "hash", entry.getHash())).toList());
        return receipt;
    }
}
