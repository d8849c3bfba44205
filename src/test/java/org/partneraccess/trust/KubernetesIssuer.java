package org.partneraccess.trust;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

/**
 * A Kubernetes cluster's service-account issuer as Keycloak sees one, on the loopback interface: its discovery
 * document at {@code <issuer>/.well-known/openid-configuration} naming its JWKS, and RS256 tokens as the kubelet
 * projects them into a pod ({@code iss}, {@code sub} = {@code system:serviceaccount:<namespace>:<name>}, one
 * {@code aud}, {@code iat}, {@code nbf}, {@code exp}, and the {@code kubernetes.io} claim). Its signing key is made
 * here and never leaves the test.
 */
public final class KubernetesIssuer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final String issuer;
    private final RSAKey key;

    private KubernetesIssuer(HttpServer server, String issuer, RSAKey key) {
        this.server = server;
        this.issuer = issuer;
        this.key = key;
    }

    /** A cluster of its own, served under a path of its own: every test partnership trusts another issuer. */
    public static KubernetesIssuer start() {
        try {
            RSAKey key = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
                    .keyID(UUID.randomUUID().toString()).generate();
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            String path = "/cluster-" + UUID.randomUUID().toString().substring(0, 8);
            String issuer = "http://127.0.0.1:" + server.getAddress().getPort() + path;
            byte[] discovery = JSON.writeValueAsBytes(Map.of("issuer", issuer, "jwks_uri", issuer + "/openid/v1/jwks",
                    "response_types_supported", List.of("id_token"), "subject_types_supported", List.of("public"),
                    "id_token_signing_alg_values_supported", List.of("RS256")));
            byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
            server.createContext(path, exchange -> {
                String requested = exchange.getRequestURI().getPath().substring(path.length());
                byte[] body = switch (requested) {
                    case "/.well-known/openid-configuration" -> discovery;
                    case "/openid/v1/jwks" -> jwks;
                    default -> new byte[0];
                };
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(body.length == 0 ? 404 : 200, body.length == 0 ? -1 : body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return new KubernetesIssuer(server, issuer, key);
        } catch (IOException | JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public String issuer() {
        return issuer;
    }

    /** Where the issuer's public keys are (its discovery document names it): what an OIDC trust registers. */
    public String jwksUrl() {
        return issuer + "/openid/v1/jwks";
    }

    /** What a pod's projected service-account token holds, for this audience, valid for ten minutes. */
    public String serviceAccountToken(String namespace, String name, String audience) {
        return token(issuer, "system:serviceaccount:" + namespace + ":" + name, audience);
    }

    /** A token of this cluster's key with any issuer and subject (an attacker's variations). */
    public String token(String iss, String subject, String audience) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(iss).subject(subject).audience(audience)
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(10)))).jwtID(UUID.randomUUID().toString())
                .claim("kubernetes.io", Map.of("namespace", subject.split(":").length > 2 ? subject.split(":")[2] : "",
                        "serviceaccount", Map.of("name", subject.substring(subject.lastIndexOf(':') + 1),
                                "uid", UUID.randomUUID().toString())))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
