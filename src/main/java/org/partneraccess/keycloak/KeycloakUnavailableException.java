package org.partneraccess.keycloak;

/**
 * Keycloak could not be reached or failed on its side (5xx, timeout, refused connection).
 * Retryable: the job executor's retry cycle is expected to try again.
 */
public class KeycloakUnavailableException extends RuntimeException {

    public KeycloakUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
