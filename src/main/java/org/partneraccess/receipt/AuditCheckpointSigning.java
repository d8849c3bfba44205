package org.partneraccess.receipt;

import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.partneraccess.ReceiptVerifier;
import org.partneraccess.audit.CheckpointSigner;
import org.springframework.stereotype.Component;

/**
 * The audit trail's checkpoints are signed like receipts, with the same key, and kept as receipt files: auditors check
 * one offline with {@code verify-receipt} and the published keys, as they check a receipt.
 */
@Component
class AuditCheckpointSigning implements CheckpointSigner {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ReceiptSigner signer;

    AuditCheckpointSigning(ReceiptSigner signer) {
        this.signer = signer;
    }

    @Override
    public Optional<String> sign(Map<String, Object> statement) {
        try {
            return Optional.of(JSON.writeValueAsString(SignedReceipt.of(statement, signer)));
        } catch (ReceiptSigningUnavailableException e) {
            return Optional.empty();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String problem(String signedFile) {
        try {
            ReceiptVerifier.Verdict verdict = ReceiptVerifier.verify(signedFile,
                    JSON.writeValueAsString(signer.publicKeys()));
            return verdict.valid() ? null : verdict.problem();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean keyMadeAtStart() {
        return signer.madeAtStart();
    }
}
