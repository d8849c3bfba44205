package org.partneraccess.support;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A staff member's browser at the application's pages: cookies, redirects followed one by one, and the staff realm's
 * login form filled in as a person would.
 */
public final class StaffBrowser {

    private static final Pattern FORM_ACTION = Pattern.compile("<form[^>]*action=\"([^\"]+)\"", Pattern.DOTALL);
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    /** Kept by hand and by name: the JDK's cookie store does not hand host-only cookies of "localhost" back. */
    private final Map<String, String> cookies = new LinkedHashMap<>();
    private final String baseUrl;

    public StaffBrowser(int port) {
        this.baseUrl = "http://localhost:" + port;
    }

    /** Opens a page of the application and signs in at the staff realm when sent there; returns the page at the end. */
    public HttpResponse<String> signIn(String path, String username, String password) {
        HttpResponse<String> response = follow(get(baseUrl + path));
        if (!response.body().contains("name=\"password\"")) {
            throw new IllegalStateException("no login form at " + response.uri() + ":\n" + response.body());
        }
        return follow(post(unescape(formAction(response.body())), Map.of("username", username, "password", password,
                "credentialId", "")));
    }

    /** One request, no redirect followed. */
    public HttpResponse<String> open(String path) {
        return get(baseUrl + path);
    }

    /** Follows redirects to the end. */
    public HttpResponse<String> follow(HttpResponse<String> response) {
        for (int hop = 0; hop < 10 && response.statusCode() / 100 == 3; hop++) {
            String location = response.headers().firstValue("Location").orElseThrow();
            response = get(response.uri().resolve(location).toString());
        }
        return response;
    }

    /** Posts the page's form with its CSRF token, as the sign-out button does. */
    public HttpResponse<String> submit(String path, String pageWithForm) {
        Matcher csrf = CSRF.matcher(pageWithForm);
        if (!csrf.find()) {
            throw new IllegalStateException("no CSRF token on the page");
        }
        return post(baseUrl + path, Map.of("_csrf", csrf.group(1)));
    }

    public String cookie(String name) {
        return cookies.get(name);
    }

    private HttpResponse<String> get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    private HttpResponse<String> post(String url, Map<String, String> form) {
        String body = form.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        if (!cookies.isEmpty()) {
            request.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("; ")));
        }
        HttpResponse<String> response = Tokens.send(http, request.header("Accept", "text/html").build());
        for (String header : response.headers().allValues("Set-Cookie")) {
            String pair = header.split(";", 2)[0];
            int equals = pair.indexOf('=');
            if (equals > 0) {
                String name = pair.substring(0, equals).trim();
                String value = pair.substring(equals + 1).trim();
                if (value.isEmpty() || header.toLowerCase().contains("max-age=0")) {
                    cookies.remove(name);
                } else {
                    cookies.put(name, value);
                }
            }
        }
        return response;
    }

    private static String formAction(String page) {
        Matcher matcher = FORM_ACTION.matcher(page);
        if (!matcher.find()) {
            throw new IllegalStateException("no form on the page:\n" + page);
        }
        return matcher.group(1);
    }

    private static String unescape(String html) {
        return html.replace("&amp;", "&");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
