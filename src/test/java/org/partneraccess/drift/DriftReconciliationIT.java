package org.partneraccess.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.partneraccess.drift.DriftFixtures.clientId;
import static org.partneraccess.drift.DriftFixtures.id;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.Response;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ClientScopeRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.partneraccess.decision.Decisions;
import org.partneraccess.support.ItFixtures;
import org.partneraccess.support.KeycloakAdmin;
import org.partneraccess.LifecycleState;
import org.partneraccess.ProcessIds;
import org.partneraccess.Variables;
import org.partneraccess.audit.ActorKind;
import org.partneraccess.audit.AuditEvent;
import org.partneraccess.audit.AuditLog;
import org.partneraccess.human.HumanAccessService;
import org.partneraccess.inventory.internal.PartnerIdentityRepository;
import org.partneraccess.keycloak.KeycloakAttributes;
import org.partneraccess.keycloak.PartnerClients;
import org.partneraccess.keycloak.PartnerUsers;
import org.partneraccess.support.PartnerAccessTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/**
 * Each kind of drift made by hand in the real partner realm, outside the application, then found by
 * {@code GET /api/drift}: what the registry revoked is disabled again and audited, everything else waits in a review
 * task for the right people, once, however often the reconciliation runs.
 */
@PartnerAccessTest
class DriftReconciliationIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Value("${partner-access.keycloak.partner-realm}")
    String partnerRealm;
    @Autowired
    TaskService tasks;
    @Autowired
    IdentityService identity;
    @Autowired
    RuntimeService runtime;
    @Autowired
    PartnerIdentityRepository identities;
    @Autowired
    HumanAccessService humans;
    @Autowired
    Decisions decisions;
    @Autowired
    PartnerUsers partnerUsers;
    @Autowired
    PartnerClients partnerClients;
    @Autowired
    AuditLog audit;
    @Autowired
    StoredDriftFindingRepository stored;
    @Autowired
    ItFixtures fixtures;

    @Test
    void everyKindOfDriftIsFoundRevokedAccessIsTakenBackAndTheRestIsReviewedOnce() throws Exception {
        String key = activePartnership();
        String extraRole = fixtures.provisionedPerson(key, "extra-role." + key + "@partner.example.org");
        String revokedPerson = fixtures.provisionedPerson(key, "revoked." + key + "@partner.example.org");
        String untouchedPerson = fixtures.provisionedPerson(key, "untouched." + key + "@partner.example.org");
        JsonNode revokedMachine = fixtures.activeMachine(key);
        JsonNode extraScope = fixtures.activeMachine(key);
        JsonNode longLived = fixtures.activeMachine(key);
        JsonNode untouchedMachine = fixtures.activeMachine(key);

        // what the registry ended, someone enables again in Keycloak
        humans.revoke(revokedPerson, "access end date reached", "system");
        realm().users().get(userId(revokedPerson)).update(enabled(realm().users().get(userId(revokedPerson))
                .toRepresentation()));
        assertThat(fixtures.client().post("sofia.security", "/api/identities/" + id(revokedMachine) + "/incidents",
                Map.of("reason", "key leaked", "severity", "HIGH")).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                identities.findById(id(revokedMachine)).orElseThrow().getState() == LifecycleState.REVOKED);
        await().atMost(Duration.ofSeconds(30)).until(() -> !partnerClients.findClient(clientId(revokedMachine)).orElseThrow()
                .isEnabled());
        partnerClients.enableClient(clientId(revokedMachine), id(revokedMachine));
        // privileges beyond approval
        RoleRepresentation payments = realm().users().get(userId(extraRole)).roles().realmLevel().listAvailable()
                .stream().filter(role -> role.getName().equals("payments.initiate")).findFirst().orElseThrow();
        realm().users().get(userId(extraRole)).roles().realmLevel().add(List.of(payments));
        ClientScopeRepresentation invoices = realm().clientScopes().findAll().stream()
                .filter(scope -> scope.getName().equals("invoices.read")).findFirst().orElseThrow();
        realm().clients().get(internalId(extraScope)).addOptionalClientScope(invoices.getId());
        ClientRepresentation raised = realm().clients().get(internalId(longLived)).toRepresentation();
        raised.getAttributes().put("access.token.lifespan", "3600");
        realm().clients().get(internalId(longLived)).update(raised);
        // orphans: a user nobody registered, a client naming an identity the registry does not know
        String orphanUser = "orphan-" + key;
        UserRepresentation user = new UserRepresentation();
        user.setUsername(orphanUser);
        user.setEnabled(true);
        try (Response created = realm().users().create(user)) {
            assertThat(created.getStatus()).isEqualTo(201);
        }
        String rogueClient = "rogue-" + key;
        ClientRepresentation rogue = new ClientRepresentation();
        rogue.setClientId(rogueClient);
        rogue.setEnabled(true);
        rogue.setServiceAccountsEnabled(true);
        rogue.setPublicClient(false);
        rogue.setAttributes(new HashMap<>(Map.of(KeycloakAttributes.IDENTITY, UUID.randomUUID().toString(),
                KeycloakAttributes.PARTNERSHIP, key)));
        try (Response created = realm().clients().create(rogue)) {
            assertThat(created.getStatus()).isEqualTo(201);
        }

        // reading changes nothing: the auditor sees what the reconciliation will do
        Map<String, JsonNode> read = ours(drift("alice.auditor"), key, orphanUser, rogueClient);
        assertThat(read).hasSize(7);
        assertThat(read.get("REVOKED_BUT_ACTIVE " + username(revokedPerson)).get("action").asText())
                .isEqualTo("to be corrected by the next reconciliation");
        assertThat(read.get("ORPHAN " + orphanUser).get("action").asText())
                .isEqualTo("a review to be opened by the next reconciliation");
        assertThat(partnerUsers.findUser(username(revokedPerson)).orElseThrow().isEnabled()).isTrue();
        assertThat(partnerClients.findClient(clientId(revokedMachine)).orElseThrow().isEnabled()).isTrue();
        for (JsonNode finding : read.values()) {
            assertThat(finding.path("findingId").textValue()).as(finding.get("key").asText()).isNull();
            assertThat(stored.findByFindingKeyOrderByDetectedAt(finding.get("key").asText()))
                    .as("reading stores nothing: " + finding.get("key").asText()).isEmpty();
        }

        Map<String, JsonNode> found = ours(reconcile("sofia.security"), key, orphanUser, rogueClient);
        assertThat(found.keySet()).as("%s", found.values()).containsExactlyInAnyOrder(
                "ORPHAN " + orphanUser,
                "ORPHAN " + rogueClient,
                "REVOKED_BUT_ACTIVE " + username(revokedPerson),
                "REVOKED_BUT_ACTIVE " + clientId(revokedMachine),
                "EXCESS_PRIVILEGE " + username(extraRole),
                "EXCESS_PRIVILEGE " + clientId(extraScope),
                "LIFESPAN_BEYOND_POLICY " + clientId(longLived));
        assertThat(found.values()).noneMatch(finding -> finding.at("/object/name").asText().equals(username(untouchedPerson))
                || finding.at("/object/name").asText().equals(clientId(untouchedMachine)));
        assertThat(found.get("EXCESS_PRIVILEGE " + username(extraRole)).get("excess").toString())
                .isEqualTo("[\"payments.initiate\"]");
        assertThat(found.get("EXCESS_PRIVILEGE " + clientId(extraScope)).get("excess").toString())
                .isEqualTo("[\"invoices.read\"]");
        JsonNode lifespan = found.get("LIFESPAN_BEYOND_POLICY " + clientId(longLived));
        assertThat(lifespan.get("expected").asText()).isEqualTo("access token lifespan at most 45 s");
        assertThat(lifespan.get("found").asText()).isEqualTo("access token lifespan 3600 s");
        assertThat(found.get("ORPHAN " + rogueClient).get("found").asText()).contains("which the registry does not know");
        assertThat(found.get("REVOKED_BUT_ACTIVE " + username(revokedPerson)).get("registryState").asText())
                .isEqualTo("REVOKED");

        // revoked: taken back at once, as the system's action
        assertThat(partnerUsers.findUser(username(revokedPerson)).orElseThrow().isEnabled()).isFalse();
        assertThat(partnerClients.findClient(clientId(revokedMachine)).orElseThrow().isEnabled()).isFalse();
        assertThat(found.get("REVOKED_BUT_ACTIVE " + username(revokedPerson)).get("action").asText())
                .isEqualTo("corrected: user disabled, sessions ended, roles removed");
        assertThat(found.get("REVOKED_BUT_ACTIVE " + clientId(revokedMachine)).get("action").asText())
                .isEqualTo("corrected: client disabled, secret replaced");
        for (String revoked : List.of(revokedPerson, id(revokedMachine))) {
            AuditEvent corrected = audit.ofIdentity(revoked).stream()
                    .filter(event -> event.getAction().equals("DRIFT_CORRECTED")).findFirst().orElseThrow();
            assertThat(corrected.getActorKind()).isEqualTo(ActorKind.SYSTEM);
            assertThat(corrected.getDetail()).startsWith("REVOKED_BUT_ACTIVE");
            StoredDriftFinding row = stored.findByIdentityIdOrderByDetectedAt(revoked).get(0);
            assertThat(row.getStatus()).isEqualTo(DriftFindingStatus.CORRECTED);
            assertThat(row.getDecidedBy()).isEqualTo("system");
            assertThat(row.getReviewProcessId()).as("corrected at once, no review").isNull();
        }
        // every other finding is stored, open, and its review carries the stored finding's id as its business key
        for (String reviewed : List.of("ORPHAN " + orphanUser, "ORPHAN " + rogueClient, "EXCESS_PRIVILEGE "
                + username(extraRole), "EXCESS_PRIVILEGE " + clientId(extraScope), "LIFESPAN_BEYOND_POLICY "
                + clientId(longLived))) {
            JsonNode finding = found.get(reviewed);
            StoredDriftFinding row = stored.findById(finding.get("findingId").asText()).orElseThrow();
            assertThat(row.getStatus()).as(reviewed).isEqualTo(DriftFindingStatus.OPEN);
            assertThat(row.getFindingKey()).isEqualTo(finding.get("key").asText());
            assertThat(row.getKeycloakId()).isEqualTo(finding.at("/object/id").asText());
            assertThat(row.getKeycloakName()).isEqualTo(finding.at("/object/name").asText());
            assertThat(row.getDecision()).isNull();
            assertThat(runtime.createProcessInstanceQuery().processInstanceId(row.getReviewProcessId()).singleResult()
                    .getBusinessKey()).isEqualTo(row.getId());
        }

        // everything else: one review each, for the right people
        assertThat(candidates(found.get("ORPHAN " + orphanUser))).containsExactly("group:security-officers");
        assertThat(candidates(found.get("ORPHAN " + rogueClient))).containsExactly("group:security-officers");
        assertThat(candidates(found.get("EXCESS_PRIVILEGE " + username(extraRole))))
                .containsExactlyInAnyOrder("user:sam.sponsor", "user:ian.owner");
        assertThat(candidates(found.get("EXCESS_PRIVILEGE " + clientId(extraScope)))).containsExactly("user:ian.owner");
        assertThat(candidates(found.get("LIFESPAN_BEYOND_POLICY " + clientId(longLived))))
                .containsExactly("user:ian.owner");

        // the next run opens nothing new, and the revoked ones are gone
        Map<String, JsonNode> again = ours(reconcile("sofia.security"), key, orphanUser, rogueClient);
        assertThat(again.keySet()).as("%s", again.values()).containsExactlyInAnyOrder("ORPHAN " + orphanUser, "ORPHAN " + rogueClient,
                "EXCESS_PRIVILEGE " + username(extraRole), "EXCESS_PRIVILEGE " + clientId(extraScope),
                "LIFESPAN_BEYOND_POLICY " + clientId(longLived));
        assertThat(again.values()).allMatch(finding -> finding.get("action").asText().startsWith("under review"));
        for (JsonNode finding : again.values()) {
            assertThat(finding.get("findingId").asText()).isEqualTo(found.get(finding.get("kind").asText() + " "
                    + finding.at("/object/name").asText()).get("findingId").asText());
            assertThat(stored.findByFindingKeyOrderByDetectedAt(finding.get("key").asText())).hasSize(1);
            assertThat(runtime.createProcessInstanceQuery().processDefinitionKey(ProcessIds.DRIFT_REVIEW_PROCESS)
                    .processInstanceBusinessKey(finding.get("findingId").asText()).count()).as(finding.get("key").asText())
                    .isEqualTo(1);
        }

        // the owner has the extra scope removed and accepts the longer lifespan; both decisions are audited
        review(again.get("EXCESS_PRIVILEGE " + clientId(extraScope)), "ian.owner", DriftReconciliation.CORRECT);
        review(again.get("LIFESPAN_BEYOND_POLICY " + clientId(longLived)), "ian.owner", DriftReconciliation.ACCEPT);
        await().atMost(Duration.ofSeconds(30)).until(() -> !partnerClients.grantedClientScopesOf(clientId(extraScope))
                .contains("invoices.read"));
        assertThat(partnerClients.grantedClientScopesOf(clientId(extraScope))).containsExactly("orders.read");
        await().atMost(Duration.ofSeconds(30)).until(() -> audit.ofIdentity(id(extraScope)).stream()
                .anyMatch(event -> event.getAction().equals("DRIFT_CORRECTED")));
        AuditEvent corrected = audit.ofIdentity(id(extraScope)).stream()
                .filter(event -> event.getAction().equals("DRIFT_CORRECTED")).findFirst().orElseThrow();
        assertThat(corrected.getActor()).isEqualTo("ian.owner");
        assertThat(corrected.getActorKind()).isEqualTo(ActorKind.STAFF);
        assertThat(audit.ofIdentity(id(longLived)).stream().filter(event -> event.getAction().equals("DRIFT_ACCEPTED"))
                .map(AuditEvent::getActor).toList()).containsExactly("ian.owner");
        StoredDriftFinding removed = stored.findById(again.get("EXCESS_PRIVILEGE " + clientId(extraScope))
                .get("findingId").asText()).orElseThrow();
        await().atMost(Duration.ofSeconds(30)).until(() -> stored.findById(removed.getId()).orElseThrow().getStatus()
                == DriftFindingStatus.CORRECTED);
        StoredDriftFinding correctedRow = stored.findById(removed.getId()).orElseThrow();
        assertThat(correctedRow.getDecision()).isEqualTo(DriftReconciliation.CORRECT);
        assertThat(correctedRow.getDecidedBy()).isEqualTo("ian.owner");
        assertThat(correctedRow.getReviewComment()).isEqualTo("checked with the partner");
        assertThat(correctedRow.getOutcome()).isEqualTo("client scopes removed [invoices.read]");
        StoredDriftFinding acceptedRow = stored.findById(again.get("LIFESPAN_BEYOND_POLICY " + clientId(longLived))
                .get("findingId").asText()).orElseThrow();
        assertThat(acceptedRow.getStatus()).isEqualTo(DriftFindingStatus.ACCEPTED);
        assertThat(acceptedRow.getDecidedBy()).isEqualTo("ian.owner");
        assertThat(audit.ofIdentity(id(longLived)).stream().filter(event -> event.getAction()
                .equals("DRIFT_REVIEW_DECIDED")).map(AuditEvent::getActor).toList()).containsExactly("ian.owner");

        Map<String, JsonNode> third = ours(reconcile("sofia.security"), key, orphanUser, rogueClient);
        assertThat(third).doesNotContainKey("EXCESS_PRIVILEGE " + clientId(extraScope));
        assertThat(third.get("LIFESPAN_BEYOND_POLICY " + clientId(longLived)).get("action").asText())
                .startsWith("accepted as it is on review");
        assertThat(third.get("LIFESPAN_BEYOND_POLICY " + clientId(longLived)).get("findingId").asText())
                .isEqualTo(acceptedRow.getId());
        assertThat(stored.findByFindingKeyOrderByDetectedAt(third.get("LIFESPAN_BEYOND_POLICY " + clientId(longLived))
                .get("key").asText())).as("an accepted finding is not reviewed again").hasSize(1);
    }

    @Test
    void securityOfficersAndAuditorsMayReadItAndOnlySecurityOfficersReconcile() throws Exception {
        assertThat(fixtures.client().get("robert.requester", "/api/drift").statusCode()).isEqualTo(403);
        assertThat(fixtures.client().get("ian.owner", "/api/drift").statusCode()).isEqualTo(403);
        assertThat(fixtures.client().post("alice.auditor", "/api/drift/reconciliations", Map.of()).statusCode())
                .isEqualTo(403);
        assertThat(fixtures.client().post("ian.owner", "/api/drift/reconciliations", Map.of()).statusCode())
                .isEqualTo(403);
        HttpResponse<String> anonymous = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(fixtures.url("/api/drift"))).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }

    // ------------------------------------------------------------------ helpers

    private JsonNode drift(String user) throws Exception {
        HttpResponse<String> response = fixtures.client().get(user, "/api/drift");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private JsonNode reconcile(String user) throws Exception {
        return DriftFixtures.reconcile(fixtures.client(), user);
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

    private List<String> candidates(JsonNode finding) {
        Task task = tasks.createTaskQuery().processInstanceBusinessKey(finding.get("findingId").asText()).singleResult();
        assertThat(task).as(finding.get("key").asText()).isNotNull();
        List<String> candidates = new ArrayList<>();
        tasks.getIdentityLinksForTask(task.getId()).stream().filter(link -> "candidate".equals(link.getType()))
                .forEach(link -> candidates.add(link.getUserId() != null ? "user:" + link.getUserId()
                        : "group:" + link.getGroupId()));
        return candidates;
    }

    private void review(JsonNode finding, String user, String decision) {
        Task task = tasks.createTaskQuery().processInstanceBusinessKey(finding.get("findingId").asText()).singleResult();
        identity.setAuthentication(user, List.of("identity-owners"));
        try {
            tasks.complete(task.getId(), Map.of(DriftReviewVariables.DRIFT_DECISION, decision, Variables.REVIEW_COMMENT,
                    "checked with the partner"));
        } finally {
            identity.clearAuthentication();
        }
    }

    private String activePartnership() {
        return DriftFixtures.activePartnership(fixtures);
    }

    private String internalId(JsonNode machine) {
        return partnerClients.findClient(clientId(machine)).orElseThrow().getId();
    }

    private String username(String identityId) {
        return identities.findById(identityId).orElseThrow().getKeycloakName();
    }

    private String userId(String identityId) {
        return partnerUsers.findUser(username(identityId)).orElseThrow().getId();
    }

    private static UserRepresentation enabled(UserRepresentation user) {
        user.setEnabled(true);
        return user;
    }

    /**
     * The partner realm as its administrator changes it by hand: the application's own credential may not create a
     * user outside the partnership groups; Keycloak starts with the context, so on first use.
     */
    private RealmResource realm() {
        return KeycloakAdmin.realm(partnerRealm);
    }
}
