package org.partneraccess.security;

import java.util.Optional;

import org.camunda.bpm.engine.impl.identity.IdentityProviderException;
import org.partneraccess.keycloak.KeycloakUnavailableException;

/**
 * Keycloak not answering, as an engine command meets it: the application's own calls raise
 * {@link KeycloakUnavailableException} (a delegate's or listener's staff lookup, the partner realm's calls); the identity
 * plugin's own lookups (a task query by candidate user, Tasklist's user profiles) raise its
 * {@link IdentityProviderException} around the I/O error or the 5xx. The engine, MyBatis or a REST resource may wrap
 * either. Nothing failed on this side: the engine's APIs answer 503 ({@link EngineRefusals}), and the engine does not log
 * it as its own error ({@link OutageLoggingPlugin}).
 */
final class IdentityProviderOutage {

    /** The engine REST API's error {@code type}: names the condition, as the {@code /api}'s problem type does. */
    static final String TYPE = "IdentityProviderUnavailable";
    /** Says what happened and what to do, and nothing of the inside (no server, no exception). */
    static final String MESSAGE =
            "The identity provider (Keycloak) did not answer; the request was not completed. Send it again later.";
    private static final int MAX_CAUSES = 16;

    private IdentityProviderOutage() {
    }

    /** Why the failure is Keycloak's (for the log: it may name the server), or empty when it is not. */
    static Optional<String> in(Throwable failure) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < MAX_CAUSES; depth++, cause = cause.getCause()) {
            if (cause instanceof KeycloakUnavailableException unavailable) {
                return Optional.of(unavailable.getMessage());
            }
            if (cause instanceof IdentityProviderException plugin) {
                return StaffDirectory.unavailable(plugin).map(Throwable::getMessage);
            }
        }
        return Optional.empty();
    }
}
