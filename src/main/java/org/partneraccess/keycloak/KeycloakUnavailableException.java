package org.partneraccess.keycloak;

/**
 * Keycloak, the partner or the staff realm, could not be reached or failed on its side (5xx, timeout, refused
 * connection). Retryable: the job executor's retry cycle is expected to try again; an API request is answered 503.
 */
public class KeycloakUnavailableException extends RuntimeException {

    /**
     * When a request answered 503 for it may ask again: several read timeouts later, so that retrying clients do not add
     * to an outage.
     */
    public static final String RETRY_AFTER_SECONDS = "30";

    public KeycloakUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether Keycloak's answer with this status asks to come back later: a 5xx, or 429. */
    public static boolean comeBackLater(int status) {
        return status >= 500 || status == 429;
    }
}
