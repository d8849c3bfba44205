package org.partneraccess.receipt;

import java.util.Map;

import io.swagger.v3.oas.annotations.Operation;
import org.partneraccess.security.SecurityConfiguration;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Signed revocation receipts for auditors and security officers, and the public keys that verify them. */
@RestController
public class ReceiptController {

    private final IncidentReceipts receipts;
    private final AccessEndedReceipts accessEnded;
    private final ReceiptSigner signer;

    ReceiptController(IncidentReceipts receipts, AccessEndedReceipts accessEnded, ReceiptSigner signer) {
        this.receipts = receipts;
        this.accessEnded = accessEnded;
        this.signer = signer;
    }

    @GetMapping("/api/partnerships/{key}/receipts/incident")
    @PreAuthorize("hasAnyAuthority('GROUP_auditors', 'GROUP_security-officers')")
    @Operation(summary = "The signed receipt of the partnership's last incident",
            description = "The receipt (what was reported, each identity's cut-off and proof, the verification, the "
                    + "residual exposure, the audit entries it rests on) and a JWS over exactly that JSON, verifiable "
                    + "offline with `java -jar partner-access.jar verify-receipt FILE --keys KEYS` and the keys at "
                    + SecurityConfiguration.RECEIPT_KEYS_PATH + ".")
    public ResponseEntity<?> incident(@PathVariable String key) {
        return receipts.lastIncident(key)
                .<ResponseEntity<?>>map(signed -> download(signed, "receipt-" + key + "-incident.json"))
                .orElseGet(() -> problem(HttpStatus.NOT_FOUND, IncidentReceipts.NO_INCIDENT));
    }

    @GetMapping("/api/partnerships/{key}/receipts/access-ended")
    @PreAuthorize("hasAnyAuthority('GROUP_auditors', 'GROUP_security-officers')")
    @Operation(summary = "The signed receipt that every access of the partnership ended (termination, contract end)",
            description = "Each identity with its registry state, the audit entry that revoked it and what Keycloak "
                    + "shows when the receipt is issued; 409 naming the identities that still hold access.")
    public ResponseEntity<?> partnershipAccessEnded(@PathVariable String key) {
        return served(accessEnded.ofPartnership(key), "receipt-" + key + "-access-ended.json",
                "No identity was ever requested for this partnership");
    }

    @GetMapping("/api/identities/{id}/receipt")
    @PreAuthorize("hasAnyAuthority('GROUP_auditors', 'GROUP_security-officers')")
    @Operation(summary = "The signed receipt that one identity's access ended",
            description = "As for a partnership, for one person or machine; 409 while it holds access.")
    public ResponseEntity<?> identityAccessEnded(@PathVariable String id) {
        return accessEnded.ofIdentity(id).<ResponseEntity<?>>map(outcome -> served(outcome,
                        "receipt-" + id + "-access-ended.json", "No such identity"))
                .orElseGet(() -> problem(HttpStatus.NOT_FOUND, "No such identity"));
    }

    @GetMapping(SecurityConfiguration.RECEIPT_KEYS_PATH)
    @Operation(summary = "The public keys that verify receipts (a JWK set); needs no token")
    public Map<String, Object> keys() {
        return signer.publicKeys();
    }

    @ExceptionHandler(ReceiptSigningUnavailableException.class)
    ResponseEntity<ProblemDetail> unavailable(ReceiptSigningUnavailableException e) {
        return problem(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
    }

    private static ResponseEntity<?> served(AccessEndedReceipts.Outcome outcome, String file, String none) {
        if (!outcome.stillHolding().isEmpty()) {
            return problem(HttpStatus.CONFLICT, "Access has not ended: " + outcome.stillHolding().size()
                    + " identities still hold or may be given access: " + String.join(", ", outcome.stillHolding()));
        }
        return outcome.receipt().<ResponseEntity<?>>map(signed -> download(signed, file))
                .orElseGet(() -> problem(HttpStatus.NOT_FOUND, none));
    }

    /** A receipt as a file to keep: JSON whatever the client asks for (a browser's link sends Accept: text/html). */
    public static ResponseEntity<SignedReceipt> download(SignedReceipt signed, String file) {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).cacheControl(CacheControl.noStore())
                .header("Content-Disposition", "attachment; filename=\"" + file + "\"").body(signed);
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail) {
        return ResponseEntity.status(status).body(ProblemDetail.forStatusAndDetail(status, detail));
    }
}
