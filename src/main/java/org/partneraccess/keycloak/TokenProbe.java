package org.partneraccess.keycloak;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Asks the partner realm's token endpoint what a partner would get: a token for a client secret, and whether a token
 * is still active (introspection, as a resource server would ask). Proves revocation from the outside. Tokens and
 * secrets pass through memory only.
 */
@Component
public class TokenProbe {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INTROSPECTOR = "partner-access-introspector";
    private static final ECKey PROBE_KEY = probeKey();

    private final HttpClient http;
    private final String tokenEndpoint;
    private final String introspectionEndpoint;
    private final String introspectorSecret;

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;

    TokenProbe(KeycloakProperties properties, @Value("${partner-access.keycloak.introspector-secret:}") String introspectorSecret,
               JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.http = HttpClient.newBuilder().connectTimeout(properties.connectTimeout()).build();
        this.tokenEndpoint = properties.partnerTokenEndpoint();
        this.introspectionEndpoint = tokenEndpoint + "/introspect";
        this.introspectorSecret = introspectorSecret;
    }

    /**
     * A client-credentials access token, or empty when Keycloak refuses the client or its secret. The token's id is
     * kept as the application's own probe, so that the partner's usage evidence does not count it.
     */
    public Optional<String> clientCredentials(String clientId, String secret) {
        return probeToken(clientId, Map.of("grant_type", "client_credentials", "client_id", clientId,
                "client_secret", secret));
    }

    /**
     * A client-credentials access token for a client that authenticates with a signed JWT (RFC 7523), or empty when
     * Keycloak refuses it; kept as the application's own probe like {@link #clientCredentials}.
     */
    public Optional<String> clientAssertion(String clientId, String assertion) {
        return probeToken(clientId, Map.of("grant_type", "client_credentials", "client_id", clientId,
                "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion", assertion));
    }

    /** The partner realm's token endpoint: the audience of a client assertion. */
    public String tokenEndpoint() {
        return tokenEndpoint;
    }

    private Optional<String> probeToken(String clientId, Map<String, String> form) {
        // always with a DPoP proof: a client that requires bound tokens must refuse the credential for its revocation,
        // not for a missing proof, or the refusal would prove nothing
        JsonNode answer = post(tokenEndpoint, form, dpopProof(tokenEndpoint));
        if (!answer.hasNonNull("access_token")) {
            return Optional.empty();
        }
        String token = answer.get("access_token").asText();
        tokenId(token).ifPresent(id -> jdbc.update("insert into token_probe (token_id, client_id, probed_at) values (?, ?, ?)",
                id, clientId, java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC)));
        return Optional.of(token);
    }

    private static ECKey probeKey() {
        try {
            return new ECKeyGenerator(Curve.P_256).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot make the token probe's DPoP key", e);
        }
    }

    /** Which of these token ids are the application's own probes. */
    public Set<String> probes(Collection<String> tokenIds) {
        if (tokenIds.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(named.queryForList(
                "select token_id from token_probe where token_id in (:ids)", Map.of("ids", tokenIds), String.class));
    }

    /** The {@code jti} of a JWT, read without verifying it: the token came straight from the token endpoint. */
    private static Optional<String> tokenId(String token) {
        String[] parts = token.split("\\.");
        if (parts.length < 2) {
            return Optional.empty();
        }
        try {
            JsonNode claims = JSON.readTree(java.util.Base64.getUrlDecoder().decode(parts[1]));
            return Optional.ofNullable(claims.path("jti").textValue());
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Whether Keycloak still calls the token active. */
    public boolean active(String token) {
        return post(introspectionEndpoint, Map.of("token", token, "client_id", INTROSPECTOR,
                "client_secret", introspectorSecret)).path("active").asBoolean(false);
    }

    /** A proof of the probe's own key, made for this run and never stored: the probe's tokens are bound to it. */
    private String dpopProof(String url) {
        try {
            return new DefaultDPoPProofFactory(PROBE_KEY, JWSAlgorithm.ES256).createDPoPJWT("POST", URI.create(url))
                    .serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a DPoP proof", e);
        }
    }

    private JsonNode post(String url, Map<String, String> form) {
        return post(url, form, null);
    }

    private JsonNode post(String url, Map<String, String> form, String dpopProof) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(java.time.Duration.ofSeconds(5))
                .header("Content-Type", "application/x-www-form-urlencoded");
        if (dpopProof != null) {
            builder.header("DPoP", dpopProof);
        }
        HttpRequest request = builder.POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 500) {
                throw new KeycloakUnavailableException("token endpoint answered " + response.statusCode(), null);
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new KeycloakUnavailableException("token endpoint not reachable", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeycloakUnavailableException("interrupted while asking the token endpoint", null);
        }
    }
}
