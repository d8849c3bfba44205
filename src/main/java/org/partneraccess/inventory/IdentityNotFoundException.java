package org.partneraccess.inventory;

public class IdentityNotFoundException extends RuntimeException {

    public IdentityNotFoundException(String identityId) {
        super("No partner identity " + identityId);
    }
}
