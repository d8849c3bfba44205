package org.partneraccess.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.partneraccess.drift.DriftFixtures.clientId;
import static org.partneraccess.drift.DriftFixtures.id;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.core.Response;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ClientScopeRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;
import org.partneraccess.Variables;
import org.partneraccess.audit.ActorKind;
import org.partneraccess.audit.AuditEvent;
import org.partneraccess.audit.AuditLog;
import org.partneraccess.keycloak.KeycloakProperties;
import org.partneraccess.support.ItFixtures;
import org.partneraccess.support.KeycloakAdmin;
import org.partneraccess.support.PartnerAccessTest;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * What Keycloak lets the application's own credential do and cannot refuse (see
 * {@code ProvisionerPrivilegesIT.whatKeycloakCannotNarrowYet}), done with that credential, is found by one
 * reconciliation run: a client nobody registered (enabled or disabled), a client scope outside the catalogue, and a
 * partner machine's client given protocol mappers, browser and password flows, redirect URIs, public access or another
 * authenticator. Each finding is stored and its review opened for the security officers; correction takes back what
 * is a partner identity's and refuses the rest. An honest realm shows none of it.
 */
@PartnerAccessTest
class ProvisionerTamperingIT {

    private static final String SECURITY_OFFICER = "sofia.security";

    @Autowired
    Keycloak provisioner;
    @Autowired
    KeycloakProperties properties;
    @Autowired
    TaskService tasks;
    @Autowired
    IdentityService identity;
    @Autowired
    AuditLog audit;
    @Autowired
    StoredDriftFindingRepository stored;
    @Autowired
    ItFixtures fixtures;

    @Test
    void everyTamperingWithTheProvisionersCredentialIsFoundReviewedAndOnlyAPartnerIdentitysIsCorrected()
            throws Exception {
        String key = DriftFixtures.activePartnership(fixtures);
        JsonNode mapped = fixtures.activeMachine(key);
        JsonNode browser = fixtures.activeMachine(key);
        JsonNode authenticator = fixtures.activeMachine(key);
        JsonNode untouched = fixtures.activeMachine(key);
        String foreignClient = "foreign-" + key;
        String dormantClient = "dormant-" + key;
        String foreignScope = "all-apis-" + key;

        // honest: what provisioning made, and the realm as imported, show nothing of the kinds below
        JsonNode honest = DriftFixtures.reconcile(fixtures.client(), SECURITY_OFFICER);
        assertThat(honest.get("findings")).as("no machine client differs from its provisioning, no foreign scope")
                .noneMatch(finding -> Set.of("CLIENT_CONFIG", "FOREIGN_SCOPE").contains(finding.get("kind").asText()));
        assertThat(ours(honest, key)).isEmpty();

        try {
            RealmResource partner = provisioner.realm(properties.partnerRealm());
            // 1. clients nobody registered: one usable now, one waiting disabled
            createClient(partner, foreignClient, true);
            createClient(partner, dormantClient, false);
            // 2. a client scope outside the catalogue that adds every API as audience
            ClientScopeRepresentation scope = new ClientScopeRepresentation();
            scope.setName(foreignScope);
            scope.setProtocol("openid-connect");
            scope.setProtocolMappers(List.of(audience("every api", "payments-api")));
            try (Response created = partner.clientScopes().create(scope)) {
                assertThat(created.getStatus()).isEqualTo(201);
            }
            // 3. partner machines reconfigured: mappers; browser and password flows with a redirect URI, public;
            // another authenticator
            String mappedId = internalId(mapped);
            for (ProtocolMapperRepresentation mapper : List.of(hardcodedClaim(), audience("payments", "payments-api"))) {
                try (Response created = partner.clients().get(mappedId).getProtocolMappers().createMapper(mapper)) {
                    assertThat(created.getStatus()).isEqualTo(201);
                }
            }
            ClientRepresentation flows = partner.clients().get(internalId(browser)).toRepresentation();
            flows.setSecret(null);
            flows.setPublicClient(true);
            flows.setStandardFlowEnabled(true);
            flows.setImplicitFlowEnabled(true);
            flows.setDirectAccessGrantsEnabled(true);
            flows.setRedirectUris(List.of("https://attacker.example.org/*"));
            partner.clients().get(flows.getId()).update(flows);
            ClientRepresentation signed = partner.clients().get(internalId(authenticator)).toRepresentation();
            signed.setSecret(null);
            signed.setClientAuthenticatorType("client-secret-jwt");
            partner.clients().get(signed.getId()).update(signed);

            Map<String, JsonNode> found = ours(DriftFixtures.reconcile(fixtures.client(), SECURITY_OFFICER), key,
                    foreignClient, dormantClient, foreignScope);
            assertThat(found.keySet()).as("%s", found.values()).containsExactlyInAnyOrder(
                    "ORPHAN " + foreignClient, "ORPHAN " + dormantClient, "FOREIGN_SCOPE " + foreignScope,
                    "CLIENT_CONFIG " + clientId(mapped), "CLIENT_CONFIG " + clientId(browser),
                    "CLIENT_CONFIG " + clientId(authenticator));
            List<String> mapperIds = admin().clients().get(mappedId).getProtocolMappers().getMappers().stream()
                    .map(mapper -> "mapper " + mapper.getId()).toList();
            assertThat(excess(found.get("CLIENT_CONFIG " + clientId(mapped)))).containsExactlyInAnyOrderElementsOf(mapperIds)
                    .hasSize(2);
            assertThat(found.get("CLIENT_CONFIG " + clientId(mapped)).get("found").asText())
                    .contains("intruder (oidc-hardcoded-claim-mapper", "payments (oidc-audience-mapper");
            assertThat(excess(found.get("CLIENT_CONFIG " + clientId(browser)))).containsExactlyInAnyOrder(
                    "publicClient", "standardFlow", "implicitFlow", "directAccessGrants", "redirectUris");
            assertThat(excess(found.get("CLIENT_CONFIG " + clientId(authenticator))))
                    .containsExactly("authenticator client-secret-jwt");
            assertThat(found.get("ORPHAN " + dormantClient).get("key").asText()).endsWith("/disabled");
            assertThat(found.get("FOREIGN_SCOPE " + foreignScope).at("/object/type").asText()).isEqualTo("SCOPE");
            assertThat(found.get("FOREIGN_SCOPE " + foreignScope).get("found").asText())
                    .contains("every api (oidc-audience-mapper");

            // each stored, open, under a review of its own for the security officers, audited as the system's
            for (JsonNode finding : found.values()) {
                StoredDriftFinding row = stored.findById(finding.get("findingId").asText()).orElseThrow();
                assertThat(row.getStatus()).as(finding.get("key").asText()).isEqualTo(DriftFindingStatus.OPEN);
                assertThat(row.getKind().name()).isEqualTo(finding.get("kind").asText());
                assertThat(row.getKeycloakId()).isEqualTo(finding.at("/object/id").asText());
                assertThat(candidates(row)).as(finding.get("key").asText()).containsExactly("group:security-officers");
            }
            for (JsonNode machine : List.of(mapped, browser, authenticator)) {
                assertThat(audit.ofIdentity(id(machine))).filteredOn(event -> event.getAction()
                        .equals("DRIFT_REVIEW_OPENED")).extracting(AuditEvent::getActorKind)
                        .containsExactly(ActorKind.SYSTEM);
            }
            assertThat(audit.ofIdentity(id(untouched))).extracting(AuditEvent::getAction).doesNotContain(
                    "DRIFT_REVIEW_OPENED");

            // the security officer has the machines set back, the foreign client disabled, and tries the scope
            for (String corrected : List.of("CLIENT_CONFIG " + clientId(mapped), "CLIENT_CONFIG " + clientId(browser),
                    "ORPHAN " + foreignClient, "FOREIGN_SCOPE " + foreignScope)) {
                review(found.get(corrected), DriftReconciliation.CORRECT);
            }
            review(found.get("CLIENT_CONFIG " + clientId(authenticator)), DriftReconciliation.ACCEPT);
            await().atMost(Duration.ofSeconds(60)).until(() -> found.values().stream()
                    .filter(finding -> !finding.get("object").get("name").asText().equals(dormantClient))
                    .allMatch(finding -> stored.findById(finding.get("findingId").asText()).orElseThrow().getStatus()
                            != DriftFindingStatus.OPEN));

            assertThat(admin().clients().get(mappedId).getProtocolMappers().getMappers()).isEmpty();
            ClientRepresentation restored = admin().clients().get(internalId(browser)).toRepresentation();
            assertThat(restored.isPublicClient()).isFalse();
            assertThat(restored.isStandardFlowEnabled()).isFalse();
            assertThat(restored.isImplicitFlowEnabled()).isFalse();
            assertThat(restored.isDirectAccessGrantsEnabled()).isFalse();
            assertThat(restored.getRedirectUris()).isEmpty();
            assertThat(restored.isServiceAccountsEnabled()).isTrue();
            assertThat(restored.isEnabled()).isTrue();
            assertThat(admin().clients().get(internalId(authenticator)).toRepresentation().getClientAuthenticatorType())
                    .as("accepted as it is").isEqualTo("client-secret-jwt");
            assertThat(admin().clients().findByClientId(foreignClient).get(0).isEnabled()).isFalse();
            assertThat(admin().clientScopes().findAll()).extracting(ClientScopeRepresentation::getName)
                    .as("a client scope is no partner identity: left to a Keycloak administrator").contains(foreignScope);

            StoredDriftFinding mappers = row(found, "CLIENT_CONFIG " + clientId(mapped));
            assertThat(mappers.getStatus()).isEqualTo(DriftFindingStatus.CORRECTED);
            assertThat(mappers.getDecidedBy()).isEqualTo(SECURITY_OFFICER);
            assertThat(mappers.getOutcome()).contains("protocol mapper intruder (oidc-hardcoded-claim-mapper) deleted",
                    "protocol mapper payments (oidc-audience-mapper) deleted");
            assertThat(row(found, "CLIENT_CONFIG " + clientId(browser)).getOutcome()).isEqualTo(
                    "set back to the provisioned configuration: [directAccessGrants, implicitFlow, publicClient, "
                            + "redirectUris, standardFlow]");
            assertThat(row(found, "CLIENT_CONFIG " + clientId(authenticator)).getStatus())
                    .isEqualTo(DriftFindingStatus.ACCEPTED);
            assertThat(row(found, "ORPHAN " + foreignClient).getStatus()).isEqualTo(DriftFindingStatus.CORRECTED);
            StoredDriftFinding scopeRow = row(found, "FOREIGN_SCOPE " + foreignScope);
            assertThat(scopeRow.getStatus()).isEqualTo(DriftFindingStatus.GONE);
            assertThat(scopeRow.getOutcome()).startsWith("not a partner identity: client scope " + foreignScope);
            assertThat(audit.ofIdentity(id(mapped))).filteredOn(event -> event.getAction().equals("DRIFT_CORRECTED"))
                    .extracting(AuditEvent::getActor).containsExactly(SECURITY_OFFICER);
            assertThat(audit.ofIdentity(id(authenticator))).filteredOn(event -> event.getAction()
                    .equals("DRIFT_ACCEPTED")).extracting(AuditEvent::getActor).containsExactly(SECURITY_OFFICER);

            // the next run: the corrected ones are gone, the disabled foreign client needs no second review, the rest
            // stands where it was left
            Map<String, JsonNode> next = ours(DriftFixtures.reconcile(fixtures.client(), SECURITY_OFFICER), key,
                    foreignClient, dormantClient, foreignScope);
            assertThat(next.keySet()).containsExactlyInAnyOrder("ORPHAN " + foreignClient, "ORPHAN " + dormantClient,
                    "FOREIGN_SCOPE " + foreignScope, "CLIENT_CONFIG " + clientId(authenticator));
            assertThat(next.get("ORPHAN " + foreignClient).get("action").asText()).startsWith("disabled on review");
            assertThat(next.get("ORPHAN " + dormantClient).get("action").asText()).startsWith("under review");
            assertThat(next.get("CLIENT_CONFIG " + clientId(authenticator)).get("action").asText())
                    .startsWith("accepted as it is on review");
            assertThat(next.get("FOREIGN_SCOPE " + foreignScope).get("action").asText())
                    .as("refused, so still for a person").startsWith("review opened");

            // enabled again with the same credential: a new review, the earlier correction does not cover it
            ClientRepresentation again = partner.clients().findByClientId(foreignClient).get(0);
            again.setSecret(null);
            again.setEnabled(true);
            partner.clients().get(again.getId()).update(again);
            JsonNode enabled = ours(DriftFixtures.reconcile(fixtures.client(), SECURITY_OFFICER), key, foreignClient)
                    .get("ORPHAN " + foreignClient);
            assertThat(enabled.get("action").asText()).startsWith("review opened");
            assertThat(enabled.get("findingId").asText()).isNotEqualTo(found.get("ORPHAN " + foreignClient)
                    .get("findingId").asText());
        } finally {
            for (String clientId : List.of(foreignClient, dormantClient)) {
                admin().clients().findByClientId(clientId).forEach(found -> admin().clients().get(found.getId()).remove());
            }
            admin().clientScopes().findAll().stream().filter(found -> found.getName().equals(foreignScope))
                    .forEach(found -> admin().clientScopes().get(found.getId()).remove());
        }
    }

    // ------------------------------------------------------------------ helpers

    private static void createClient(RealmResource partner, String clientId, boolean enabled) {
        ClientRepresentation client = new ClientRepresentation();
        client.setClientId(clientId);
        client.setEnabled(enabled);
        client.setPublicClient(false);
        client.setServiceAccountsEnabled(true);
        try (Response created = partner.clients().create(client)) {
            assertThat(created.getStatus()).as(clientId).isEqualTo(201);
        }
    }

    /** The findings about this test's objects, by kind and Keycloak name: other tests share the realm. */
    private static Map<String, JsonNode> ours(JsonNode run, String key, String... names) {
        Set<String> mine = Set.of(names);
        Map<String, JsonNode> found = new LinkedHashMap<>();
        for (JsonNode finding : run.get("findings")) {
            String name = finding.at("/object/name").asText();
            if (key.equals(finding.path("partnershipKey").asText()) || mine.contains(name)) {
                assertThat(found.put(finding.get("kind").asText() + " " + name, finding)).as("one finding per kind")
                        .isNull();
            }
        }
        return found;
    }

    private static List<String> excess(JsonNode finding) {
        List<String> names = new ArrayList<>();
        finding.get("excess").forEach(name -> names.add(name.asText()));
        return names;
    }

    private StoredDriftFinding row(Map<String, JsonNode> found, String name) {
        return stored.findById(found.get(name).get("findingId").asText()).orElseThrow();
    }

    private List<String> candidates(StoredDriftFinding finding) {
        Task task = tasks.createTaskQuery().processInstanceBusinessKey(finding.getId()).singleResult();
        assertThat(task).as(finding.getFindingKey()).isNotNull();
        List<String> candidates = new ArrayList<>();
        tasks.getIdentityLinksForTask(task.getId()).stream().filter(link -> "candidate".equals(link.getType()))
                .forEach(link -> candidates.add(link.getUserId() != null ? "user:" + link.getUserId()
                        : "group:" + link.getGroupId()));
        return candidates;
    }

    private void review(JsonNode finding, String decision) {
        Task task = tasks.createTaskQuery().processInstanceBusinessKey(finding.get("findingId").asText()).singleResult();
        identity.setAuthentication(SECURITY_OFFICER, List.of("security-officers"));
        try {
            tasks.complete(task.getId(), Map.of(DriftReviewVariables.DRIFT_DECISION, decision, Variables.REVIEW_COMMENT,
                    "nobody approved this"));
        } finally {
            identity.clearAuthentication();
        }
    }

    private String internalId(JsonNode machine) {
        return admin().clients().findByClientId(clientId(machine)).get(0).getId();
    }

    private static ProtocolMapperRepresentation hardcodedClaim() {
        ProtocolMapperRepresentation mapper = new ProtocolMapperRepresentation();
        mapper.setName("intruder");
        mapper.setProtocol("openid-connect");
        mapper.setProtocolMapper("oidc-hardcoded-claim-mapper");
        mapper.setConfig(new HashMap<>(Map.of("claim.name", "role", "claim.value", "admin", "access.token.claim",
                "true")));
        return mapper;
    }

    private static ProtocolMapperRepresentation audience(String name, String audience) {
        ProtocolMapperRepresentation mapper = new ProtocolMapperRepresentation();
        mapper.setName(name);
        mapper.setProtocol("openid-connect");
        mapper.setProtocolMapper("oidc-audience-mapper");
        mapper.setConfig(new HashMap<>(Map.of("included.custom.audience", audience, "access.token.claim", "true")));
        return mapper;
    }

    /** The partner realm as the master realm's administrator reads it back, and cleans up after the test. */
    private RealmResource admin() {
        return KeycloakAdmin.realm(properties.partnerRealm());
    }
}
