package org.partneraccess.trust;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

/**
 * A partner's SPIFFE trust domain as Keycloak sees one, on the loopback interface: its bundle endpoint serving the
 * trust bundle (a JWKS whose keys are for {@code use: jwt-svid}, without {@code alg}, with {@code spiffe_sequence} and
 * {@code spiffe_refresh_hint}), and RS256 JWT-SVIDs as a SPIRE agent hands them to a workload ({@code sub} = its SPIFFE
 * ID, one {@code aud}, {@code iat}, {@code exp}; no {@code iss}, no {@code jti}). Its signing key is made here and
 * never leaves the test.
 */
public final class SpiffeTrustDomain implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final String trustDomain;
    private final String bundleEndpoint;
    private final RSAKey key;

    private SpiffeTrustDomain(HttpServer server, String trustDomain, String bundleEndpoint, RSAKey key) {
        this.server = server;
        this.trustDomain = trustDomain;
        this.bundleEndpoint = bundleEndpoint;
        this.key = key;
    }

    /** A trust domain of its own ({@code spiffe://<name>.example.org}) with its bundle under a path of its own. */
    public static SpiffeTrustDomain start(String name) {
        try {
            RSAKey key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            String suffix = UUID.randomUUID().toString().substring(0, 8);
            String path = "/bundle-" + suffix;
            Map<String, Object> jwk = new LinkedHashMap<>(key.toPublicJWK().toJSONObject());
            jwk.put("use", "jwt-svid");
            byte[] bundle = JSON.writeValueAsBytes(Map.of("keys", List.of(jwk), "spiffe_sequence", 1,
                    "spiffe_refresh_hint", 300));
            server.createContext(path, exchange -> {
                boolean found = exchange.getRequestURI().getPath().equals(path);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(found ? 200 : 404, found ? bundle.length : -1);
                if (found) {
                    exchange.getResponseBody().write(bundle);
                }
                exchange.close();
            });
            server.start();
            return new SpiffeTrustDomain(server, "spiffe://" + name + "-" + suffix + ".example.org",
                    "http://127.0.0.1:" + server.getAddress().getPort() + path, key);
        } catch (IOException | JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code spiffe://<trust domain>}, as a trust registers it. */
    public String trustDomain() {
        return trustDomain;
    }

    /** Where its trust bundle is served. */
    public String bundleEndpoint() {
        return bundleEndpoint;
    }

    /** A SPIFFE ID of this trust domain. */
    public String spiffeId(String path) {
        return trustDomain + "/" + path;
    }

    /** A JWT-SVID of this domain's key for any SPIFFE ID and audience, valid for five minutes. */
    public String svid(String spiffeId, String audience) {
        return svid(spiffeId, audience, key.getKeyID());
    }

    /** As {@link #svid(String, String)}, naming any key id in its header (an attacker's claim to another's key). */
    public String svid(String spiffeId, String audience, String keyId) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(spiffeId).audience(audience)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofMinutes(5)))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(keyId).type(JOSEObjectType.JWT)
                .build(), claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    /** This domain's key id. */
    public String keyId() {
        return key.getKeyID();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
