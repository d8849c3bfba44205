package org.partneraccess.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The REST API as a staff member's script calls it: real tokens from Keycloak, JSON over HTTP. */
public final class PartnerAccessClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String baseUrl;
    private final String keycloakUrl;

    public PartnerAccessClient(int port, String keycloakUrl) {
        this.baseUrl = "http://localhost:" + port;
        this.keycloakUrl = keycloakUrl;
    }

    /** A request that passes every check: internal data, test environment, read-only scope, LOW risk. */
    public static Map<String, Object> validRequest(String key, String contactEmail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("partnershipKey", key);
        body.put("legalName", "Acme Logistics GmbH");
        body.put("sponsor", "sam.sponsor");
        body.put("businessOwner", "ian.owner");
        body.put("technicalOwner", "ian.owner");
        body.put("purpose", "Acme reads open orders to plan shipments for our EU warehouses");
        body.put("dataClasses", List.of("internal"));
        body.put("environments", List.of("test"));
        body.put("clientScopes", List.of("orders.read"));
        body.put("endDate", LocalDate.now().plusMonths(6).toString());
        body.put("contactEmail", contactEmail);
        body.put("contactFirstName", "Ada");
        body.put("contactLastName", "Partner");
        return body;
    }

    public HttpResponse<String> post(String user, String path, Map<String, ?> body) {
        return postWithToken(Tokens.staff(keycloakUrl, user), path, body);
    }

    public HttpResponse<String> get(String user, String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Authorization", "Bearer " + Tokens.staff(keycloakUrl, user)).GET().build());
    }

    /** A GET that asks for a media type, e.g. {@code text/csv} or {@code text/html}. */
    public HttpResponse<String> get(String user, String path, String accept) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Authorization", "Bearer " + Tokens.staff(keycloakUrl, user)).header("Accept", accept)
                .GET().build());
    }

    /** A GET with a token taken before, e.g. while Keycloak cannot give one. */
    public HttpResponse<String> getWithToken(String token, String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Authorization", "Bearer " + token)
                .GET().build());
    }

    public HttpResponse<String> postWithToken(String token, String path, Map<String, ?> body) {
        return withBody("POST", token, path, body);
    }

    public HttpResponse<String> put(String user, String path, Map<String, ?> body) {
        return withBody("PUT", Tokens.staff(keycloakUrl, user), path, body);
    }

    private HttpResponse<String> withBody(String method, String token, String path, Map<String, ?> body) {
        try {
            return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private HttpResponse<String> send(HttpRequest request) {
        return Tokens.send(http, request);
    }
}
