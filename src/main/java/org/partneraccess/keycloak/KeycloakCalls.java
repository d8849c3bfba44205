package org.partneraccess.keycloak;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.function.Supplier;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.admin.client.resource.ServerInfoResource;
import org.springframework.stereotype.Component;

/**
 * The one place where calls to the partner realm's admin API are made and their failures mapped, for every resource
 * class of this package ({@link PartnerUsers}, {@link PartnerClients}, {@link PartnerRealm},
 * {@link PartnerIdentityProviders}). The admin client under it (see {@link KeycloakConfiguration}) holds the
 * connection and read timeouts and times every request ({@link KeycloakRequestMetrics}).
 *
 * <p>A call fails in one of two ways: {@link KeycloakUnavailableException} when trying again later may succeed (5xx,
 * 429, timeouts, refused connections), {@link KeycloakRejectedException} when it cannot (other 4xx). Retrying is left
 * to the job executor. The staff realm's admin client has its failures mapped here too ({@link #mapFailures}).
 */
@Component
public class KeycloakCalls {

    static final int PAGE_SIZE = 100;

    private final Keycloak keycloak;
    private final String realmName;

    KeycloakCalls(Keycloak keycloak, KeycloakProperties properties) {
        this.keycloak = keycloak;
        this.realmName = properties.partnerRealm();
    }

    RealmResource realm() {
        return keycloak.realm(realmName);
    }

    /** What the server runs (features, provider types), as the admin console reads it. */
    ServerInfoResource serverInfo() {
        return keycloak.serverInfo();
    }

    String realmName() {
        return realmName;
    }

    /** Runs a create; the new id, or empty when Keycloak answers 409 Conflict. */
    Optional<String> create(String operation, Supplier<Response> request) {
        try (Response response = call(operation, request)) {
            int status = response.getStatus();
            if (status == 409) {
                return Optional.empty();
            }
            if (status != 201) {
                throw failure(operation, status, null);
            }
            String location = response.getHeaderString("Location");
            if (location == null) {
                throw new KeycloakUnavailableException(operation + ": Keycloak answered 201 without a location", null);
            }
            return Optional.of(location.substring(location.lastIndexOf('/') + 1));
        }
    }

    /** Runs a delete; 404 means someone else already deleted it, which is the outcome we want. */
    void delete(String operation, Supplier<Response> request) {
        try (Response response = call(operation, request)) {
            int status = response.getStatus();
            if (status != 204 && status != 200 && status != 404) {
                throw failure(operation, status, null);
            }
        }
    }

    /** A read whose 404 means "not there": empty. */
    <T> Optional<T> optional(String operation, Supplier<T> request) {
        try {
            return Optional.ofNullable(call(operation, request));
        } catch (KeycloakRejectedException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    void run(String operation, Runnable request) {
        call(operation, () -> {
            request.run();
            return null;
        });
    }

    <T> T call(String operation, Supplier<T> request) {
        return mapFailures(operation, request);
    }

    /** A call of another admin client of this Keycloak (the staff realm's), its failures mapped as {@link #call}'s. */
    public static <T> T mapFailures(String operation, Supplier<T> request) {
        try {
            return request.get();
        } catch (WebApplicationException e) {
            throw failure(operation, e.getResponse().getStatus(), e);
        } catch (ProcessingException e) {
            // a failing token request surfaces wrapped, because the admin client fetches tokens in a request filter
            WebApplicationException http = causeOfType(e, WebApplicationException.class);
            if (http != null) {
                throw failure(operation + " (token request)", http.getResponse().getStatus(), e);
            }
            throw new KeycloakUnavailableException(operation + " failed: Keycloak not reachable ("
                    + transportProblem(e) + ")", e);
        }
    }

    /** As {@link #call}, without the cause: for calls whose request or answer carries a secret. */
    <T> T callWithoutCause(String operation, Supplier<T> request) {
        try {
            return call(operation, request);
        } catch (KeycloakRejectedException e) {
            throw new KeycloakRejectedException(e.getMessage(), e.status(), null);
        } catch (KeycloakUnavailableException e) {
            throw new KeycloakUnavailableException(e.getMessage(), null);
        }
    }

    /** Keycloak answers lists in pages; reads until a page comes back short and keeps what matches. */
    <T> List<T> allPages(String operation, IntFunction<List<T>> page, Predicate<T> keep) {
        List<T> found = new ArrayList<>();
        for (int first = 0; ; first += PAGE_SIZE) {
            int offset = first;
            List<T> items = call(operation, () -> page.apply(offset));
            items.stream().filter(keep).forEach(found::add);
            if (items.size() < PAGE_SIZE) {
                return found;
            }
        }
    }

    private static RuntimeException failure(String operation, int status, Throwable cause) {
        String message = operation + " failed: Keycloak answered HTTP " + status;
        if (KeycloakUnavailableException.comeBackLater(status)) {
            return new KeycloakUnavailableException(message, cause);
        }
        return new KeycloakRejectedException(message, status, cause);
    }

    private static String transportProblem(Throwable e) {
        if (causeOfType(e, SocketTimeoutException.class) != null) {
            return "timed out";
        }
        if (causeOfType(e, ConnectException.class) != null) {
            return "connection refused";
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName();
    }

    private static <E extends Throwable> E causeOfType(Throwable e, Class<E> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
