package org.partneraccess.receipt;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/** No key to sign receipts with: outside development one must be configured. */
@ResponseStatus(HttpStatus.SERVICE_UNAVAILABLE)
public class ReceiptSigningUnavailableException extends RuntimeException {

    ReceiptSigningUnavailableException() {
        super("No receipt signing key is configured (RECEIPT_SIGNING_KEY)");
    }
}
