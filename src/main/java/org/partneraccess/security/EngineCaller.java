package org.partneraccess.security;

import java.util.function.Supplier;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngineServices;
import org.springframework.security.core.Authentication;

/**
 * Runs engine work as the calling staff user, so the engine records the initiator and applies its authorizations.
 * The work is the application's own (validated before it gets here), so the {@link EngineCommandGuard} lets it pass:
 * only calls that reach the engine from outside the application are held to the staff user's allow-list.
 */
public final class EngineCaller {

    private static final ThreadLocal<Boolean> APPLICATION_CALL = new ThreadLocal<>();

    public static <T> T as(IdentityService identity, Authentication caller, Supplier<T> work) {
        identity.setAuthentication(caller.getName(), StaffGroups.groupsOf(caller));
        try {
            return asApplication(work);
        } finally {
            identity.clearAuthentication();
        }
    }

    /**
     * Work whose engine calls must not be limited to the current user's grants (a lookup every caller may make, the
     * application's own steps on a user's request); the user's authentication is restored afterwards.
     */
    public static <T> T withoutAuthentication(IdentityService identity, Supplier<T> work) {
        org.camunda.bpm.engine.impl.identity.Authentication current = identity.getCurrentAuthentication();
        identity.clearAuthentication();
        try {
            return work.get();
        } finally {
            if (current != null) {
                identity.setAuthentication(current);
            }
        }
    }

    /** Engine work of the application itself, whoever is authenticated on this thread. */
    public static <T> T asApplication(Supplier<T> work) {
        Boolean outer = APPLICATION_CALL.get();
        APPLICATION_CALL.set(Boolean.TRUE);
        try {
            return work.get();
        } finally {
            if (outer == null) {
                APPLICATION_CALL.remove();
            }
        }
    }

    /**
     * The staff user on whose command the engine runs this step: the one who started the process, inside the start
     * transaction. Refuses a step that no authenticated user asked for, since a request must name its requester.
     */
    public static String authenticatedUser(ProcessEngineServices engine) {
        org.camunda.bpm.engine.impl.identity.Authentication current =
                engine.getIdentityService().getCurrentAuthentication();
        if (current == null || current.getUserId() == null || current.getUserId().isBlank()) {
            throw new SegregationOfDutiesException("A request must be made by an authenticated staff user");
        }
        return current.getUserId();
    }

    static boolean isApplicationCall() {
        return APPLICATION_CALL.get() != null;
    }

    private EngineCaller() {
    }
}
