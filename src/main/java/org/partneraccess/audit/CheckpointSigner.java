package org.partneraccess.audit;

import java.util.Map;
import java.util.Optional;

/**
 * Signs the audit trail's checkpoints with the key the application signs receipts with, and checks them; implemented
 * where that key is kept, so the audit trail needs no secret of its own.
 */
public interface CheckpointSigner {

    /** The signed file auditors keep ({@code receipt}: the statement, {@code jws}); empty without a signing key. */
    Optional<String> sign(Map<String, Object> statement);

    /** What is wrong with a signed file (its signature, or the statement shown against the one signed); null when it holds. */
    String problem(String signedFile);

    /** Whether the key was made at this start (development): checkpoints of an earlier run cannot verify with it. */
    boolean keyMadeAtStart();
}
