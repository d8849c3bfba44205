package org.partneraccess.drill;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.partneraccess.keycloak.KeycloakProperties;
import org.partneraccess.keycloak.KeycloakUnavailableException;
import org.springframework.stereotype.Component;

/**
 * The drill's synthetic person signs in as a partner person does: Keycloak's login page of the partner realm, through
 * the account console's authorization code flow with PKCE (partner people get no password grant). The tokens and the
 * password pass through memory only.
 */
@Component
class SyntheticSignIn {

    /** What a signed-in person holds. */
    record Tokens(String access, String refresh) {
    }

    private static final String CLIENT = "account-console";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern FORM_ACTION = Pattern.compile("<form[^>]*action=\"([^\"]+)\"", Pattern.DOTALL);
    private static final Pattern CODE = Pattern.compile("[?&]code=([^&]+)");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String realmUrl;
    private final String tokenEndpoint;
    private final Duration connectTimeout;

    SyntheticSignIn(KeycloakProperties properties) {
        this.realmUrl = properties.partnerRealmUrl();
        this.tokenEndpoint = properties.partnerTokenEndpoint();
        this.connectTimeout = properties.connectTimeout();
    }

    /** Signs in with a password; empty when Keycloak does not let the person in. */
    Optional<Tokens> signIn(String username, String password) {
        Browser browser = new Browser(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout).build());
        String verifier = random() + random();
        String redirect = realmUrl + "/account/";
        HttpResponse<String> page = browser.send(HttpRequest.newBuilder(URI.create(realmUrl
                + "/protocol/openid-connect/auth?client_id=" + CLIENT + "&response_type=code&scope=openid&state="
                + random() + "&redirect_uri=" + encode(redirect) + "&code_challenge_method=S256&code_challenge="
                + challenge(verifier))).GET());
        Matcher action = FORM_ACTION.matcher(page.body());
        if (page.statusCode() != 200 || !action.find()) {
            return Optional.empty();
        }
        HttpResponse<String> answer = browser.send(form(action.group(1).replace("&amp;", "&"),
                Map.of("username", username, "password", password, "credentialId", "")));
        String location = answer.headers().firstValue("Location").orElse("");
        Matcher code = CODE.matcher(location);
        if (answer.statusCode() != 302 || !location.startsWith(redirect) || !code.find()) {
            return Optional.empty();
        }
        JsonNode tokens = json(browser.send(form(tokenEndpoint, Map.of(
                "grant_type", "authorization_code", "client_id", CLIENT, "code", code.group(1),
                "redirect_uri", redirect, "code_verifier", verifier))));
        if (!tokens.hasNonNull("access_token") || !tokens.hasNonNull("refresh_token")) {
            return Optional.empty();
        }
        return Optional.of(new Tokens(tokens.get("access_token").asText(), tokens.get("refresh_token").asText()));
    }

    /** Whether Keycloak refuses a refresh with this refresh token, as the account console would make it. */
    boolean refreshRefused(String refreshToken) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
        return !json(send(client, form(tokenEndpoint, Map.of(
                "grant_type", "refresh_token", "client_id", CLIENT, "refresh_token", refreshToken))))
                .hasNonNull("access_token");
    }

    /**
     * One sign-in's cookies, kept by name: the JDK's cookie store does not hand host-only cookies of a host without a
     * dot (such as {@code localhost}) back.
     */
    private record Browser(HttpClient http, Map<String, String> cookies) {

        Browser(HttpClient http) {
            this(http, new LinkedHashMap<>());
        }

        HttpResponse<String> send(HttpRequest.Builder request) {
            if (!cookies.isEmpty()) {
                request.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining("; ")));
            }
            HttpResponse<String> response = SyntheticSignIn.send(http, request);
            for (String header : response.headers().allValues("Set-Cookie")) {
                String pair = header.split(";", 2)[0];
                int equals = pair.indexOf('=');
                if (equals > 0) {
                    String value = pair.substring(equals + 1).trim();
                    if (value.isEmpty() || header.toLowerCase(java.util.Locale.ROOT).contains("max-age=0")) {
                        cookies.remove(pair.substring(0, equals).trim());
                    } else {
                        cookies.put(pair.substring(0, equals).trim(), value);
                    }
                }
            }
            return response;
        }
    }

    private static HttpRequest.Builder form(String url, Map<String, String> fields) {
        String body = fields.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = client.send(request.timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 500) {
                throw new KeycloakUnavailableException("the partner realm's login answered " + response.statusCode(), null);
            }
            return response;
        } catch (IOException e) {
            throw new KeycloakUnavailableException("the partner realm's login is not reachable", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeycloakUnavailableException("interrupted while signing in", e);
        }
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static String random() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String challenge(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
