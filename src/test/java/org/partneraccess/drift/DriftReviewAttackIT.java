package org.partneraccess.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.partneraccess.drift.DriftFixtures.clientId;
import static org.partneraccess.drift.DriftFixtures.id;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.core.Response;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ClientScopeRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.partneraccess.LifecycleState;
import org.partneraccess.ProcessIds;
import org.partneraccess.Variables;
import org.partneraccess.audit.ActorKind;
import org.partneraccess.audit.AuditEvent;
import org.partneraccess.audit.AuditLog;
import org.partneraccess.drift.DriftFinding.KeycloakObject;
import org.partneraccess.drift.DriftFinding.ObjectType;
import org.partneraccess.inventory.internal.PartnerIdentityRepository;
import org.partneraccess.keycloak.KeycloakAttributes;
import org.partneraccess.keycloak.PartnerClients;
import org.partneraccess.keycloak.PartnerUsers;
import org.partneraccess.keycloak.KeycloakProperties;
import org.partneraccess.support.EngineDoors;
import org.partneraccess.support.EngineDoors.Via;
import org.partneraccess.support.ItFixtures;
import org.partneraccess.support.PartnerAccessTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A drift review acts on the finding stored in the registry, never on what its task's variables say: a reviewer who
 * completes the review of one finding with another object's name, type, id or partnership (through the engine's Java API
 * as it receives a completion, through {@code POST /engine-rest/task/{id}/complete} with their own token, and through
 * Tasklist's session API's {@code submit-form} with their own session and its CSRF token) corrects
 * that finding's object at most; an active registered machine and the application's own clients stay as they are. A
 * finding fixed meanwhile changes nothing and is closed as gone; the provisioner's client can never be corrected.
 */
@PartnerAccessTest
class DriftReviewAttackIT {

    private static final String SECURITY_OFFICER = "sofia.security";

    @Value("${partner-access.keycloak.partner-realm}")
    String partnerRealm;
    @Autowired
    TaskService tasks;
    @Autowired
    IdentityService identity;
    @Autowired
    HistoryService history;
    @Autowired
    RuntimeService runtime;
    @Autowired
    ManagementService management;
    @Autowired
    PartnerIdentityRepository identities;
    @Autowired
    PartnerUsers partnerUsers;
    @Autowired
    PartnerClients partnerClients;
    @Autowired
    KeycloakProperties keycloakProperties;
    @Autowired
    Keycloak admin;
    @Autowired
    AuditLog audit;
    @Autowired
    StoredDriftFindingRepository stored;
    @Autowired
    DriftReconciliation reconciliation;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ItFixtures fixtures;

    @Test
    void aReviewCompletedWithAnotherObjectsVariablesCorrectsItsOwnFindingOnly() throws Exception {
        String key = activePartnership();
        JsonNode victim = machine(key);
        String rogueForJavaApi = rogueClient(key);
        Map<Via, String> rogueThrough = new EnumMap<>(Via.class);
        for (Via via : Via.values()) {
            rogueThrough.put(via, rogueClient(key));
        }
        Map<String, JsonNode> found = ours(reconcile(), rogueForJavaApi, rogueThrough.get(Via.ENGINE_REST),
                rogueThrough.get(Via.TASKLIST_SESSION));
        StoredDriftFinding first = stored.findById(found.get(rogueForJavaApi).get("findingId").asText()).orElseThrow();
        Victims before = victims(victim);

        // through the engine's Java API, as a completion reaches it: the form's decision plus another object's variables
        Map<String, Object> forged = new HashMap<>(forgedVariables(victim));
        forged.put(DriftReviewVariables.DRIFT_DECISION, DriftReconciliation.CORRECT);
        forged.put(Variables.REVIEW_COMMENT, "disable it");
        Task task = reviewTask(first);
        identity.setAuthentication(SECURITY_OFFICER, List.of("security-officers"));
        try {
            tasks.complete(task.getId(), forged);
        } catch (ProcessEngineException refused) {
            // a task that accepts only its form's fields refuses the completion, naming a variable outside the form
            assertThat(refused.getMessage()).containsAnyOf(forged.keySet().stream()
                    .filter(name -> !name.equals(DriftReviewVariables.DRIFT_DECISION) && !name.equals(Variables.REVIEW_COMMENT))
                    .toArray(String[]::new));
            assertThat(victims(victim)).as("a refused completion changes nothing").isEqualTo(before);
            tasks.complete(task.getId(), Map.of(DriftReviewVariables.DRIFT_DECISION, DriftReconciliation.CORRECT));
        } finally {
            identity.clearAuthentication();
        }
        assertCorrectedOnly(first, rogueForJavaApi, victim, before);

        // through both doors with the reviewer's own credentials, naming the provisioner's client this time: the engine
        // REST API with her token, and her Tasklist session submitting the form as Tasklist does
        Map<String, Object> provisioner = new LinkedHashMap<>();
        ClientRepresentation own = partnerClients.findClient(keycloakProperties.clientId()).orElseThrow();
        provisioner.put(DriftReviewVariables.DRIFT_OBJECT_TYPE, "CLIENT");
        provisioner.put(DriftReviewVariables.DRIFT_OBJECT_NAME, own.getClientId());
        provisioner.put("driftObjectId", own.getId());
        provisioner.put(DriftReviewVariables.DRIFT_KIND, DriftKind.ORPHAN.name());
        provisioner.put(Variables.PARTNERSHIP_KEY, key);
        provisioner.put(Variables.IDENTITY_ID, id(victim));
        provisioner.put(DriftReviewVariables.DRIFT_DECISION, DriftReconciliation.CORRECT);
        EngineDoors doors = fixtures.doors();
        for (Via via : Via.values()) {
            String rogue = rogueThrough.get(via);
            StoredDriftFinding finding = stored.findById(found.get(rogue).get("findingId").asText()).orElseThrow();
            HttpResponse<String> completed = complete(doors, via, reviewTask(finding), provisioner);
            if (completed.statusCode() != 204) {
                // the engine surface refuses it (403), or the task accepts only its form's fields (400 naming one)
                assertThat(completed.statusCode()).as(via + ": " + completed.body()).isIn(400, 403);
                if (completed.statusCode() == 400) {
                    assertThat(completed.body()).containsAnyOf(DriftReviewVariables.DRIFT_OBJECT_TYPE,
                            DriftReviewVariables.DRIFT_OBJECT_NAME, "driftObjectId", DriftReviewVariables.DRIFT_KIND,
                            Variables.PARTNERSHIP_KEY, Variables.IDENTITY_ID);
                }
                assertThat(victims(victim)).as("a refused completion changes nothing (" + via + ")").isEqualTo(before);
                assertThat(stored.findById(finding.getId()).orElseThrow().getDecision()).isNull();
                completed = complete(doors, via, reviewTask(finding), Map.of(DriftReviewVariables.DRIFT_DECISION,
                        DriftReconciliation.CORRECT));
            }
            assertThat(completed.statusCode()).as(via + ": " + completed.body()).isEqualTo(204);
            assertCorrectedOnly(finding, rogue, victim, before);
            assertThat(partnerClients.findClientById(own.getId()).orElseThrow().isEnabled()).isTrue();
        }
    }

    @Test
    void aFindingFixedInKeycloakBeforeItsCorrectionChangesNothingAndIsGone() throws Exception {
        String key = activePartnership();
        JsonNode machine = machine(key);
        addOptionalScope(machine, "invoices.read");
        Map<String, JsonNode> found = ours(reconcile(), clientId(machine));
        JsonNode excess = found.get(clientId(machine));
        assertThat(excess.get("kind").asText()).isEqualTo("EXCESS_PRIVILEGE");
        StoredDriftFinding finding = stored.findById(excess.get("findingId").asText()).orElseThrow();
        assertThat(finding.getExcess()).containsExactly("invoices.read");

        // fixed by hand meanwhile; and another scope added, which is another finding, not the one under review
        partnerClients.removeClientScopes(clientId(machine), List.of("invoices.read"));
        addOptionalScope(machine, "shipments.read");
        ClientRepresentation beforeClient = partnerClients.findClient(clientId(machine)).orElseThrow();
        Set<String> scopesBefore = partnerClients.grantedClientScopesOf(clientId(machine));
        Map<String, Object> rowBefore = registryRow(id(machine));

        Task task = reviewTask(finding);
        identity.setAuthentication("ian.owner", List.of("identity-owners"));
        try {
            tasks.complete(task.getId(), Map.of(DriftReviewVariables.DRIFT_DECISION, DriftReconciliation.CORRECT,
                    Variables.REVIEW_COMMENT, "remove it"));
        } finally {
            identity.clearAuthentication();
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> stored.findById(finding.getId()).orElseThrow().getStatus()
                == DriftFindingStatus.GONE);
        StoredDriftFinding gone = stored.findById(finding.getId()).orElseThrow();
        assertThat(gone.getDecidedBy()).isEqualTo("ian.owner");
        assertThat(gone.getOutcome()).startsWith("finding gone: [invoices.read] no longer beyond approval")
                .endsWith("nothing changed");
        assertThat(partnerClients.grantedClientScopesOf(clientId(machine))).isEqualTo(scopesBefore)
                .containsExactlyInAnyOrder("orders.read", "shipments.read");
        ClientRepresentation afterClient = partnerClients.findClient(clientId(machine)).orElseThrow();
        assertThat(afterClient.isEnabled()).isTrue();
        assertThat(afterClient.getAttributes()).isEqualTo(beforeClient.getAttributes());
        assertThat(registryRow(id(machine))).isEqualTo(rowBefore);
        assertThat(history.createHistoricActivityInstanceQuery().processInstanceId(finding.getReviewProcessId())
                .activityId("EndEvent_DriftGone").count()).isEqualTo(1);
        List<AuditEvent> trail = audit.ofIdentity(id(machine));
        assertThat(trail).extracting(AuditEvent::getAction).contains("DRIFT_REVIEW_DECIDED", "DRIFT_GONE")
                .doesNotContain("DRIFT_CORRECTED");
        assertThat(trail.stream().filter(event -> event.getAction().equals("DRIFT_GONE")).findFirst().orElseThrow()
                .getActor()).isEqualTo("ian.owner");

        // the scope added meanwhile is found by the next run as a finding of its own
        JsonNode next = ours(reconcile(), clientId(machine)).get(clientId(machine));
        assertThat(next.get("key").asText()).isEqualTo("EXCESS_PRIVILEGE/" + id(machine) + "/shipments.read");
        assertThat(next.get("findingId").asText()).isNotEqualTo(finding.getId());
    }

    @Test
    void theApplicationsOwnClientsAndAnActiveMachineCanNeverBeCorrected() throws Exception {
        String key = activePartnership();
        JsonNode machine = machine(key);
        ClientRepresentation provisioner = partnerClients.findClient(keycloakProperties.clientId()).orElseThrow();
        ClientRepresentation introspector = partnerClients.findClient("partner-access-introspector").orElseThrow();
        UserRepresentation provisionerAccount = partnerUsers.findUser("service-account-" + provisioner.getClientId())
                .orElseThrow();
        ClientRepresentation active = partnerClients.findClient(clientId(machine)).orElseThrow();
        Map<String, Object> rowBefore = registryRow(id(machine));

        // findings the detector never makes, as if stored earlier (say, before a client was added to the ignored ones)
        Map<String, StoredDriftFinding> forged = new LinkedHashMap<>();
        forged.put("provisioner", open(key, DriftKind.ORPHAN, new KeycloakObject(ObjectType.CLIENT,
                provisioner.getClientId(), provisioner.getId(), true), null));
        forged.put("introspector", open(key, DriftKind.REVOKED_BUT_ACTIVE, new KeycloakObject(ObjectType.CLIENT,
                introspector.getClientId(), introspector.getId(), true), null));
        forged.put("provisioner's service account", open(key, DriftKind.ORPHAN, new KeycloakObject(ObjectType.USER,
                provisionerAccount.getUsername(), provisionerAccount.getId(), true), null));
        forged.put("active machine", open(key, DriftKind.ORPHAN, new KeycloakObject(ObjectType.CLIENT,
                active.getClientId(), active.getId(), true), id(machine)));

        for (StoredDriftFinding finding : forged.values()) {
            Task task = reviewTask(finding);
            identity.setAuthentication(SECURITY_OFFICER, List.of("security-officers"));
            try {
                tasks.complete(task.getId(), Map.of(DriftReviewVariables.DRIFT_DECISION, DriftReconciliation.CORRECT));
            } finally {
                identity.clearAuthentication();
            }
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> forged.values().stream().allMatch(finding ->
                stored.findById(finding.getId()).orElseThrow().getStatus() == DriftFindingStatus.GONE));

        for (Map.Entry<String, StoredDriftFinding> entry : forged.entrySet()) {
            StoredDriftFinding gone = stored.findById(entry.getValue().getId()).orElseThrow();
            assertThat(gone.getDecidedBy()).as(entry.getKey()).isEqualTo(SECURITY_OFFICER);
            assertThat(history.createHistoricActivityInstanceQuery().processInstanceId(gone.getReviewProcessId())
                    .activityId("EndEvent_DriftGone").count()).as(entry.getKey()).isEqualTo(1);
        }
        assertThat(stored.findById(forged.get("provisioner").getId()).orElseThrow().getOutcome())
                .startsWith("not a partner identity: client " + provisioner.getClientId());
        assertThat(stored.findById(forged.get("introspector").getId()).orElseThrow().getOutcome())
                .startsWith("not a partner identity: client partner-access-introspector");
        assertThat(stored.findById(forged.get("provisioner's service account").getId()).orElseThrow().getOutcome())
                .startsWith("not a partner identity: user " + provisionerAccount.getUsername());
        assertThat(stored.findById(forged.get("active machine").getId()).orElseThrow().getOutcome())
                .startsWith("finding gone: no ORPHAN on client " + active.getClientId());

        assertThat(partnerClients.findClientById(provisioner.getId()).orElseThrow().isEnabled()).isTrue();
        assertThat(partnerClients.findClientById(introspector.getId()).orElseThrow().isEnabled()).isTrue();
        assertThat(partnerUsers.findUserById(provisionerAccount.getId()).orElseThrow().isEnabled()).isTrue();
        assertThat(partnerClients.findClientById(active.getId()).orElseThrow().isEnabled()).isTrue();
        assertThat(registryRow(id(machine))).isEqualTo(rowBefore);
        assertThat(identities.findById(id(machine)).orElseThrow().getState()).isEqualTo(LifecycleState.ACTIVE);
        // the application still administers the partner realm with its own credential
        assertThat(partnerClients.findClient(clientId(machine))).isPresent();

        List<AuditEvent> trail = audit.ofPartnership(key);
        assertThat(trail.stream().filter(event -> event.getAction().equals("DRIFT_CORRECTION_REFUSED"))
                .map(AuditEvent::getActor).toList()).hasSize(3).containsOnly(SECURITY_OFFICER);
        assertThat(trail.stream().filter(event -> event.getAction().equals("DRIFT_GONE")).toList()).hasSize(1);
        assertThat(trail).extracting(AuditEvent::getAction).doesNotContain("DRIFT_CORRECTED");
    }

    @Test
    void aSecondReviewStartedForAStoredFindingDecidesNothing() throws Exception {
        String rogue = rogueClient("drift-" + UUID.randomUUID().toString().substring(0, 8));
        StoredDriftFinding finding = stored.findById(ours(reconcile(), rogue).get(rogue).get("findingId").asText())
                .orElseThrow();

        // a review instance started by hand with the finding's id as its business key is not the finding's review
        org.camunda.bpm.engine.runtime.ProcessInstance forged = runtime.startProcessInstanceByKey(
                ProcessIds.DRIFT_REVIEW_PROCESS, finding.getId(), Map.of(DriftReviewVariables.DRIFT_HAS_REVIEWERS, false,
                        DriftReviewVariables.DRIFT_REVIEWERS, "", DriftReviewVariables.DRIFT_REVIEW_DEADLINE, "P7D"));
        Task task = tasks.createTaskQuery().processInstanceId(forged.getId()).singleResult();
        identity.setAuthentication(SECURITY_OFFICER, List.of("security-officers"));
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> tasks.complete(task.getId(),
                    Map.of(DriftReviewVariables.DRIFT_DECISION, DriftReconciliation.CORRECT)))
                    .hasMessageContaining("is reviewed by process instance " + finding.getReviewProcessId());
        } finally {
            identity.clearAuthentication();
        }
        assertThat(stored.findById(finding.getId()).orElseThrow().getDecision()).isNull();
        assertThat(partnerClients.findClient(rogue).orElseThrow().isEnabled()).isTrue();
        runtime.deleteProcessInstance(forged.getId(), "test: the forged review");

        // the finding's own review decides it
        Task own = reviewTask(finding);
        identity.setAuthentication(SECURITY_OFFICER, List.of("security-officers"));
        try {
            tasks.complete(own.getId(), Map.of(DriftReviewVariables.DRIFT_DECISION, DriftReconciliation.CORRECT));
        } finally {
            identity.clearAuthentication();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> stored.findById(finding.getId()).orElseThrow().getStatus()
                == DriftFindingStatus.CORRECTED);
        assertThat(partnerClients.findClient(rogue).orElseThrow().isEnabled()).isFalse();
    }

    // ------------------------------------------------------------------ helpers

    /** The victim's state everywhere the attack could reach it. */
    private record Victims(boolean enabled, Set<String> scopes, Map<String, String> attributes, String secret,
                           Map<String, Object> registryRow, List<String> audit, boolean provisionerEnabled) {
    }

    private Victims victims(JsonNode machine) {
        ClientRepresentation client = partnerClients.findClient(clientId(machine)).orElseThrow();
        return new Victims(client.isEnabled(), partnerClients.grantedClientScopesOf(clientId(machine)),
                client.getAttributes(), partnerClients.currentSecret(clientId(machine)).orElseThrow(),
                registryRow(id(machine)), audit.ofIdentity(id(machine)).stream()
                .map(event -> event.getAction() + " " + event.getDetail()).toList(),
                partnerClients.findClient(keycloakProperties.clientId()).orElseThrow().isEnabled());
    }

    /** The stored finding's own object, and nothing else, was corrected on the reviewer's decision. */
    private void assertCorrectedOnly(StoredDriftFinding finding, String rogue, JsonNode victim, Victims before) {
        await().atMost(Duration.ofSeconds(30)).until(() -> stored.findById(finding.getId()).orElseThrow().getStatus()
                != DriftFindingStatus.OPEN);
        StoredDriftFinding corrected = stored.findById(finding.getId()).orElseThrow();
        assertThat(corrected.getStatus()).isEqualTo(DriftFindingStatus.CORRECTED);
        assertThat(corrected.getDecision()).isEqualTo(DriftReconciliation.CORRECT);
        assertThat(corrected.getDecidedBy()).isEqualTo(SECURITY_OFFICER);
        assertThat(corrected.getOutcome()).isEqualTo("client disabled");
        assertThat(corrected.getKeycloakName()).isEqualTo(rogue);
        assertThat(partnerClients.findClient(rogue).orElseThrow().isEnabled()).isFalse();
        assertThat(victims(victim)).isEqualTo(before);
        List<AuditEvent> trail = audit.ofIdentity(finding.getIdentityId());
        AuditEvent done = trail.stream().filter(event -> event.getAction().equals("DRIFT_CORRECTED")).findFirst()
                .orElseThrow();
        assertThat(done.getActor()).isEqualTo(SECURITY_OFFICER);
        assertThat(done.getActorKind()).isEqualTo(ActorKind.STAFF);
        assertThat(done.getDetail()).startsWith("ORPHAN client " + rogue + " (Keycloak id " + finding.getKeycloakId())
                .doesNotContain(clientId(victim));
        assertThat(trail).extracting(AuditEvent::getAction).contains("DRIFT_REVIEW_DECIDED");
    }

    /** Everything a completion could name to point the correction at the victim machine instead. */
    private Map<String, Object> forgedVariables(JsonNode victim) {
        Map<String, Object> forged = new LinkedHashMap<>();
        forged.put(DriftReviewVariables.DRIFT_KIND, DriftKind.REVOKED_BUT_ACTIVE.name());
        forged.put(DriftReviewVariables.DRIFT_OBJECT_TYPE, ObjectType.CLIENT.name());
        forged.put(DriftReviewVariables.DRIFT_OBJECT_NAME, clientId(victim));
        forged.put("driftObjectId", partnerClients.findClient(clientId(victim)).orElseThrow().getId());
        forged.put(Variables.IDENTITY_ID, id(victim));
        forged.put(Variables.PARTNERSHIP_KEY, identities.findById(id(victim)).orElseThrow().getPartnershipKey());
        forged.put(DriftReviewVariables.DRIFT_EXCESS, "orders.read");
        forged.put(Variables.LAST_DECIDED_BY, "sam.sponsor");
        return forged;
    }

    /** The reviewer's completion: {@code complete} with her token, or {@code submit-form} in her Tasklist session. */
    private static HttpResponse<String> complete(EngineDoors doors, Via via, Task task, Map<String, Object> variables) {
        Map<String, Object> typed = new LinkedHashMap<>();
        variables.forEach((name, value) -> typed.put(name, Map.of("value", value)));
        return doors.call(via, SECURITY_OFFICER, "POST", "/task/" + task.getId()
                + (via == Via.TASKLIST_SESSION ? "/submit-form" : "/complete"), Map.of("variables", typed));
    }

    /** Stores a finding and opens its review, as the reconciliation does for what it found. */
    private StoredDriftFinding open(String key, DriftKind kind, KeycloakObject object, String identityId) {
        DriftFinding finding = new DriftFinding(DriftDetector.key(kind, object.type().name().toLowerCase(),
                object.name(), UUID.randomUUID().toString()), kind, object, identityId, key, null,
                "a registry identity that justifies it", "none", Set.of(), List.of(), null, null);
        DriftFinding opened = reconciliation.openReview(finding, Instant.now());
        return stored.findById(opened.findingId()).orElseThrow();
    }

    private Task reviewTask(StoredDriftFinding finding) {
        await().atMost(Duration.ofSeconds(10)).until(() -> tasks.createTaskQuery()
                .processInstanceBusinessKey(finding.getId()).count() == 1);
        Task task = tasks.createTaskQuery().processInstanceBusinessKey(finding.getId()).singleResult();
        assertThat(task.getProcessInstanceId()).isEqualTo(finding.getReviewProcessId());
        return task;
    }

    private Map<String, Object> registryRow(String identityId) {
        Map<String, Object> row = new LinkedHashMap<>(jdbc.queryForMap(
                "select * from partner_identity where identity_id = ?", identityId));
        // moved forward by the usage sync alone, never with the rest of the row
        row.keySet().removeIf(column -> column.equalsIgnoreCase("last_used_at"));
        return row;
    }

    /** An enabled client naming an identity the registry does not know: an orphan for the security officers. */
    private String rogueClient(String key) {
        String clientId = "rogue-" + UUID.randomUUID().toString().substring(0, 8);
        ClientRepresentation rogue = new ClientRepresentation();
        rogue.setClientId(clientId);
        rogue.setEnabled(true);
        rogue.setServiceAccountsEnabled(true);
        rogue.setPublicClient(false);
        rogue.setAttributes(new HashMap<>(Map.of(KeycloakAttributes.IDENTITY, UUID.randomUUID().toString(),
                KeycloakAttributes.PARTNERSHIP, key)));
        try (Response created = realm().clients().create(rogue)) {
            assertThat(created.getStatus()).isEqualTo(201);
        }
        return clientId;
    }

    private void addOptionalScope(JsonNode machine, String name) {
        ClientScopeRepresentation scope = realm().clientScopes().findAll().stream()
                .filter(candidate -> candidate.getName().equals(name)).findFirst().orElseThrow();
        realm().clients().get(partnerClients.findClient(clientId(machine)).orElseThrow().getId())
                .addOptionalClientScope(scope.getId());
    }

    private JsonNode reconcile() throws Exception {
        return DriftFixtures.reconcile(fixtures.client(), SECURITY_OFFICER);
    }

    /** The findings about these objects, by Keycloak name: other tests share the realm. */
    private static Map<String, JsonNode> ours(JsonNode run, String... names) {
        Set<String> mine = Set.of(names);
        Map<String, JsonNode> found = new LinkedHashMap<>();
        for (JsonNode finding : run.get("findings")) {
            String name = finding.at("/object/name").asText();
            if (mine.contains(name)) {
                assertThat(found.put(name, finding)).as("one finding per object").isNull();
            }
        }
        assertThat(found.keySet()).as("%s", run).containsExactlyInAnyOrder(names);
        return found;
    }

    private String activePartnership() {
        return DriftFixtures.activePartnership(fixtures);
    }

    /** A low-risk secret client with orders.read, provisioned by the policy alone and active. */
    private JsonNode machine(String key) throws Exception {
        JsonNode machine = fixtures.activeMachine(key);
        // the machine's process rests once provisioned: nothing else changes its row while the test compares it
        String instance = runtime.createProcessInstanceQuery().processInstanceBusinessKey(id(machine))
                .processDefinitionKey(ProcessIds.MACHINE_ACCESS_PROCESS).singleResult().getId();
        await().atMost(Duration.ofSeconds(30)).until(() -> management.createJobQuery().processInstanceId(instance)
                .executable().count() == 0);
        return machine;
    }

    private RealmResource realm() {
        return admin.realm(partnerRealm);
    }
}
