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
 * What a browser keeps between pages, for test helpers that walk HTML login flows: cookies, no redirect followed on
 * its own, form posts.
 */
final class CookieSession {

    private static final Pattern FORM_ACTION = Pattern.compile("<form[^>]*action=\"([^\"]+)\"", Pattern.DOTALL);

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    /** Kept by hand and by name: the JDK's cookie store does not hand host-only cookies of "localhost" back. */
    private final Map<String, String> cookies = new LinkedHashMap<>();
    private final Map<String, String> headers;

    /** @param headers sent with every request, e.g. the {@code Accept} a browser sends */
    CookieSession(Map<String, String> headers) {
        this.headers = Map.copyOf(headers);
    }

    HttpResponse<String> get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    HttpResponse<String> post(String url, Map<String, String> form) {
        String body = form.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /**
     * Follows redirects from {@code response} and fills in the staff realm's pages on the way as the user would (the
     * password, then the one-time code when a second factor is asked for); returns the first page that is neither, or
     * the login page again when it refused the password (it is not tried twice: the realm locks accounts out).
     */
    HttpResponse<String> signIn(HttpResponse<String> response, String username, String password) {
        boolean passwordGiven = false;
        for (int hop = 0; hop < 20; hop++) {
            if (response.statusCode() / 100 == 3) {
                String location = response.headers().firstValue("Location").orElseThrow();
                response = get(response.uri().resolve(location).toString());
            } else if (response.body().contains("name=\"password\"") && !passwordGiven) {
                passwordGiven = true;
                response = post(formAction(response.body()), Map.of("username", username, "password", password,
                        "credentialId", ""));
            } else if (response.body().contains("name=\"otp\"")) {
                response = post(formAction(response.body()), Map.of("otp", Otp.code(username)));
            } else {
                return response;
            }
        }
        throw new IllegalStateException(username + "'s sign-in did not end: " + response.uri());
    }

    /** The cookies kept whose names start so, e.g. the staff realm's own single sign-on cookies. */
    Map<String, String> cookies(String prefix) {
        Map<String, String> kept = new LinkedHashMap<>();
        cookies.forEach((name, value) -> {
            if (name.startsWith(prefix)) {
                kept.put(name, value);
            }
        });
        return kept;
    }

    /** Keeps these cookies as if they had been set here. */
    void adopt(Map<String, String> more) {
        cookies.putAll(more);
    }

    String cookie(String name) {
        return cookies.get(name);
    }

    private static final Pattern HIDDEN = Pattern.compile(
            "<input[^>]*type=\"hidden\"[^>]*name=\"([^\"]+)\"[^>]*value=\"([^\"]*)\"");

    /** Posts the page's first form with its hidden fields and these, as its submit button would. */
    HttpResponse<String> submit(HttpResponse<String> page, Map<String, String> fields) {
        Map<String, String> form = new LinkedHashMap<>();
        Matcher hidden = HIDDEN.matcher(page.body());
        while (hidden.find()) {
            form.put(hidden.group(1), unescape(hidden.group(2)));
        }
        form.putAll(fields);
        return post(page.uri().resolve(formAction(page.body())).toString(), form);
    }

    /** The action of the page's first form, unescaped. */
    static String formAction(String page) {
        Matcher matcher = FORM_ACTION.matcher(page);
        if (!matcher.find()) {
            throw new IllegalStateException("no form on the page:\n" + page);
        }
        return unescape(matcher.group(1));
    }

    static String unescape(String html) {
        return html.replace("&amp;", "&");
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Sends with this session's cookies and headers (a header the request sets itself is sent as well). */
    HttpResponse<String> send(HttpRequest.Builder request) {
        headers.forEach(request::header);
        if (!cookies.isEmpty()) {
            request.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("; ")));
        }
        HttpResponse<String> response = Tokens.send(http, request.build());
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
}
