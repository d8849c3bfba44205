package org.partneraccess.partnership;

public class PartnershipNotFoundException extends RuntimeException {

    public PartnershipNotFoundException(String partnershipKey) {
        super("No partnership " + partnershipKey);
    }
}
