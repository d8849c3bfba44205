package org.partneraccess.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.mail.internet.MimeMessage;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.partneraccess.LifecycleState;
import org.partneraccess.ProcessIds;
import org.partneraccess.Variables;
import org.partneraccess.dev.DevMailServer;
import org.partneraccess.partnership.PartnershipService;
import org.partneraccess.support.ApplicationProcess;
import org.partneraccess.support.Mailbox;
import org.partneraccess.support.PartnerAccessClient;
import org.partneraccess.support.Tokens;
import org.springframework.jdbc.core.JdbcTemplate;

/** What the machine integration tests share: an active partnership, registrations, partner keys and token requests. */
public final class MachineFixtures {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern HANDOVER_TOKEN = Pattern.compile("\\{\"token\": \"([A-Za-z0-9_-]+)\"}");

    private MachineFixtures() {
    }

    static String newKey(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * An ACTIVE partnership for machines: internal data; test and staging (and production when asked); read scopes and
     * orders.write. With production the partnership itself is HIGH risk, so a security officer approves it too.
     */
    public static String activePartnership(PartnerAccessClient client, TaskService tasks, IdentityService identity,
                                    PartnershipService partnerships, boolean production) {
        String key = newKey("mach");
        Map<String, Object> request = new LinkedHashMap<>(PartnerAccessClient.validRequest(key, key + "@partner.example.org"));
        request.put("environments", production ? List.of("test", "staging", "production") : List.of("test", "staging"));
        request.put("clientScopes", List.of("orders.read", "invoices.read", "shipments.read", "orders.write"));
        // within the partnership policy's limit: 180 days for MEDIUM (write), 90 for HIGH (write in production)
        request.put("endDate", LocalDate.now().plusDays(production ? 80 : 150).toString());
        HttpResponse<String> created = client.post("rita.requester", "/api/partnerships", request);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        complete(tasks, identity, key, ProcessIds.TASK_APPROVE_AS_SPONSOR, "sam.sponsor", "sponsors",
                Map.of(Variables.SPONSOR_APPROVED, true));
        if (production) {
            complete(tasks, identity, key, ProcessIds.TASK_APPROVE_AS_SECURITY_OFFICER, "sofia.security",
                    "security-officers", Map.of(Variables.SECURITY_OFFICER_APPROVED, true));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> partnerships.get(key).getState() == LifecycleState.ACTIVE);
        return key;
    }

    /**
     * An ACTIVE partnership on an application started as a JVM of its own: requested through the node's API, the
     * sponsor's task read from the node's database and completed through its engine REST API.
     */
    public static String activePartnership(ApplicationProcess node, JdbcTemplate db, String keycloakUrl, String prefix)
            throws Exception {
        String key = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        PartnerAccessClient client = new PartnerAccessClient(node.port(), keycloakUrl);
        HttpResponse<String> requested = client.post("rita.requester", "/api/partnerships",
                PartnerAccessClient.validRequest(key, key + "@partner.example.org"));
        assertThat(requested.statusCode()).as(requested.body()).isEqualTo(201);
        String select = "select t.id_ from act_ru_task t join act_ru_execution e on t.proc_inst_id_ = e.id_"
                + " where e.business_key_ = ? and t.task_def_key_ = ?";
        await().atMost(Duration.ofSeconds(60)).until(() -> !db.queryForList(select, String.class, key,
                ProcessIds.TASK_APPROVE_AS_SPONSOR).isEmpty());
        String taskId = db.queryForObject(select, String.class, key, ProcessIds.TASK_APPROVE_AS_SPONSOR);
        HttpResponse<String> completed = HTTP.send(HttpRequest.newBuilder(
                        URI.create(node.url() + "/engine-rest/task/" + taskId + "/complete"))
                .header("Authorization", "Bearer " + Tokens.staff(keycloakUrl, "sam.sponsor"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"variables\":{\"sponsorApproved\":{\"value\":true}}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(completed.statusCode()).as(completed.body()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(90)).until(() -> "ACTIVE".equals(db.queryForObject(
                "select state from partnership where partnership_key = ?", String.class, key)));
        return key;
    }

    public static void complete(TaskService tasks, IdentityService identity, String businessKey, String taskKey, String user,
                         String group, Map<String, Object> variables) {
        await().atMost(Duration.ofSeconds(30)).until(() -> tasks.createTaskQuery().processInstanceBusinessKey(businessKey)
                .taskDefinitionKey(taskKey).count() == 1);
        identity.setAuthentication(user, List.of(group));
        try {
            tasks.complete(tasks.createTaskQuery().processInstanceBusinessKey(businessKey).taskDefinitionKey(taskKey)
                    .singleResult().getId(), variables);
        } finally {
            identity.clearAuthentication();
        }
    }

    /** A low-risk read-only workload in the test environment: approved by the policy alone. */
    public static Map<String, Object> registration(String authMethod, PartnerKey key, String... scopes) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("workloadName", "Acme order sync");
        body.put("machineKind", "WORKLOAD");
        body.put("owner", "ian.owner");
        body.put("purpose", "Reads open orders every five minutes to plan shipments for the EU warehouses");
        body.put("environment", "test");
        body.put("clientScopes", scopes.length == 0 ? List.of("orders.read") : List.of(scopes));
        body.put("tokenLifespanSeconds", 45);
        body.put("endDate", LocalDate.now().plusMonths(3).toString());
        body.put("authMethod", authMethod);
        if (key != null) {
            body.put("jwks", key.jwks());
        }
        return body;
    }

    /** The partner's own key pair; Partner Access only ever sees the public half. */
    public record PartnerKey(KeyPair pair, String kid) {

        public static PartnerKey generate() {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                return new PartnerKey(generator.generateKeyPair(), UUID.randomUUID().toString());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        public Map<String, Object> jwks() {
            RSAPublicKey publicKey = (RSAPublicKey) pair.getPublic();
            return Map.of("keys", List.of(Map.of("kty", "RSA", "kid", kid, "use", "sig", "alg", "RS256",
                    "n", base64Url(publicKey.getModulus()), "e", base64Url(publicKey.getPublicExponent()))));
        }

        /** A client assertion (RFC 7523) for the token endpoint, signed with the private key. */
        String assertion(String clientId, String audience) {
            long now = Instant.now().getEpochSecond();
            String header = encode(Map.of("alg", "RS256", "typ", "JWT", "kid", kid));
            String payload = encode(Map.of("iss", clientId, "sub", clientId, "aud", audience,
                    "jti", UUID.randomUUID().toString(), "iat", now, "exp", now + 60));
            try {
                Signature signature = Signature.getInstance("SHA256withRSA");
                signature.initSign(pair.getPrivate());
                signature.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
                return header + "." + payload + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        private static String encode(Map<String, Object> json) {
            try {
                return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(json));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        private static String base64Url(BigInteger value) {
            byte[] bytes = value.toByteArray();
            if (bytes.length > 1 && bytes[0] == 0) {
                bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
            }
            return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        }
    }

    /**
     * The key a partner machine holds to bind its tokens (DPoP, RFC 9449), an EC P-256 pair made by the partner; each
     * request's proof is signed with it and carries its public half.
     */
    public record DpopKey(ECKey key) {

        public static DpopKey generate() {
            try {
                return new DpopKey(new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString()).generate());
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The JWK SHA-256 thumbprint (RFC 7638) a bound token names in {@code cnf.jkt}. */
        public String thumbprint() {
            try {
                return key.computeThumbprint().toString();
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }

        /** A fresh proof for one request; with an access token, bound to it too ({@code ath}). */
        public String proof(String method, String uri, String accessToken) {
            try {
                DefaultDPoPProofFactory factory = new DefaultDPoPProofFactory(key, JWSAlgorithm.ES256);
                return (accessToken == null ? factory.createDPoPJWT(method, URI.create(uri))
                        : factory.createDPoPJWT(method, URI.create(uri), new DPoPAccessToken(accessToken))).serialize();
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    public static String tokenEndpoint(String keycloakUrl) {
        return keycloakUrl + "/realms/partner/protocol/openid-connect/token";
    }

    public static HttpResponse<String> tokenWithKey(String keycloakUrl, String clientId, PartnerKey key) {
        return tokenRequest(keycloakUrl, Map.of("grant_type", "client_credentials", "client_id", clientId,
                "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion", key.assertion(clientId, tokenEndpoint(keycloakUrl))));
    }

    /** A token request with the signed client assertion and a DPoP proof of {@code dpop}: the token is bound to it. */
    public static HttpResponse<String> tokenWithKey(String keycloakUrl, String clientId, PartnerKey key, DpopKey dpop,
                                                    String... scope) {
        Map<String, String> form = new LinkedHashMap<>(Map.of("grant_type", "client_credentials", "client_id", clientId,
                "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion", key.assertion(clientId, tokenEndpoint(keycloakUrl))));
        if (scope.length > 0) {
            form.put("scope", String.join(" ", scope));
        }
        return tokenRequest(keycloakUrl, form, dpop.proof("POST", tokenEndpoint(keycloakUrl), null));
    }

    /**
     * A token request as a federated workload sends it: only its issuer's JWT as the client assertion, no client id
     * (Keycloak finds the client by the JWT's issuer and subject).
     */
    public static HttpResponse<String> tokenWithWorkloadJwt(String keycloakUrl, String workloadJwt) {
        return tokenRequest(keycloakUrl, Map.of("grant_type", "client_credentials",
                "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion", workloadJwt));
    }

    /**
     * A token request as a SPIFFE workload sends it: only its JWT-SVID, under the SPIFFE assertion type (Keycloak finds
     * the client by the SPIFFE ID alone and checks the SVID against the trust domain's bundle).
     */
    public static HttpResponse<String> tokenWithJwtSvid(String keycloakUrl, String jwtSvid) {
        return tokenRequest(keycloakUrl, Map.of("grant_type", "client_credentials",
                "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-spiffe",
                "client_assertion", jwtSvid));
    }

    public static HttpResponse<String> tokenWithSecret(String keycloakUrl, String clientId, String secret) {
        return tokenRequest(keycloakUrl, Map.of("grant_type", "client_credentials", "client_id", clientId,
                "client_secret", secret));
    }

    private static HttpResponse<String> tokenRequest(String keycloakUrl, Map<String, String> form) {
        return tokenRequest(keycloakUrl, form, null);
    }

    private static HttpResponse<String> tokenRequest(String keycloakUrl, Map<String, String> form, String dpopProof) {
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(tokenEndpoint(keycloakUrl)))
                .header("Content-Type", "application/x-www-form-urlencoded");
        if (dpopProof != null) {
            request.header("DPoP", dpopProof);
        }
        return send(request.POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The {@code scope} claim of an access token, as a set. */
    public static Set<String> scopes(HttpResponse<String> tokenResponse) throws IOException {
        JsonNode token = JSON.readTree(tokenResponse.body());
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(token.get("access_token").asText().split("\\.")[1]));
        return new TreeSet<>(List.of(claims.path("scope").asText().split(" ")));
    }

    static int expiresIn(HttpResponse<String> tokenResponse) throws IOException {
        return JSON.readTree(tokenResponse.body()).get("expires_in").asInt();
    }

    /** The newest mail to a recipient whose subject contains the text, or null. */
    public static MimeMessage mail(String recipient, String subjectContains) throws Exception {
        return Mailbox.newest(recipient, subjectContains);
    }

    static List<String> allMailText() throws Exception {
        List<String> texts = new java.util.ArrayList<>();
        for (MimeMessage message : DevMailServer.current().receivedMessages()) {
            texts.add(message.getSubject() + "\n" + message.getContent());
        }
        return texts;
    }

    /** Waits for the owner's mail and reads the one-time hand-over token from the newest one. */
    public static String handoverToken(String subjectContains) throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> mail("ian.owner@example.com", subjectContains) != null);
        Matcher matcher = HANDOVER_TOKEN.matcher(mail("ian.owner@example.com", subjectContains).getContent().toString());
        assertThat(matcher.find()).as("hand-over token in the mail").isTrue();
        return matcher.group(1);
    }

    public static long count(String recipient, String subjectContains) throws Exception {
        long count = 0;
        for (MimeMessage message : DevMailServer.current().receivedMessages()) {
            if (message.getSubject().contains(subjectContains) && Arrays.stream(message.getAllRecipients())
                    .anyMatch(address -> address.toString().equals(recipient))) {
                count++;
            }
        }
        return count;
    }
}
