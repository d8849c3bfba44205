package org.partneraccess.dashboard;

import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;
import org.partneraccess.audit.AuditController;
import org.partneraccess.receipt.IncidentReceipts;
import org.partneraccess.receipt.ReceiptController;
import org.partneraccess.receipt.SignedReceipt;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.ModelAndView;

/**
 * The incident receipt in the browser, for the auditors and security officers the dashboard's detail pages are for:
 * a page to print or file (no script, nothing loaded) and the same file the API serves, to verify offline.
 */
@Controller
class ReceiptPages {

    static final String RECEIPT_VIEW = "receipt/incident";

    private final IncidentReceipts receipts;

    ReceiptPages(IncidentReceipts receipts) {
        this.receipts = receipts;
    }

    @GetMapping("/dashboard/partnerships/{key}/receipt")
    ModelAndView page(@PathVariable String key, HttpServletResponse response) {
        SignedReceipt signed = signedOrThrow(key);
        response.setHeader("Content-Security-Policy", AuditController.EVIDENCE_PAGE_POLICY);
        response.setHeader("Cache-Control", "no-store");
        return new ModelAndView(RECEIPT_VIEW, Map.of("key", key, "receipt", signed.receipt(), "jws", signed.jws()));
    }

    @GetMapping("/dashboard/partnerships/{key}/receipt.json")
    ResponseEntity<SignedReceipt> file(@PathVariable String key) {
        return ReceiptController.download(signedOrThrow(key), "receipt-" + key + "-incident.json");
    }

    private SignedReceipt signedOrThrow(String key) {
        return receipts.lastIncident(key).orElseThrow(() ->
                new ResponseStatusException(HttpStatus.NOT_FOUND, IncidentReceipts.NO_INCIDENT));
    }
}
