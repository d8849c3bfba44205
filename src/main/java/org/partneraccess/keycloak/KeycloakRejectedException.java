package org.partneraccess.keycloak;

/** Keycloak refused the request (4xx). Not retryable: the same request would be refused again. */
public class KeycloakRejectedException extends RuntimeException {

    private final int status;

    public KeycloakRejectedException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The HTTP status Keycloak answered with. */
    public int status() {
        return status;
    }
}
