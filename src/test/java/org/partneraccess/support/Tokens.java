package org.partneraccess.support;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Obtains real tokens from the running Keycloak, as a script or Camunda Modeler would. */
public final class Tokens {

    public static final String DEMO_PASSWORD = "demo";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private Tokens() {
    }

    /**
     * A staff user's access token through the public CLI client, signed in with the second factor as the README tells
     * staff to ({@link StaffSignIn}).
     */
    public static String staff(String keycloakUrl, String username) {
        return StaffSignIn.withSecondFactor(keycloakUrl, username).get("access_token").asText();
    }

    /** The same user's access token from a sign-in with the password alone. */
    public static String staffWithoutSecondFactor(String keycloakUrl, String username) {
        return StaffSignIn.withPasswordOnly(keycloakUrl, username).get("access_token").asText();
    }

    /** Client-credentials grant; returns the HTTP status and body so refusals can be asserted. */
    public static HttpResponse<String> clientCredentials(String keycloakUrl, String realm, String clientId, String secret) {
        return post(keycloakUrl, realm, Map.of("grant_type", "client_credentials", "client_id", clientId,
                "client_secret", secret));
    }

    public static JsonNode request(String keycloakUrl, String realm, Map<String, String> form) {
        return request(keycloakUrl, realm, form, "/token");
    }

    /** A form posted to one of the realm's OpenID Connect endpoints ({@code /token}, {@code /auth/device}). */
    public static JsonNode request(String keycloakUrl, String realm, Map<String, String> form, String endpoint) {
        HttpResponse<String> response = post(keycloakUrl, realm, form, endpoint);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Token request refused: " + response.statusCode() + " " + response.body());
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> post(String keycloakUrl, String realm, Map<String, String> form) {
        return post(keycloakUrl, realm, form, "/token");
    }

    private static HttpResponse<String> post(String keycloakUrl, String realm, Map<String, String> form, String endpoint) {
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(keycloakUrl + "/realms/" + realm + "/protocol/openid-connect" + endpoint))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return send(HTTP, request);
    }

    /** Sends and reads the body as text; a failure to talk at all ends the test with its cause. */
    public static HttpResponse<String> send(HttpClient http, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
