package org.partneraccess.support;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A staff member's browser at the application's pages: cookies, redirects followed one by one, and the staff realm's
 * login form filled in as a person would.
 */
public final class StaffBrowser {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

    private final CookieSession session = new CookieSession(Map.of("Accept", "text/html"));
    private final String baseUrl;
    private String username;
    private String password;

    public StaffBrowser(int port) {
        this.baseUrl = "http://localhost:" + port;
    }

    /**
     * Opens a page of the application and signs in at the staff realm when sent there (the password, and the demo
     * user's one-time code when the page steps the user up); returns the page at the end.
     */
    public HttpResponse<String> signIn(String path, String username, String password) {
        HttpResponse<String> first = session.get(baseUrl + path);
        if (first.statusCode() / 100 != 3) {
            throw new IllegalStateException("no sign-in at " + path + ": " + first.statusCode());
        }
        this.username = username;
        this.password = password;
        return session.signIn(first, username, password);
    }

    /**
     * One request, no redirect followed; but a page that steps the signed-in user up is followed through the staff
     * realm's one-time code, as the person would, and opened again.
     */
    public HttpResponse<String> open(String path) {
        HttpResponse<String> response = session.get(baseUrl + path);
        if (username != null && response.statusCode() == 302 && response.headers().firstValue("Location").orElse("")
                .contains("/oauth2/authorization/staff?acr=")) {
            return session.signIn(response, username, password);
        }
        return response;
    }

    /** Follows redirects to the end. */
    public HttpResponse<String> follow(HttpResponse<String> response) {
        for (int hop = 0; hop < 10 && response.statusCode() / 100 == 3; hop++) {
            String location = response.headers().firstValue("Location").orElseThrow();
            response = session.get(response.uri().resolve(location).toString());
        }
        return response;
    }

    /** Posts the page's form with its CSRF token, as the sign-out button does. */
    public HttpResponse<String> submit(String path, String pageWithForm) {
        Matcher csrf = CSRF.matcher(pageWithForm);
        if (!csrf.find()) {
            throw new IllegalStateException("no CSRF token on the page");
        }
        return session.post(baseUrl + path, Map.of("_csrf", csrf.group(1)));
    }

    /** Posts these fields with the CSRF token of {@code pageWithForm}, a page of this browser's own session. */
    public HttpResponse<String> submit(String path, String pageWithForm, Map<String, String> fields) {
        Matcher csrf = CSRF.matcher(pageWithForm);
        if (!csrf.find()) {
            throw new IllegalStateException("no CSRF token on the page");
        }
        Map<String, String> form = new java.util.LinkedHashMap<>(fields);
        form.put("_csrf", csrf.group(1));
        return session.post(baseUrl + path, form);
    }

    /** Posts these fields as they are, without a CSRF token unless one is among them. */
    public HttpResponse<String> post(String path, Map<String, String> fields) {
        return session.post(baseUrl + path, fields);
    }

    /** A call of the Camunda webapps' script: JSON, with their CSRF token (cookie {@code XSRF-TOKEN}) as a header. */
    public HttpResponse<String> webappCall(String method, String path, String json) {
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(baseUrl + path))
                .header("Accept", "application/json")
                .method(method, json == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        String csrf = session.cookie("XSRF-TOKEN");
        if (csrf != null) {
            request.header("X-XSRF-TOKEN", csrf);
        }
        return session.send(request);
    }

    public String cookie(String name) {
        return session.cookie(name);
    }
}
