package org.partneraccess.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.partneraccess.machine.MachineFixtures.registration;
import static org.partneraccess.machine.MachineFixtures.tokenWithJwtSvid;
import static org.partneraccess.machine.MachineFixtures.tokenWithWorkloadJwt;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.IdentityProviderRepresentation;
import org.partneraccess.LifecycleState;
import org.partneraccess.ProcessIds;
import org.partneraccess.keycloak.KeycloakAttributes;
import org.partneraccess.keycloak.KeycloakProperties;
import org.partneraccess.keycloak.PartnerClients;
import org.partneraccess.keycloak.PartnerIdentityProviders;
import org.partneraccess.keycloak.PartnerIdentityProviders.Kind;
import org.partneraccess.keycloak.TokenProbe;
import org.partneraccess.support.EngineDoors.Via;
import org.partneraccess.support.ItFixtures;
import org.partneraccess.support.PartnerAccessClient;
import org.partneraccess.support.PartnerAccessTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * A SPIFFE trust domain against a real Keycloak running its preview feature {@code spiffe}: the application with SPIFFE
 * switched on, its managed Keycloak started with the feature. This class runs in a JVM of its own (the build's
 * {@code spiffe} execution), since the Keycloak every other integration test shares runs without it. The partner's
 * trust domain is emulated on the loopback interface: its bundle endpoint and JWT-SVIDs signed with its key.
 */
@PartnerAccessTest
@TestPropertySource(properties = "partner-access.trust.spiffe.enabled=true")
class SpiffeTrustIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    ItFixtures fixtures;
    @Autowired
    TaskService tasks;
    @Autowired
    WorkloadTrusts trusts;
    @Autowired
    PartnerIdentityProviders providers;
    @Autowired
    PartnerClients partnerClients;
    @Autowired
    KeycloakProperties properties;
    @Autowired
    TokenProbe probe;

    @BeforeEach
    void keycloakRunsTheFeature() {
        assertThat(providers.offers(Kind.SPIFFE)).as("the managed Keycloak of this JVM runs with the feature spiffe "
                + "(this class needs a JVM of its own: run it alone or through the build's spiffe execution)").isTrue();
    }

    @Test
    void aSpiffeWorkloadGetsATokenWithItsJwtSvidAndNothingElseDoesUntilItIsRevoked() throws Exception {
        try (SpiffeTrustDomain partner = SpiffeTrustDomain.start("partner");
             SpiffeTrustDomain other = SpiffeTrustDomain.start("other")) {
            PartnerAccessClient client = fixtures.client();
            String key = fixtures.activePartnership();
            String trustId = approvedTrust(client, key, partner);

            IdentityProviderRepresentation provider = providers.find(PartnerIdentityProviders.alias(key)).orElseThrow();
            assertThat(provider.getProviderId()).isEqualTo("spiffe");
            assertThat(provider.isEnabled()).isTrue();
            assertThat(provider.isHideOnLogin()).as("no login page shows it").isTrue();
            assertThat(provider.getConfig()).containsEntry("trustDomain", partner.trustDomain())
                    .containsEntry("bundleEndpoint", partner.bundleEndpoint())
                    .containsEntry(KeycloakAttributes.PARTNERSHIP, key).containsEntry(KeycloakAttributes.IDENTITY, trustId);

            String spiffeId = partner.spiffeId("ns/orders/sa/sync");
            Map<String, Object> body = registration("FEDERATED", null);
            body.put("workloadSubject", spiffeId);
            JsonNode machine = fixtures.registerMachine(key, body);
            String id = machine.get("id").asText();
            String clientId = machine.get("clientId").asText();
            fixtures.awaitState(id, LifecycleState.ACTIVE);
            ClientRepresentation kc = partnerClients.findClient(clientId).orElseThrow();
            assertThat(kc.getClientAuthenticatorType()).isEqualTo("federated-jwt");
            assertThat(kc.getAttributes()).containsEntry("jwt.credential.issuer", PartnerIdentityProviders.alias(key))
                    .containsEntry("jwt.credential.sub", spiffeId).containsEntry(KeycloakAttributes.IDENTITY, id);

            String audience = properties.partnerRealmUrl();
            String svid = partner.svid(spiffeId, audience);
            HttpResponse<String> token = tokenWithJwtSvid(fixtures.keycloakUrl(), svid);
            assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
            String accessToken = JSON.readTree(token.body()).get("access_token").asText();
            assertThat(probe.active(accessToken)).isTrue();
            assertThat(claims(accessToken).get("azp").asText()).isEqualTo(clientId);

            Map<String, HttpResponse<String>> refused = new LinkedHashMap<>();
            refused.put("another SPIFFE ID of the trust domain", tokenWithJwtSvid(fixtures.keycloakUrl(),
                    partner.svid(partner.spiffeId("ns/orders/sa/admin"), audience)));
            refused.put("another trust domain", tokenWithJwtSvid(fixtures.keycloakUrl(),
                    other.svid(other.spiffeId("ns/orders/sa/sync"), audience)));
            refused.put("its SPIFFE ID, a key not in the bundle", tokenWithJwtSvid(fixtures.keycloakUrl(),
                    other.svid(spiffeId, audience)));
            refused.put("its SPIFFE ID, the bundle's key id, another key", tokenWithJwtSvid(fixtures.keycloakUrl(),
                    other.svid(spiffeId, audience, partner.keyId())));
            refused.put("another audience", tokenWithJwtSvid(fixtures.keycloakUrl(),
                    partner.svid(spiffeId, "https://api.partner.example.org")));
            refused.put("its JWT-SVID as a plain JWT bearer assertion", tokenWithWorkloadJwt(fixtures.keycloakUrl(), svid));
            refused.forEach((what, answer) -> {
                assertThat(answer.statusCode()).as(what + ": " + answer.body()).isIn(400, 401);
                assertThat(answer.body()).as(what).doesNotContain("access_token");
            });

            // the provider and the client are as provisioned: drift finds nothing on either
            HttpResponse<String> reconciled = client.post("sofia.security", "/api/drift/reconciliations", Map.of());
            assertThat(findingsOn(reconciled, PartnerIdentityProviders.alias(key))).as(reconciled.body()).isEmpty();
            assertThat(findingsOn(reconciled, clientId)).as(reconciled.body()).isEmpty();

            // revoked: the JWT-SVID that worked (SPIFFE lets a workload use one again) and a fresh one are refused
            HttpResponse<String> reported = client.post("sofia.security", "/api/identities/" + id + "/incidents",
                    Map.of("reason", "workload compromised", "severity", "HIGH"));
            assertThat(reported.statusCode()).as(reported.body()).isEqualTo(202);
            fixtures.awaitState(id, LifecycleState.REVOKED);
            assertThat(partnerClients.findClient(clientId).orElseThrow().isEnabled()).isFalse();
            for (String after : List.of(svid, partner.svid(spiffeId, audience))) {
                HttpResponse<String> answer = tokenWithJwtSvid(fixtures.keycloakUrl(), after);
                assertThat(answer.statusCode()).as("revoked: " + answer.body()).isIn(400, 401);
            }
            assertThat(probe.active(accessToken)).as("the token taken before").isFalse();
        }
    }

    /**
     * Keycloak finds a SPIFFE workload's client by its SPIFFE ID alone, in the whole realm: a second partnership
     * trusting the same domain (with a bundle of its own) could register the same SPIFFE ID. It is refused.
     */
    @Test
    void aTrustDomainTrustedForOnePartnershipIsRefusedToAnother() throws Exception {
        try (SpiffeTrustDomain partner = SpiffeTrustDomain.start("partner");
             SpiffeTrustDomain attacker = SpiffeTrustDomain.start("attacker")) {
            PartnerAccessClient client = fixtures.client();
            approvedTrust(client, fixtures.activePartnership(), partner);

            String other = fixtures.activePartnership();
            HttpResponse<String> refused = client.post("rita.requester", "/api/partnerships/" + other + "/workload-trust",
                    Map.of("kind", "SPIFFE", "issuer", partner.trustDomain(), "jwksUrl", attacker.bundleEndpoint()));
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
            assertThat(JSON.readTree(refused.body()).path("errors").path("issuer").asText()).as(refused.body())
                    .contains("another partnership");
            assertThat(trusts.openFor(other)).as("nothing stored").isEmpty();
            assertThat(providers.find(PartnerIdentityProviders.alias(other))).isEmpty();
        }
    }

    /** The partner's trust domain requested by a requester and approved by a security officer; its trust id. */
    private String approvedTrust(PartnerAccessClient client, String key, SpiffeTrustDomain domain) throws Exception {
        HttpResponse<String> requested = client.post("rita.requester", "/api/partnerships/" + key + "/workload-trust",
                Map.of("kind", "SPIFFE", "issuer", domain.trustDomain(), "jwksUrl", domain.bundleEndpoint()));
        assertThat(requested.statusCode()).as(requested.body()).isEqualTo(201);
        String trustId = JSON.readTree(requested.body()).get("trustId").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> task(trustId) != null);
        HttpResponse<String> approved = fixtures.doors().call(Via.ENGINE_REST, "sofia.security", "POST",
                "/task/" + task(trustId).getId() + "/complete",
                Map.of("variables", Map.of("securityOfficerApproved", Map.of("value", true))));
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(60)).until(() -> trusts.get(trustId).getState() == LifecycleState.ACTIVE);
        assertThat(trusts.get(trustId).getApprovedBy()).isEqualTo("sofia.security");
        return trustId;
    }

    private Task task(String trustId) {
        return tasks.createTaskQuery().processInstanceBusinessKey(trustId)
                .taskDefinitionKey(ProcessIds.TASK_APPROVE_WORKLOAD_TRUST).singleResult();
    }

    /** The findings of a reconciliation's answer on the Keycloak object of this name. */
    private static List<JsonNode> findingsOn(HttpResponse<String> run, String name) throws Exception {
        assertThat(run.statusCode()).as(run.body()).isEqualTo(200);
        List<JsonNode> found = new ArrayList<>();
        JSON.readTree(run.body()).path("findings").forEach(finding -> {
            if (name.equals(finding.path("object").path("name").asText())) {
                found.add(finding);
            }
        });
        return found;
    }

    private static JsonNode claims(String jwt) throws Exception {
        return JSON.readTree(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }
}
