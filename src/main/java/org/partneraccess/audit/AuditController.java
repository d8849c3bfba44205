package org.partneraccess.audit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.ModelAndView;

/** Audit evidence for auditors and security officers: what happened to an identity, and whether the trail is intact. */
@RestController
@PreAuthorize("hasAnyAuthority('GROUP_auditors', 'GROUP_security-officers')")
public class AuditController {

    /** The printable evidence page; also rendered by the dashboard. */
    public static final String EVIDENCE_VIEW = "audit/evidence";
    /** A page that runs no script and loads nothing: it is to be printed or filed as it is. */
    public static final String EVIDENCE_PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; "
            + "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    private final AuditLog audit;
    private final AuditCheckpoints checkpoints;

    AuditController(AuditLog audit, AuditCheckpoints checkpoints) {
        this.audit = audit;
        this.checkpoints = checkpoints;
    }

    @GetMapping("/api/identities/{id}/evidence")
    @Operation(summary = "The audit trail of one identity",
            description = "JSON by default; a printable HTML page with the hashes and a verification verdict with "
                    + "Accept: text/html or ?format=html.",
            responses = @ApiResponse(responseCode = "200", description = "The entries, oldest first", content = {
                    @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            array = @ArraySchema(schema = @Schema(implementation = Evidence.class))),
                    @Content(mediaType = MediaType.TEXT_HTML_VALUE, schema = @Schema(type = "string"))}))
    public List<Evidence> evidenceOf(@PathVariable String id) {
        return audit.ofIdentity(id).stream().map(Evidence::of).toList();
    }

    /** The same evidence as a page an auditor can print or file: no script, hashes in full, and the verdict. */
    @GetMapping(value = "/api/identities/{id}/evidence", produces = MediaType.TEXT_HTML_VALUE)
    @Operation(hidden = true)
    public ModelAndView evidencePage(@PathVariable String id, HttpServletResponse response) {
        return evidenceView(audit.evidenceOf(id), null, response);
    }

    @GetMapping(value = "/api/identities/{id}/evidence", params = "format=html")
    @Operation(hidden = true)
    public ModelAndView evidencePageByParameter(@PathVariable String id, HttpServletResponse response) {
        return evidencePage(id, response);
    }

    /**
     * The evidence page for a report; {@code subject} optionally describes the identity (a map of label to value).
     */
    public static ModelAndView evidenceView(EvidenceReport report, Map<String, Object> subject,
                                            HttpServletResponse response) {
        response.setHeader("Content-Security-Policy", EVIDENCE_PAGE_POLICY);
        response.setHeader("Cache-Control", "no-store");
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("report", report);
        model.put("subject", subject == null ? Map.of() : subject);
        return new ModelAndView(EVIDENCE_VIEW, model);
    }

    /**
     * Recomputes every hash chain against the newest signed checkpoint; names the first entry that was changed, whose
     * predecessor is gone, or that a checkpoint signed as a chain's head and is gone.
     */
    @GetMapping("/api/audit/verification")
    public Map<String, Object> verify() {
        AuditLog.Verification verification = audit.verify();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("intact", verification.intact());
        if (!verification.intact()) {
            result.put("firstBrokenEntry", verification.firstBrokenEntry());
            result.put("problem", verification.problem());
        }
        result.put("entriesChecked", verification.entriesChecked());
        result.put("checkpoint", verification.checkpoint());
        result.put("checkedAt", verification.checkedAt());
        return result;
    }

    @GetMapping("/api/audit/checkpoint")
    @Operation(summary = "The newest signed checkpoint of the audit trail",
            description = "Every chain's head (position, hash, entry) as of its time, by their digest, and the legacy "
                    + "segment's head, signed with the receipts' key: a receipt file ({\"receipt\", \"jws\"}) that "
                    + "`java -jar partner-access.jar verify-receipt FILE --keys KEYS` checks offline; 404 before the "
                    + "first.")
    public ResponseEntity<?> checkpoint() {
        return checkpoints.newestSigned().<ResponseEntity<?>>map(signed -> ResponseEntity.ok()
                        .contentType(MediaType.APPLICATION_JSON).cacheControl(CacheControl.noStore())
                        .header("Content-Disposition", "attachment; filename=\"audit-checkpoint.json\"").body(signed))
                .orElseGet(() -> ResponseEntity.status(HttpStatus.NOT_FOUND).body(ProblemDetail.forStatusAndDetail(
                        HttpStatus.NOT_FOUND, "No audit checkpoint has been made yet")));
    }
}
