package org.partneraccess.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.partneraccess.machine.MachineFixtures.JSON;
import static org.partneraccess.machine.MachineFixtures.complete;
import static org.partneraccess.machine.MachineFixtures.registration;
import static org.partneraccess.machine.MachineFixtures.scopes;
import static org.partneraccess.machine.MachineFixtures.send;
import static org.partneraccess.machine.MachineFixtures.tokenWithKey;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Base64;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.partneraccess.LifecycleState;
import org.partneraccess.ProcessIds;
import org.partneraccess.Variables;
import org.partneraccess.audit.AuditEvent;
import org.partneraccess.audit.AuditLog;
import org.partneraccess.drift.DriftFinding;
import org.partneraccess.drift.DriftKind;
import org.partneraccess.drift.DriftReconciliation;
import org.partneraccess.keycloak.PartnerClients;
import org.partneraccess.keycloak.ProvisionedClient;
import org.partneraccess.keycloak.TokenProbe;
import org.partneraccess.machine.MachineFixtures.DpopKey;
import org.partneraccess.machine.MachineFixtures.PartnerKey;
import org.partneraccess.support.ItFixtures;
import org.partneraccess.support.PartnerAccessClient;
import org.partneraccess.support.PartnerAccessTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/**
 * Sender-constrained machine tokens against the real Keycloak: from risk tier HIGH up the policy requires a machine's
 * access tokens to be bound to a key it holds (DPoP, RFC 9449). Keycloak then refuses a token request without a proof,
 * binds the token to the proof's key ({@code cnf.jkt}), introspection shows the binding, and Keycloak's userinfo
 * endpoint refuses the token presented without a proof of that key. Below HIGH nothing changes for the partner, and a
 * proof it offers is honoured.
 */
@PartnerAccessTest
class DpopBoundTokensIT {

    @Autowired
    ItFixtures fixtures;
    @Value("${partner-access.keycloak.introspector-secret}")
    String introspectorSecret;
    @Autowired
    TaskService tasks;
    @Autowired
    IdentityService identity;
    @Autowired
    PartnerClients partnerClients;
    @Autowired
    AuditLog audit;
    @Autowired
    DriftReconciliation drift;
    @Autowired
    Keycloak admin;
    @Autowired
    TokenProbe probe;

    PartnerAccessClient client;
    String keycloakUrl;

    @BeforeEach
    void client() {
        client = fixtures.client();
        keycloakUrl = fixtures.keycloakUrl();
    }

    @AfterEach
    void clearAuthentication() {
        identity.clearAuthentication();
    }

    @Test
    void aHighRiskMachinesTokenIsBoundToItsKeyAndRefusedWithoutItsProof() throws Exception {
        PartnerKey key = PartnerKey.generate();
        Registered machine = approvedProductionWriter(key);
        String id = machine.id();
        String clientId = machine.clientId();

        // the policy's word, in the decision's evidence, the registry and Keycloak's own client switch
        JsonNode shown = JSON.readTree(client.get("ian.owner", "/api/machines/" + id).body());
        assertThat(shown.get("riskTier").asText()).isEqualTo("HIGH");
        assertThat(shown.get("dpopBoundTokens").asBoolean()).isTrue();
        assertThat(policyDecided(id)).contains("dpopRequired=true");
        assertThat(partnerClients.findClient(clientId).orElseThrow().getAttributes())
                .containsEntry(ProvisionedClient.DPOP_BOUND_ACCESS_TOKENS, "true");

        // the signed client assertion alone no longer gets a token
        HttpResponse<String> withoutProof = tokenWithKey(keycloakUrl, clientId, key);
        assertThat(withoutProof.statusCode()).as(withoutProof.body()).isEqualTo(400);
        assertThat(JSON.readTree(withoutProof.body()).path("error").asText()).isEqualTo("invalid_request");

        DpopKey held = DpopKey.generate();
        HttpResponse<String> bound = tokenWithKey(keycloakUrl, clientId, key, held, "openid");
        assertThat(bound.statusCode()).as(bound.body()).isEqualTo(200);
        assertThat(JSON.readTree(bound.body()).get("token_type").asText()).isEqualTo("DPoP");
        assertThat(scopes(bound)).contains("orders.read", "orders.write");
        String token = JSON.readTree(bound.body()).get("access_token").asText();
        assertThat(claims(token).path("cnf").path("jkt").asText()).isEqualTo(held.thumbprint());

        JsonNode introspected = introspect(token);
        assertThat(introspected.path("active").asBoolean()).as(introspected.toString()).isTrue();
        assertThat(introspected.path("cnf").path("jkt").asText()).as("the binding a resource server checks")
                .isEqualTo(held.thumbprint());

        // Keycloak's userinfo, which checks the binding: with the proof it answers, without it the token is refused
        HttpResponse<String> proven = userinfo("DPoP " + token, held.proof("GET", userinfoEndpoint(), token));
        assertThat(proven.statusCode()).as("with its proof: " + proven.body()).isEqualTo(200);
        assertThat(userinfo("Bearer " + token, null).statusCode()).as("as a bearer token").isEqualTo(401);
        assertThat(userinfo("DPoP " + token, null).statusCode()).as("without a proof").isEqualTo(401);
        DpopKey thief = DpopKey.generate();
        assertThat(userinfo("DPoP " + token, thief.proof("GET", userinfoEndpoint(), token)).statusCode())
                .as("with a proof of another key").isEqualTo(401);
        assertThat(userinfo("DPoP " + token, held.proof("GET", userinfoEndpoint(), null)).statusCode())
                .as("with a proof of the key not naming the token").isEqualTo(401);
    }

    @Test
    void aRequiredBindingSwitchedOffInKeycloakIsDriftAndItsCorrectionSwitchesItOnAgain() throws Exception {
        PartnerKey key = PartnerKey.generate();
        Registered machine = approvedProductionWriter(key);
        String id = machine.id();
        String clientId = machine.clientId();
        assertThat(drift.preview().findings()).as("as provisioned").noneMatch(found -> id.equals(found.identityId()));

        // switched off by whoever may manage the partner clients: a stolen token would work without the key
        RealmResource realm = admin.realm("partner");
        ClientRepresentation switched = realm.clients().findByClientId(clientId).get(0);
        switched.getAttributes().put(ProvisionedClient.DPOP_BOUND_ACCESS_TOKENS, "false");
        realm.clients().get(switched.getId()).update(switched);
        assertThat(tokenWithKey(keycloakUrl, clientId, key).statusCode()).as("unbound now").isEqualTo(200);

        DriftFinding found = drift.preview().findings().stream().filter(finding -> id.equals(finding.identityId()))
                .findFirst().orElseThrow();
        assertThat(found.kind()).isEqualTo(DriftKind.CLIENT_CONFIG);
        assertThat(found.excess()).containsExactly(ProvisionedClient.DPOP_BOUND_ACCESS_TOKENS);
        assertThat(found.expected()).contains("DPoP-bound access tokens required");

        // the security officer's correction sets the client back as provisioning made it
        assertThat(partnerClients.setBackToProvisioning(partnerClients.findClientById(switched.getId()).orElseThrow(),
                PartnerClients.AuthMethod.SIGNED_JWT, null, JSON.writeValueAsString(key.jwks()), true, found.excess()))
                .isNotEmpty();
        assertThat(realm.clients().get(switched.getId()).toRepresentation().getAttributes())
                .containsEntry(ProvisionedClient.DPOP_BOUND_ACCESS_TOKENS, "true");
        assertThat(tokenWithKey(keycloakUrl, clientId, key).statusCode()).as("bound again").isEqualTo(400);
        assertThat(drift.preview().findings()).noneMatch(finding -> id.equals(finding.identityId()));
    }

    @Test
    void aLowRiskMachineGetsItsTokenWithoutAProofAndABoundOneWhenItOffersOne() throws Exception {
        String partnership = fixtures.activePartnership();
        PartnerKey key = PartnerKey.generate();
        HttpResponse<String> created = client.post("rita.requester", "/api/partnerships/" + partnership + "/machines",
                registration("SIGNED_JWT", key));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode machine = JSON.readTree(created.body());
        String id = machine.get("id").asText();
        String clientId = machine.get("clientId").asText();
        fixtures.awaitState(id, LifecycleState.ACTIVE);

        JsonNode shown = JSON.readTree(client.get("ian.owner", "/api/machines/" + id).body());
        assertThat(shown.get("riskTier").asText()).isEqualTo("LOW");
        assertThat(shown.get("dpopBoundTokens").asBoolean()).isFalse();
        assertThat(policyDecided(id)).contains("dpopRequired=false");
        assertThat(partnerClients.findClient(clientId).orElseThrow().getAttributes())
                .containsEntry(ProvisionedClient.DPOP_BOUND_ACCESS_TOKENS, "false");

        HttpResponse<String> plain = tokenWithKey(keycloakUrl, clientId, key);
        assertThat(plain.statusCode()).as(plain.body()).isEqualTo(200);
        assertThat(JSON.readTree(plain.body()).get("token_type").asText()).isEqualToIgnoringCase("Bearer");
        String bearer = JSON.readTree(plain.body()).get("access_token").asText();
        assertThat(claims(bearer).has("cnf")).isFalse();
        assertThat(introspect(bearer).path("active").asBoolean()).isTrue();

        DpopKey offered = DpopKey.generate();
        HttpResponse<String> bound = tokenWithKey(keycloakUrl, clientId, key, offered);
        assertThat(bound.statusCode()).as(bound.body()).isEqualTo(200);
        assertThat(JSON.readTree(bound.body()).get("token_type").asText()).isEqualTo("DPoP");
        String token = JSON.readTree(bound.body()).get("access_token").asText();
        assertThat(claims(token).path("cnf").path("jkt").asText()).isEqualTo(offered.thumbprint());
        assertThat(introspect(token).path("cnf").path("jkt").asText()).isEqualTo(offered.thumbprint());
    }

    @Test
    void theRevocationProbeIsRefusedOnlyForWhatARevocationDoesNotForAMissingProof() throws Exception {
        // a secret client that requires bound tokens (the shipped policy allows no secret from HIGH up; a changed one
        // might): the incident cut-off's proof asks for a token with the old secret and must be refused for the
        // revocation alone, or "old secret refused" would prove nothing
        String clientId = "pa-m-dpop-probe-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        String identityId = java.util.UUID.randomUUID().toString();
        String keycloakId = partnerClients.ensureMachineClient(new PartnerClients.MachineClient(clientId, clientId,
                "revocation probe", "dpop-probe", identityId, java.util.List.of("orders.read"), Duration.ofSeconds(30),
                PartnerClients.AuthMethod.CLIENT_SECRET, null, null, true));
        RealmResource realm = admin.realm("partner");
        try {
            String secret = realm.clients().get(keycloakId).getSecret().getValue();
            assertThat(MachineFixtures.tokenWithSecret(keycloakUrl, clientId, secret).statusCode())
                    .as("the secret alone").isEqualTo(400);
            String probed = probe.clientCredentials(clientId, secret).orElseThrow(() ->
                    new AssertionError("the probe was refused a token the client's secret and a proof should get"));
            assertThat(claims(probed).path("cnf").has("jkt")).as("bound to the probe's own key").isTrue();
            assertThat(probe.active(probed)).isTrue();

            // the client's not-before counts in whole seconds: the cut-off comes in a later second than the token
            long issued = claims(probed).get("iat").asLong();
            await().until(() -> java.time.Instant.now().getEpochSecond() > issued);
            partnerClients.disableClient(clientId, identityId);
            partnerClients.replaceSecret(clientId, identityId);
            assertThat(probe.clientCredentials(clientId, secret)).as("old secret after the cut-off").isEmpty();
            assertThat(probe.active(probed)).as("earlier token after the cut-off").isFalse();
        } finally {
            realm.clients().get(keycloakId).remove();
        }
    }

    /** A HIGH-risk machine (signed JWT, writes in production) approved by its owner and a security officer. */
    private Registered approvedProductionWriter(PartnerKey key) throws Exception {
        String production = fixtures.activePartnership(true);
        HttpResponse<String> created = client.post("rita.requester", "/api/partnerships/" + production + "/machines",
                productionWriter(key));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode machine = JSON.readTree(created.body());
        Registered registered = new Registered(machine.get("id").asText(), machine.get("clientId").asText());
        complete(tasks, identity, registered.id(), ProcessIds.TASK_APPROVE_MACHINE_AS_OWNER, "ian.owner",
                "identity-owners", Map.of(MachineAccessVariables.OWNER_APPROVED, true));
        complete(tasks, identity, registered.id(), ProcessIds.TASK_APPROVE_MACHINE_AS_SECURITY_OFFICER,
                "sofia.security", "security-officers", Map.of(Variables.SECURITY_OFFICER_APPROVED, true));
        fixtures.awaitState(registered.id(), LifecycleState.ACTIVE);
        return registered;
    }

    private record Registered(String id, String clientId) {
    }

    /** Write access in production: HIGH risk, so the owner and a security officer approve, and DPoP is required. */
    private static Map<String, Object> productionWriter(PartnerKey key) {
        Map<String, Object> writer = registration("SIGNED_JWT", key, "orders.read", "orders.write");
        writer.put("environment", "production");
        writer.put("tokenLifespanSeconds", 30);
        writer.put("endDate", LocalDate.now().plusDays(60).toString());
        return writer;
    }

    private String policyDecided(String id) {
        return audit.ofIdentity(id).stream().filter(e -> e.getAction().equals("MACHINE_POLICY_DECIDED")).findFirst()
                .map(AuditEvent::getDetail).orElseThrow();
    }

    private String userinfoEndpoint() {
        return keycloakUrl + "/realms/partner/protocol/openid-connect/userinfo";
    }

    private HttpResponse<String> userinfo(String authorization, String proof) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(userinfoEndpoint()))
                .header("Authorization", authorization);
        if (proof != null) {
            request.header("DPoP", proof);
        }
        return send(request.GET().build());
    }

    /** Keycloak's introspection, asked as the partner's resource servers ask it. */
    private JsonNode introspect(String token) throws Exception {
        String body = "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)
                + "&client_id=partner-access-introspector&client_secret="
                + URLEncoder.encode(introspectorSecret, StandardCharsets.UTF_8);
        return JSON.readTree(send(HttpRequest.newBuilder(URI.create(MachineFixtures.tokenEndpoint(keycloakUrl)
                        + "/introspect"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build()).body());
    }

    private static JsonNode claims(String jwt) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }
}
