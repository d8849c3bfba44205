package org.partneraccess.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The two doors a staff user has to the engine, for attack tests: {@code /engine-rest} with the user's own bearer
 * token, and the webapps' session API ({@code /camunda/api/engine/...}) with the user's own webapp session and its CSRF
 * token: Tasklist's for most, Cockpit's for an auditor and a Camunda administrator, who work there. Tokens and sessions
 * are kept per user.
 */
public final class EngineDoors {

    /** The two doors to the engine: a bearer token on the engine REST API, a webapp session on its own API. */
    public enum Via { ENGINE_REST, TASKLIST_SESSION }

    public static final String TASKLIST_ENGINE = "/camunda/api/engine/engine/default";
    /** Who signs in to Cockpit rather than Tasklist: the auditor reads there, the administrator operates there. */
    /** The demo realm's Camunda administrator, who works in Cockpit. */
    public static final String ADMINISTRATOR = "adam.admin";
    private static final Set<String> COCKPIT_USERS = Set.of("alice.auditor", ADMINISTRATOR);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, CachedToken> tokens = new ConcurrentHashMap<>();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final int port;
    private final String keycloakUrl;

    public EngineDoors(int port, String keycloakUrl) {
        this.port = port;
        this.keycloakUrl = keycloakUrl;
    }

    /** One call to the engine as this user, through the engine REST API or through the Tasklist session API. */
    public HttpResponse<String> call(Via via, String user, String method, String path, Object body) {
        String json;
        try {
            json = body == null ? null : JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
        if (via == Via.TASKLIST_SESSION) {
            return signIn(user).send(method, TASKLIST_ENGINE + path, json);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + "/engine-rest" + path))
                .header("Accept", "application/json").header("Authorization", "Bearer " + token(user));
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        return Tokens.send(http, request.build());
    }

    /** One call as the Camunda administrator {@code adam.admin}: with a token, or signed in to Cockpit. */
    public HttpResponse<String> asAdministrator(Via via, String method, String path, Object body) {
        return call(via, ADMINISTRATOR, method, path, body);
    }

    /**
     * A deployment as Camunda Modeler's Deploy dialog sends it (multipart, the file under its own name), as this user
     * through the engine REST API or through the webapps' session API.
     */
    public HttpResponse<String> deploy(Via via, String user, Map<String, String> fields, String file, String content) {
        ModelerDeployment.Multipart multipart = ModelerDeployment.multipart(fields, file, content);
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.ofByteArray(multipart.body());
        if (via == Via.TASKLIST_SESSION) {
            return signIn(user).send("POST", TASKLIST_ENGINE + "/deployment/create", multipart.contentType(), body);
        }
        return Tokens.send(http, HttpRequest.newBuilder(URI.create(base() + "/engine-rest/deployment/create"))
                .header("Accept", "application/json").header("Authorization", "Bearer " + token(user))
                .header("Content-Type", multipart.contentType()).POST(body).build());
    }

    /** A token obtained elsewhere (e.g. a client's), used as is for this name: it is not renewed. */
    public void useToken(String name, String token) {
        tokens.put(name, new CachedToken(token, Instant.now(), false));
    }

    /** The user's staff access token, renewed before it gets old. */
    public String token(String user) {
        CachedToken cached = tokens.get(user);
        if (cached == null || cached.at().isBefore(Instant.now().minusSeconds(120))) {
            if (cached != null && !cached.renewable()) {
                throw new IllegalStateException("the token given for " + user + " is older than two minutes");
            }
            cached = new CachedToken(Tokens.staff(keycloakUrl, user), Instant.now(), true);
            tokens.put(user, cached);
        }
        return cached.value();
    }

    /** Signs the user in to the webapps, once; a user who cannot sign in ends the test. */
    public Session signIn(String user) {
        return sessions.computeIfAbsent(user, name -> new Session(name,
                COCKPIT_USERS.contains(name) ? "cockpit" : "tasklist"));
    }

    private String base() {
        return "http://localhost:" + port;
    }

    private record CachedToken(String value, Instant at, boolean renewable) {
    }

    /**
     * A browser's session with the Camunda webapps: signed in to the application the user's groups open, cookies kept
     * by name (the JDK's cookie store does not hand host-only cookies of "localhost" back), the CSRF token sent as the
     * webapps' own script sends it. A lost session or a missing CSRF token ends the test: it would look like a refusal.
     */
    public final class Session {
        private final CookieSession browser = new CookieSession(Map.of());
        private final String user;

        /** Signed in as the person's own browser is once they have signed in at the realm with the second factor. */
        Session(String user, String app) {
            this.user = user;
            browser.adopt(StaffSignIn.realmCookies(keycloakUrl, user));
            HttpResponse<String> page = browser.signIn(browser.send(HttpRequest.newBuilder(
                    URI.create(base() + "/camunda/app/" + app + "/default/")).header("Accept", "text/html").GET()), user, Tokens.DEMO_PASSWORD);
            if (page.statusCode() != 200 || browser.cookie("XSRF-TOKEN") == null) {
                throw new IllegalStateException(user + " cannot sign in to " + app + ": " + page.statusCode() + " at "
                        + page.uri());
            }
            HttpResponse<String> me = exchange(HttpRequest.newBuilder(
                    URI.create(base() + "/camunda/api/admin/auth/user/default")).header("Accept", "application/json").GET());
            if (me.statusCode() != 200 || !me.body().contains("\"" + user + "\"")) {
                throw new IllegalStateException(user + "'s session is not signed in: " + me.statusCode() + " " + me.body());
            }
        }

        public HttpResponse<String> send(String method, String path, String json) {
            return json == null ? send(method, path, null, HttpRequest.BodyPublishers.noBody())
                    : send(method, path, "application/json", HttpRequest.BodyPublishers.ofString(json));
        }

        /** @param contentType the body's type, or null for a request without a body */
        public HttpResponse<String> send(String method, String path, String contentType, HttpRequest.BodyPublisher body) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path)).header("Accept", "application/json");
            if (contentType != null) {
                request.header("Content-Type", contentType);
            }
            request.method(method, body);
            HttpResponse<String> answer = exchange(request);
            if (answer.statusCode() == 401 || answer.headers().firstValue("X-XSRF-TOKEN").orElse("").equals("Required")) {
                throw new IllegalStateException(user + "'s webapp session was not accepted (" + answer.statusCode()
                        + "): the attack " + method + " " + path + " was not tried");
            }
            return answer;
        }

        /** With the webapps' CSRF header, as their own script sends it. */
        private HttpResponse<String> exchange(HttpRequest.Builder request) {
            Optional.ofNullable(browser.cookie("XSRF-TOKEN")).ifPresent(token -> request.header("X-XSRF-TOKEN", token));
            synchronized (browser) {
                return browser.send(request);
            }
        }
    }
}
