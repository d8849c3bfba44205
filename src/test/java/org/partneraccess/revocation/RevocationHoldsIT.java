package org.partneraccess.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.partneraccess.machine.MachineFixtures.handoverToken;
import static org.partneraccess.machine.MachineFixtures.registration;
import static org.partneraccess.machine.MachineFixtures.tokenWithKey;
import static org.partneraccess.machine.MachineFixtures.tokenWithSecret;
import static org.partneraccess.machine.MachineFixtures.tokenWithWorkloadJwt;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.RealmResource;
import org.partneraccess.LifecycleState;
import org.partneraccess.inventory.internal.PartnerIdentityRepository;
import org.partneraccess.keycloak.PartnerClients;
import org.partneraccess.keycloak.KeycloakProperties;
import org.partneraccess.keycloak.PartnerIdentityProviders;
import org.partneraccess.keycloak.TokenProbe;
import org.partneraccess.machine.MachineFixtures;
import org.partneraccess.support.ItFixtures;
import org.partneraccess.support.PartnerAccessClient;
import org.partneraccess.support.PartnerAccessTest;
import org.partneraccess.support.PartnerLogin;
import org.partneraccess.trust.KubernetesIssuer;
import org.partneraccess.trust.WorkloadTrustFixtures;
import org.partneraccess.trust.WorkloadTrusts;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/**
 * Revocation holds for every way a partner identity authenticates, against the real Keycloak: a person signed in with
 * a password (access and refresh token), and machines with a shared secret, with signed JWTs from inline keys and from
 * a JWKS URL the partner serves, with a signed JWT and tokens bound to a key the machine holds (DPoP), whose new
 * token is refused even with a valid proof, and federated with its pod's service-account token from the partner's
 * cluster, whose issuer the partnership's approved workload trust made an identity provider. After each way the
 * product revokes, every credential is refused, every earlier token is inactive by introspection, the refresh token is
 * refused, the partnership's identity provider is disabled, and the not-before of the user and of each client lies
 * after every token issued. An upgrade of Keycloak that weakens any of this fails the build here.
 */
@PartnerAccessTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RevocationHoldsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "Partner-Secret-1";

    /** The product's ways to end every access of a partnership. */
    enum Revocation {
        INCIDENT("/incidents", Map.of("reason", "partner network compromised", "severity", "CRITICAL",
                "reporterReference", "SOC-17")),
        TERMINATION("/termination", Map.of("reason", "the contract ends with the quarter"));

        final String path;
        final Map<String, Object> body;

        Revocation(String path, Map<String, Object> body) {
            this.path = path;
            this.body = body;
        }
    }

    @Value("${partner-access.keycloak.partner-realm}")
    String partnerRealm;
    @Autowired
    IdentityService identity;
    @Autowired
    PartnerIdentityRepository identities;
    @Autowired
    Keycloak admin;
    @Autowired
    TokenProbe probe;
    @Autowired
    ItFixtures fixtures;
    @Autowired
    TaskService tasks;
    @Autowired
    WorkloadTrusts trusts;
    @Autowired
    PartnerIdentityProviders providers;
    @Autowired
    KeycloakProperties properties;
    private KubernetesIssuer cluster;

    /** The partner's JWKS endpoint, as a partner would serve its public keys. */
    private HttpServer jwksServer;
    private final Map<String, byte[]> served = new LinkedHashMap<>();

    @BeforeAll
    void partnerServesItsKeys() throws IOException {
        jwksServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwksServer.createContext("/", exchange -> {
            byte[] body = served.getOrDefault(exchange.getRequestURI().getPath(), new byte[0]);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(body.length == 0 ? 404 : 200, body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        jwksServer.start();
    }

    @AfterAll
    void stopServing() {
        jwksServer.stop(0);
    }

    @AfterEach
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Revocation.class)
    void everyCredentialAndEveryEarlierTokenIsRefusedAfterRevocation(Revocation revocation) throws Exception {
        PartnerAccessClient client = fixtures.client();
        String key = fixtures.partnership("rev").active();
        String contact = "contact." + key + "@partner.example.org";
        RealmResource realm = admin.realm(partnerRealm);
        String userId = realm.users().searchByUsername(contact, true).get(0).getId();
        PartnerLogin.readyToSignIn(realm.users().get(userId), PASSWORD);

        // every way to authenticate, each holding a credential and a token taken before the revocation
        Map<String, Supplier<Optional<String>>> newTokens = new LinkedHashMap<>();
        Map<String, String> earlierTokens = new LinkedHashMap<>();
        PartnerLogin login = new PartnerLogin(fixtures.keycloakUrl());
        PartnerLogin.SignedIn signedIn = login.tokens(contact, PASSWORD).orElseThrow();
        earlierTokens.put("person's access token", signedIn.access());
        newTokens.put("person's password", () -> new PartnerLogin(fixtures.keycloakUrl())
                .accessToken(contact, PASSWORD));

        JsonNode secretMachine = machine(key, "secret sync", registration("CLIENT_SECRET", null));
        String secretClient = secretMachine.get("clientId").asText();
        String secret = collectSecret(client, secretMachine);
        newTokens.put("shared secret", () -> accessToken(tokenWithSecret(fixtures.keycloakUrl(),
                secretClient, secret)));

        MachineFixtures.PartnerKey inlineKey = MachineFixtures.PartnerKey.generate();
        String inlineClient = machine(key, "inline keys sync", registration("SIGNED_JWT", inlineKey))
                .get("clientId").asText();
        newTokens.put("signed JWT, inline keys", () -> accessToken(tokenWithKey(fixtures.keycloakUrl(),
                inlineClient, inlineKey)));

        MachineFixtures.PartnerKey servedKey = MachineFixtures.PartnerKey.generate();
        String path = "/" + key + "/jwks.json";
        served.put(path, JSON.writeValueAsBytes(servedKey.jwks()));
        String urlClient = machineWithJwksUrl(key, "http://127.0.0.1:" + jwksServer.getAddress().getPort() + path);
        newTokens.put("signed JWT, JWKS URL", () -> accessToken(tokenWithKey(fixtures.keycloakUrl(),
                urlClient, servedKey)));

        MachineFixtures.PartnerKey boundKey = MachineFixtures.PartnerKey.generate();
        MachineFixtures.DpopKey held = MachineFixtures.DpopKey.generate();
        String dpopClient = dpopBoundMachine(key, boundKey);
        assertThat(tokenWithKey(fixtures.keycloakUrl(), dpopClient, boundKey).statusCode())
                .as("DPoP-bound: no token without a proof")
                .isEqualTo(400);
        // each try with a fresh proof of the key the machine holds: only the revocation can refuse it
        newTokens.put("DPoP-bound, signed JWT", () -> accessToken(tokenWithKey(fixtures.keycloakUrl(),
                dpopClient, boundKey, held)));

        // the partner's cluster, whose service-account issuer a security officer approves for the partnership (from
        // then on the policy allows it no new secret machine: the one above was registered before)
        cluster = KubernetesIssuer.start();
        WorkloadTrustFixtures.approve(fixtures, trusts, tasks, identity, key, cluster);
        String federatedClient = machine(key, "federated sync", federated()).get("clientId").asText();
        // each try with a fresh token of the pod, as the kubelet renews it
        newTokens.put("federated, the pod's service-account token",
                () -> accessToken(tokenWithWorkloadJwt(fixtures.keycloakUrl(),
                cluster.serviceAccountToken("orders", "sync", properties.partnerRealmUrl()))));

        newTokens.forEach((way, token) -> {
            if (!way.startsWith("person")) {
                earlierTokens.put(way + " token", token.get().orElseThrow(() -> new AssertionError(way + " refused")));
            }
        });
        assertThat(earlierTokens.values()).as("accepted before").allMatch(probe::active);
        long lastIssued = earlierTokens.values().stream().mapToLong(RevocationHoldsIT::issuedAt).max().orElseThrow();

        HttpResponse<String> revoked = client.post("sofia.security", "/api/partnerships/" + key + revocation.path,
                revocation.body);
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(90)).until(() -> identities.findByPartnershipKeyOrderById(key).stream()
                .allMatch(row -> row.getState() == LifecycleState.REVOKED));

        newTokens.forEach((way, token) -> assertThat(token.get()).as(way + " after " + revocation).isEmpty());
        earlierTokens.forEach((what, token) -> assertThat(probe.active(token)).as(what + " after " + revocation)
                .isFalse());
        HttpResponse<String> refreshed = login.refresh(signedIn.refresh());
        assertThat(refreshed.statusCode()).as("person's refresh token: " + refreshed.body()).isEqualTo(400);
        assertThat(realm.users().get(userId).getUserSessions()).as("person's sessions").isEmpty();
        assertThat(realm.users().get(userId).toRepresentation().isEnabled()).isFalse();
        assertThat(providers.find(PartnerIdentityProviders.alias(key)).orElseThrow().isEnabled())
                .as("the partnership's identity provider").isFalse();
        for (String clientId : List.of(secretClient, inlineClient, urlClient, dpopClient, federatedClient)) {
            var representation = realm.clients().findByClientId(clientId).get(0);
            assertThat(representation.isEnabled()).as(clientId).isFalse();
            assertThat(representation.getNotBefore()).as("not-before of " + clientId + " after the last token issued")
                    .isNotNull().isGreaterThanOrEqualTo((int) lastIssued);
        }
    }

    /** A machine that authenticates with its pod's service-account token, naming only its workload subject. */
    private static Map<String, Object> federated() {
        Map<String, Object> body = registration("FEDERATED", null);
        body.put("workloadSubject", "system:serviceaccount:orders:sync");
        return body;
    }

    /** A low-risk machine registered through the API, as answered; waits until it is active. */
    private JsonNode machine(String key, String name, Map<String, Object> body) {
        body.put("workloadName", "Acme " + name);
        return fixtures.activeMachine(key, body);
    }

    /**
     * A machine whose keys Keycloak fetches from the partner's URL, provisioned as registration provisions one; the
     * registration itself refuses a loopback URL (SSRF), and the partner's server here is on the loopback interface.
     */
    private String machineWithJwksUrl(String key, String jwksUrl) {
        return provisioned(key, "jwks-url", jwksUrl, null, false);
    }

    /**
     * A machine whose access tokens must be bound to a key it holds (DPoP), provisioned as registration provisions a
     * HIGH-risk one; the policy gives HIGH only in production or on regulated data, which this partnership does not have.
     */
    private String dpopBoundMachine(String key, MachineFixtures.PartnerKey partnerKey) throws IOException {
        return provisioned(key, "dpop", null, JSON.writeValueAsString(partnerKey.jwks()), true);
    }

    private String provisioned(String key, String suffix, String jwksUrl, String jwks, boolean dpopBoundTokens) {
        String clientId = "pa-m-" + key + "-" + suffix;
        fixtures.provisionedMachine(key, clientId, PartnerClients.AuthMethod.SIGNED_JWT, jwksUrl, jwks,
                dpopBoundTokens);
        return clientId;
    }

    private String collectSecret(PartnerAccessClient client, JsonNode machine) throws Exception {
        HttpResponse<String> collected = client.post("ian.owner", "/api/machines/" + machine.get("id").asText() + "/secret",
                Map.of("token", handoverToken(machine.get("clientId").asText() + " is active")));
        assertThat(collected.statusCode()).as(collected.body()).isEqualTo(200);
        return JSON.readTree(collected.body()).get("clientSecret").asText();
    }

    /** The access token of a token response, empty when Keycloak refused the request. */
    private static Optional<String> accessToken(HttpResponse<String> answer) {
        if (answer.statusCode() != 200) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readTree(answer.body()).get("access_token").asText());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long issuedAt(String jwt) {
        try {
            byte[] payload = Base64.getUrlDecoder().decode(jwt.split("\\.")[1]);
            return JSON.readTree(new String(payload, StandardCharsets.UTF_8)).get("iat").asLong();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
