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

    public StaffBrowser(int port) {
        this.baseUrl = "http://localhost:" + port;
    }

    /** Opens a page of the application and signs in at the staff realm when sent there; returns the page at the end. */
    public HttpResponse<String> signIn(String path, String username, String password) {
        HttpResponse<String> response = follow(session.get(baseUrl + path));
        if (!response.body().contains("name=\"password\"")) {
            throw new IllegalStateException("no login form at " + response.uri() + ":\n" + response.body());
        }
        return follow(session.post(CookieSession.formAction(response.body()), Map.of("username", username, "password", password,
                "credentialId", "")));
    }

    /** One request, no redirect followed. */
    public HttpResponse<String> open(String path) {
        return session.get(baseUrl + path);
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

    public String cookie(String name) {
        return session.cookie(name);
    }
}
