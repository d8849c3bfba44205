package org.partneraccess.support;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A partner person at the partner realm's login page, as a browser would be: the account console's authorization
 * code flow, form posts and cookies. No password grant: partner people never get one.
 */
public final class PartnerLogin {

    public enum Outcome { SIGNED_IN, REFUSED }

    private static final String REALM = "partner";
    private static final String CLIENT = "account-console";
    private static final Pattern FORM_ACTION = Pattern.compile("<form[^>]*action=\"([^\"]+)\"", Pattern.DOTALL);
    private static final Pattern PROCEED_LINK = Pattern.compile("href=\"([^\"]*login-actions/action-token[^\"]*)\"");

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    /** Kept by hand: the JDK's cookie store does not hand host-only cookies of "localhost" back. */
    private final Map<String, String> cookies = new LinkedHashMap<>();
    private final String keycloakUrl;

    public PartnerLogin(String keycloakUrl) {
        this.keycloakUrl = keycloakUrl;
    }

    /** Signs in with a password; any page other than the way back to the application counts as refused. */
    public Outcome signIn(String username, String password) {
        return accessToken(username, password).isPresent() ? Outcome.SIGNED_IN : Outcome.REFUSED;
    }

    /** Signs in and takes the account console's access token, as the browser application would. */
    public java.util.Optional<String> accessToken(String username, String password) {
        String verifier = UUID.randomUUID() + "-" + UUID.randomUUID();
        String redirect = keycloakUrl + "/realms/" + REALM + "/account/";
        HttpResponse<String> page = get(keycloakUrl + "/realms/" + REALM + "/protocol/openid-connect/auth?client_id="
                + CLIENT + "&response_type=code&scope=openid&state=s&redirect_uri=" + encode(redirect)
                + "&code_challenge_method=S256&code_challenge=" + challenge(verifier));
        HttpResponse<String> answer = post(formAction(page.body()), Map.of("username", username, "password", password,
                "credentialId", ""));
        Matcher code = Pattern.compile("[?&]code=([^&]+)").matcher(location(answer));
        if (answer.statusCode() != 302 || !location(answer).startsWith(redirect) || !code.find()) {
            return java.util.Optional.empty();
        }
        HttpResponse<String> tokens = post(keycloakUrl + "/realms/" + REALM + "/protocol/openid-connect/token",
                Map.of("grant_type", "authorization_code", "client_id", CLIENT, "code", code.group(1),
                        "redirect_uri", redirect, "code_verifier", verifier));
        Matcher token = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(tokens.body());
        return token.find() ? java.util.Optional.of(token.group(1)) : java.util.Optional.empty();
    }

    /**
     * Follows Keycloak's invitation link as the person: accepts the partner terms and sets the password.
     *
     * @return the pages' texts, in order, for the test to check what was asked
     */
    public String acceptInvitation(String link, String newPassword) {
        StringBuilder seen = new StringBuilder();
        StringBuilder trail = new StringBuilder();
        HttpResponse<String> response = get(link);
        for (int step = 0; step < 12; step++) {
            String body = response.body();
            seen.append(body).append('\n');
            trail.append(response.statusCode()).append(' ').append(response.uri()).append(" -> ")
                    .append(location(response)).append(' ').append(title(body)).append('\n');
            if (response.statusCode() / 100 == 3) {
                response = get(absolute(location(response)));
            } else if (body.contains("name=\"password-new\"")) {
                response = post(formAction(body), Map.of("password-new", newPassword, "password-confirm", newPassword));
            } else if (body.contains("name=\"accept\"")) {
                response = post(formAction(body), Map.of("accept", "Accept"));
            } else {
                Matcher proceed = PROCEED_LINK.matcher(body);
                if (!proceed.find()) {
                    return seen.toString();
                }
                response = get(absolute(unescape(proceed.group(1))));
            }
        }
        throw new IllegalStateException("the invitation did not finish within 12 pages:\n" + trail);
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
        HttpResponse<String> response = Tokens.send(http, request.build());
        for (String header : response.headers().allValues("Set-Cookie")) {
            String pair = header.split(";", 2)[0];
            int equals = pair.indexOf('=');
            if (equals > 0) {
                cookies.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
            }
        }
        return response;
    }

    private String absolute(String url) {
        return url.startsWith("http") ? url : keycloakUrl + url;
    }

    private static String formAction(String page) {
        Matcher matcher = FORM_ACTION.matcher(page);
        if (!matcher.find()) {
            throw new IllegalStateException("no form on the page:\n" + page);
        }
        return unescape(matcher.group(1));
    }

    private static String title(String page) {
        Matcher matcher = Pattern.compile("<title>([^<]*)</title>").matcher(page);
        return matcher.find() ? matcher.group(1).trim() : "";
    }

    private static String location(HttpResponse<String> response) {
        return response.headers().firstValue("Location").orElse("");
    }

    private static String unescape(String html) {
        return html.replace("&amp;", "&");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
