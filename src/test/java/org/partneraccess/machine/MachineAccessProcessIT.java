package org.partneraccess.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.partneraccess.machine.MachineFixtures.*;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.partneraccess.LifecycleState;
import org.partneraccess.ProcessIds;
import org.partneraccess.Variables;
import org.partneraccess.audit.AuditEvent;
import org.partneraccess.audit.AuditLog;
import org.partneraccess.inventory.PartnerIdentity;
import org.partneraccess.inventory.internal.PartnerIdentityRepository;
import org.partneraccess.keycloak.KeycloakAttributes;
import org.partneraccess.keycloak.PartnerClients;
import org.partneraccess.keycloak.PartnerRealm;
import org.partneraccess.partnership.PartnershipService;
import org.partneraccess.support.EngineDoors;
import org.partneraccess.support.EngineDoors.Via;
import org.partneraccess.support.IdentitySnapshot;
import org.partneraccess.support.ItFixtures;
import org.partneraccess.support.PartnerAccessClient;
import org.partneraccess.support.PartnerAccessTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Partner machines end to end: REST registration, the engine, the real Keycloak's tokens, registry, mail. */
@PartnerAccessTest
class MachineAccessProcessIT {

    @Autowired
    TaskService tasks;
    @Autowired
    IdentityService identity;
    @Autowired
    RuntimeService runtime;
    @Autowired
    ManagementService management;
    @Autowired
    org.camunda.bpm.engine.FormService forms;
    @Autowired
    org.camunda.bpm.engine.RepositoryService repository;
    @Autowired
    PartnershipService partnerships;
    @Autowired
    PartnerIdentityRepository identities;
    @Autowired
    PartnerClients partnerClients;
    @Autowired
    PartnerRealm partnerRealm;
    @Autowired
    AuditLog audit;
    @Autowired
    org.keycloak.admin.client.Keycloak admin;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    MachineAccessService access;
    @Autowired
    ItFixtures fixtures;

    PartnerAccessClient client;
    String partnership;

    @BeforeEach
    void activePartnership() {
        client = fixtures.client();
        partnership = fixtures.activePartnership();
    }

    @AfterEach
    void clearAuthentication() {
        identity.clearAuthentication();
    }

    @Test
    void autoApprovedSignedJwtWorkloadHoldsAMinimalShortLivedTokenWithoutAnyPerson() throws Exception {
        PartnerKey key = PartnerKey.generate();
        JsonNode machine = fixtures.registerMachine(partnership, registration("SIGNED_JWT", key, "orders.read", "shipments.read"));
        String id = machine.get("id").asText();
        String clientId = machine.get("clientId").asText();
        fixtures.awaitState(id, LifecycleState.ACTIVE);

        HttpResponse<String> token = tokenWithKey(fixtures.keycloakUrl(), clientId, key);
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        assertThat(scopes(token)).containsExactly("orders.read", "shipments.read");

        // the machine's end date as requested (its last day); access stops at the start of the next day
        JsonNode shown = JSON.readTree(client.get("ian.owner", "/api/machines/" + id).body());
        LocalDate lastDay = LocalDate.now().plusMonths(3);
        assertThat(shown.get("endDate").asText()).isEqualTo(lastDay.toString());
        assertThat(shown.get("accessEndsAt").asText()).isEqualTo(lastDay.plusDays(1) + "T00:00:00Z");
        // Keycloak counts from the second the token was issued in: one less when that second had begun
        assertThat(expiresIn(token)).isBetween(44, 45);

        // no shared secret works: not a guessed one, not even the one Keycloak keeps internally for every client
        assertThat(tokenWithSecret(fixtures.keycloakUrl(), clientId, "guessed-secret").statusCode()).isIn(400, 401);
        String keptByKeycloak = admin.realm("partner").clients().get(partnerClients.findClient(clientId).orElseThrow().getId())
                .getSecret().getValue();
        assertThat(tokenWithSecret(fixtures.keycloakUrl(), clientId, keptByKeycloak).statusCode()).isIn(400, 401);
        assertThat(tokenWithKey(fixtures.keycloakUrl(), clientId, PartnerKey.generate()).statusCode())
                .as("another key pair").isIn(400, 401);

        ClientRepresentation client = partnerClients.findClient(clientId).orElseThrow();
        assertThat(client.isServiceAccountsEnabled()).isTrue();
        assertThat(client.isStandardFlowEnabled() || client.isDirectAccessGrantsEnabled() || client.isImplicitFlowEnabled()
                || client.isPublicClient()).isFalse();
        assertThat(client.getClientAuthenticatorType()).isEqualTo("client-jwt");
        assertThat(client.getAttributes()).containsEntry(KeycloakAttributes.IDENTITY, id)
                .containsEntry(KeycloakAttributes.PARTNERSHIP, partnership).containsEntry("access.token.lifespan", "45");
        assertThat(tasks.createTaskQuery().processInstanceBusinessKey(id).count()).as("no person in the loop").isZero();

        PartnerIdentity row = identities.findById(id).orElseThrow();
        assertThat(row.getApprovedBy()).isEqualTo("policy");
        assertThat(audit.ofIdentity(id)).extracting(AuditEvent::getAction).containsSubsequence(
                "MACHINE_REGISTRATION_REQUESTED", "MACHINE_POLICY_DECIDED", "MACHINE_APPROVED", "MACHINE_CLIENT_PROVISIONED");
        assertThat(audit.ofIdentity(id).stream().filter(e -> e.getAction().equals("MACHINE_POLICY_DECIDED")).findFirst()
                .orElseThrow().getDetail()).contains("machineKind=WORKLOAD", "autoApprove=true", "rotationDays=30");
    }

    @Test
    void secretIsCollectedOnceByTheOwnerRotationReplacesItAndTheEndDateEndsIt() throws Exception {
        JsonNode machine = fixtures.registerMachine(partnership, registration("CLIENT_SECRET", null));
        String id = machine.get("id").asText();
        String clientId = machine.get("clientId").asText();
        fixtures.awaitState(id, LifecycleState.ACTIVE);
        String ticket = handoverToken(clientId + " is active");

        assertThat(collect("rita.requester", id, ticket).statusCode()).as("not the owner").isEqualTo(403);
        assertThat(collect("ian.owner", id, "not-the-token").statusCode()).isEqualTo(403);
        HttpResponse<String> collected = collect("ian.owner", id, ticket);
        assertThat(collected.statusCode()).as(collected.body()).isEqualTo(200);
        assertThat(collected.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("no-store"));
        String secret = JSON.readTree(collected.body()).get("clientSecret").asText();
        assertThat(collect("ian.owner", id, ticket).statusCode()).as("once").isEqualTo(410);

        HttpResponse<String> token = tokenWithSecret(fixtures.keycloakUrl(), clientId, secret);
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        assertThat(scopes(token)).containsExactly("orders.read");
        // Keycloak counts from the second the token was issued in: one less when that second had begun
        assertThat(expiresIn(token)).isBetween(44, 45);

        // a new secret at the owner's request (a missed collection): the old one stops working
        assertThat(client.post("rita.requester", "/api/machines/" + id + "/secret-renewal", Map.of()).statusCode())
                .isEqualTo(403);
        assertThat(client.post("ian.owner", "/api/machines/" + id + "/secret-renewal", Map.of()).statusCode()).isEqualTo(202);
        String renewedTicket = handoverToken(clientId + ": new client secret");
        String renewed = JSON.readTree(collect("ian.owner", id, renewedTicket).body()).get("clientSecret").asText();
        assertThat(tokenWithSecret(fixtures.keycloakUrl(), clientId, secret).statusCode()).as("secret before renewal")
                .isIn(400, 401);
        assertThat(tokenWithSecret(fixtures.keycloakUrl(), clientId, renewed).statusCode()).isEqualTo(200);
        secret = renewed;

        // rotation: the timer fires, the old secret is refused, the owner collects the new one once
        executeTimer(id, ProcessIds.TIMER_ROTATION_DUE);
        String rotatedTicket = handoverToken(clientId + ": client secret rotated");
        assertThat(tokenWithSecret(fixtures.keycloakUrl(), clientId, secret).statusCode()).as("old secret")
                .isIn(400, 401);
        String rotated = JSON.readTree(collect("ian.owner", id, rotatedTicket).body()).get("clientSecret").asText();
        assertThat(rotated).isNotEqualTo(secret);
        assertThat(tokenWithSecret(fixtures.keycloakUrl(), clientId, rotated).statusCode()).isEqualTo(200);
        assertThat(audit.ofIdentity(id)).extracting(AuditEvent::getAction).contains("MACHINE_SECRET_ROTATED",
                "MACHINE_SECRET_RETRIEVED", "MACHINE_SECRET_RETRIEVAL_REFUSED");

        // the end date: disabled, no token, REVOKED, owner told; deleted after the retention period
        executeTimer(id, ProcessIds.BOUNDARY_ACCESS_ENDED);
        fixtures.awaitState(id, LifecycleState.REVOKED);
        assertThat(tokenWithSecret(fixtures.keycloakUrl(), clientId, rotated).statusCode()).isIn(400, 401);
        assertThat(partnerClients.findClient(clientId).orElseThrow().isEnabled()).isFalse();
        await().atMost(Duration.ofSeconds(30)).until(() -> mail("ian.owner@example.com", clientId + " is revoked") != null);
        awaitWaitingAt(id, ProcessIds.GATEWAY_AWAIT_RETENTION);
        executeTimer(id, ProcessIds.TIMER_RETENTION_ENDED);
        await().atMost(Duration.ofSeconds(30)).until(() -> partnerClients.findClient(clientId).isEmpty());
        await().atMost(Duration.ofSeconds(30)).until(() -> runtime.createProcessInstanceQuery().processInstanceBusinessKey(id).count() == 0);
    }

    /**
     * The end dates of production: the sweeper (running every second as in production) revokes the machine moments after
     * its end date, and its process tells the owner and keeps the disabled client without revoking again.
     */
    @Test
    void atItsEndDateTheSweeperRevokesTheMachineAndItsProcessTellsTheOwner() throws Exception {
        PartnerKey key = PartnerKey.generate();
        JsonNode machine = fixtures.registerMachine(partnership, registration("SIGNED_JWT", key, "orders.read"));
        String id = machine.get("id").asText();
        String clientId = machine.get("clientId").asText();
        fixtures.awaitState(id, LifecycleState.ACTIVE);
        await().atMost(Duration.ofSeconds(30)).until(() -> timer(id, ProcessIds.BOUNDARY_ACCESS_ENDED) != null);
        assertThat(tokenWithKey(fixtures.keycloakUrl(), clientId, key).statusCode()).isEqualTo(200);
        assertThat(timer(id, ProcessIds.BOUNDARY_ACCESS_ENDED).getDuedate().toInstant())
                .as("the process's own timer is only the backstop, after the sweeper's turn")
                .isAfter(identities.findById(id).orElseThrow().getEndDate().plus(Duration.ofMinutes(4)));

        Instant end = Instant.now().plusSeconds(2);
        jdbc.update("update partner_identity set end_date = ? where identity_id = ?", end.atOffset(ZoneOffset.UTC), id);
        assertThat(identities.findById(id).orElseThrow().getState()).as("not before its end").isEqualTo(LifecycleState.ACTIVE);

        fixtures.awaitState(id, LifecycleState.REVOKED);
        PartnerIdentity revoked = identities.findById(id).orElseThrow();
        assertThat(revoked.getRevokedAt()).isAfterOrEqualTo(end).isBefore(end.plusSeconds(5));
        assertThat(partnerClients.findClient(clientId).orElseThrow().isEnabled()).isFalse();
        assertThat(tokenWithKey(fixtures.keycloakUrl(), clientId, key).statusCode()).isIn(400, 401);
        await().atMost(Duration.ofSeconds(30)).until(() -> mail("ian.owner@example.com", clientId + " is revoked") != null);
        awaitWaitingAt(id, ProcessIds.GATEWAY_AWAIT_RETENTION);
        assertThat(timer(id, ProcessIds.BOUNDARY_ACCESS_ENDED)).as("the backstop timer is gone").isNull();
        assertThat(count("ian.owner@example.com", clientId + " is revoked")).isEqualTo(1);
        List<AuditEvent> revocations = audit.ofIdentity(id).stream().filter(e -> e.getAction().equals("MACHINE_REVOKED"))
                .toList();
        assertThat(revocations).as("revoked once, by the sweeper, not again by the process").hasSize(1);
        assertThat(revocations.get(0).getActor()).isEqualTo("system");
        assertThat(revocations.get(0).getDetail()).contains("trigger=ACCESS_ENDED", "access end date reached");
        System.out.printf("Expiry sweeper: machine revoked %d ms after its end date%n",
                Duration.between(end, revoked.getRevokedAt()).toMillis());
    }

    @Test
    void anAiAgentWaitsForItsOwnersApproval() throws Exception {
        PartnerKey key = PartnerKey.generate();
        Map<String, Object> agent = registration("SIGNED_JWT", key);
        agent.put("machineKind", "AI_AGENT");
        JsonNode machine = fixtures.registerMachine(partnership, agent);
        String id = machine.get("id").asText();
        assertThat(machine.get("state").asText()).isEqualTo("REQUESTED");
        assertThat(tokenWithKey(fixtures.keycloakUrl(), machine.get("clientId").asText(), key).statusCode())
                .isIn(400, 401);

        // the owner finds it in Tasklist's "My tasks"
        identity.setAuthentication("ian.owner", List.of("identity-owners"));
        assertThat(tasks.createTaskQuery().taskAssignee("ian.owner").processInstanceBusinessKey(id).count()).isEqualTo(1);
        identity.clearAuthentication();
        complete(tasks, identity, id, ProcessIds.TASK_APPROVE_MACHINE_AS_OWNER, "ian.owner", "identity-owners",
                Map.of(MachineAccessVariables.OWNER_APPROVED, true));

        fixtures.awaitState(id, LifecycleState.ACTIVE);
        assertThat(identities.findById(id).orElseThrow().getApprovedBy()).isEqualTo("ian.owner");
        assertThat(tokenWithKey(fixtures.keycloakUrl(), machine.get("clientId").asText(), key).statusCode())
                .isEqualTo(200);
    }

    @Test
    void productionWriteAccessNeedsTheOwnerAndASecurityOfficer() throws Exception {
        String production = MachineFixtures.activePartnership(client, tasks, identity, partnerships, true);
        PartnerKey key = PartnerKey.generate();
        Map<String, Object> writer = registration("SIGNED_JWT", key, "orders.read", "orders.write");
        writer.put("environment", "production");
        writer.put("tokenLifespanSeconds", 30);
        writer.put("endDate", java.time.LocalDate.now().plusDays(60).toString());
        HttpResponse<String> created = client.post("rita.requester", "/api/partnerships/" + production + "/machines", writer);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode machine = JSON.readTree(created.body());
        String id = machine.get("id").asText();
        assertThat(machine.get("riskTier").asText()).isEqualTo("HIGH");

        complete(tasks, identity, id, ProcessIds.TASK_APPROVE_MACHINE_AS_OWNER, "ian.owner", "identity-owners",
                Map.of(MachineAccessVariables.OWNER_APPROVED, true));
        complete(tasks, identity, id, ProcessIds.TASK_APPROVE_MACHINE_AS_SECURITY_OFFICER, "sofia.security",
                "security-officers", Map.of(Variables.SECURITY_OFFICER_APPROVED, true));
        fixtures.awaitState(id, LifecycleState.ACTIVE);
        assertThat(identities.findById(id).orElseThrow().getApprovedBy()).isEqualTo("ian.owner,sofia.security");
        // HIGH: its tokens are bound to a key it holds (DpopBoundTokensIT)
        HttpResponse<String> token = tokenWithKey(fixtures.keycloakUrl(), machine.get("clientId").asText(), key,
                DpopKey.generate());
        assertThat(scopes(token)).containsExactly("orders.read", "orders.write");
        // Keycloak counts from the second the token was issued in: one less when that second had begun
        assertThat(expiresIn(token)).isBetween(29, 30);
    }

    @Test
    void anIdentityIncidentStopsTokensWithinSeconds() throws Exception {
        PartnerKey key = PartnerKey.generate();
        JsonNode machine = fixtures.registerMachine(partnership, registration("SIGNED_JWT", key));
        String id = machine.get("id").asText();
        String clientId = machine.get("clientId").asText();
        fixtures.awaitState(id, LifecycleState.ACTIVE);
        assertThat(tokenWithKey(fixtures.keycloakUrl(), clientId, key).statusCode()).isEqualTo(200);

        long reported = System.nanoTime();
        assertThat(client.post("sofia.security", "/api/identities/" + id + "/incidents",
                Map.of("reason", "private key published", "severity", "HIGH")).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> tokenWithKey(fixtures.keycloakUrl(), clientId, key).statusCode() != 200);
        Duration cutOff = Duration.ofNanos(System.nanoTime() - reported);
        System.out.println("Identity incident to refused token: " + cutOff.toMillis() + " ms");
        fixtures.awaitState(id, LifecycleState.REVOKED);
        PartnerIdentity row = identities.findById(id).orElseThrow();
        assertThat(row.getStateReason()).isEqualTo("incident: HIGH: private key published");
        assertThat(audit.ofIdentity(id).stream().filter(e -> e.getAction().equals("MACHINE_REVOKED")).findFirst()
                .orElseThrow().getActor()).isEqualTo("sofia.security");
    }

    @Test
    void partnershipSuspensionDisablesTheMachineResumptionEnablesItAndAPartnerIncidentRevokesIt() throws Exception {
        PartnerKey key = PartnerKey.generate();
        JsonNode machine = fixtures.registerMachine(partnership, registration("SIGNED_JWT", key));
        String id = machine.get("id").asText();
        String clientId = machine.get("clientId").asText();
        fixtures.awaitState(id, LifecycleState.ACTIVE);
        awaitWaitingAt(id, ProcessIds.TIMER_USE_CHECK_DUE);

        assertThat(client.post("sofia.security", "/api/partnerships/" + partnership + "/suspension",
                Map.of("reason", "contract under dispute")).statusCode()).isEqualTo(202);
        awaitWaitingAt(id, ProcessIds.RECEIVE_TASK_AWAIT_MACHINE_RESUMPTION);
        assertThat(identities.findById(id).orElseThrow().getState()).isEqualTo(LifecycleState.SUSPENDED);
        assertThat(tokenWithKey(fixtures.keycloakUrl(), clientId, key).statusCode()).isIn(400, 401);

        assertThat(client.post("sofia.security", "/api/partnerships/" + partnership + "/resumption",
                Map.of("reason", "settled")).statusCode()).isEqualTo(202);
        awaitWaitingAt(id, ProcessIds.TIMER_USE_CHECK_DUE);
        fixtures.awaitState(id, LifecycleState.ACTIVE);
        assertThat(tokenWithKey(fixtures.keycloakUrl(), clientId, key).statusCode()).isEqualTo(200);

        assertThat(client.post("sofia.security", "/api/partnerships/" + partnership + "/incidents",
                Map.of("reason", "partner breached", "severity", "HIGH")).statusCode()).isEqualTo(202);
        fixtures.awaitState(id, LifecycleState.REVOKED);
        awaitWaitingAt(id, ProcessIds.GATEWAY_AWAIT_RETENTION);
        assertThat(tokenWithKey(fixtures.keycloakUrl(), clientId, key).statusCode()).isIn(400, 401);
        assertThat(audit.ofIdentity(id)).extracting(AuditEvent::getAction).contains("MACHINE_SUSPENDED",
                "MACHINE_RESUMED", "MACHINE_REVOKED");
    }

    @Test
    void terminationRevokesTheMachine() throws Exception {
        PartnerKey key = PartnerKey.generate();
        JsonNode machine = fixtures.registerMachine(partnership, registration("SIGNED_JWT", key));
        String id = machine.get("id").asText();
        fixtures.awaitState(id, LifecycleState.ACTIVE);
        awaitWaitingAt(id, ProcessIds.TIMER_USE_CHECK_DUE);

        assertThat(client.post("sofia.security", "/api/partnerships/" + partnership + "/termination",
                Map.of("reason", "contract ended early")).statusCode()).isEqualTo(202);
        fixtures.awaitState(id, LifecycleState.REVOKED);
        awaitWaitingAt(id, ProcessIds.GATEWAY_AWAIT_RETENTION);
        assertThat(tokenWithKey(fixtures.keycloakUrl(), machine.get("clientId").asText(), key).statusCode())
                .isIn(400, 401);
    }

    /**
     * The elevation's grant, run again by a Camunda administrator through either door: {@code /engine-rest} with a
     * token, or Cockpit's session API signed in to the webapp.
     */
    @ParameterizedTest(name = "grant replayed via {0}")
    @EnumSource(Via.class)
    void anElevationAddsAScopeUntilItsTimeIsUp(Via via) throws Exception {
        PartnerKey key = PartnerKey.generate();
        JsonNode machine = fixtures.registerMachine(partnership, registration("SIGNED_JWT", key));
        String id = machine.get("id").asText();
        String clientId = machine.get("clientId").asText();
        fixtures.awaitState(id, LifecycleState.ACTIVE);

        Map<String, Object> elevation = Map.of("clientScopes", List.of("invoices.read"),
                "reason", "reconcile March invoices", "durationMinutes", 30);
        assertThat(client.post("sam.sponsor", "/api/machines/" + id + "/elevations", elevation).statusCode())
                .as("only requesters or the owner").isEqualTo(403);
        assertThat(client.post("ian.owner", "/api/machines/" + id + "/elevations",
                Map.of("clientScopes", List.of("invoices.read"), "reason", "reconcile", "durationMinutes", 6000))
                .statusCode()).isEqualTo(400);
        assertThat(client.post("ian.owner", "/api/machines/" + id + "/elevations", elevation).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> scopes(tokenWithKey(fixtures.keycloakUrl(), clientId, key))
                .contains("invoices.read"));
        assertThat(client.post("ian.owner", "/api/machines/" + id + "/elevations", elevation).statusCode())
                .as("one at a time").isIn(400, 409);

        executeTimer(id, ProcessIds.TIMER_ELEVATION_ENDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> scopes(tokenWithKey(fixtures.keycloakUrl(), clientId, key))
                .equals(Set.of("orders.read")));
        // Keycloak answers with the narrower token before the job's registry transaction commits
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(audit.ofIdentity(id))
                .extracting(AuditEvent::getAction).contains("MACHINE_ELEVATION_POLICY_DECIDED",
                        "MACHINE_ELEVATION_GRANTED", "MACHINE_ELEVATION_REMOVED"));

        // a Camunda administrator runs the grant again with other scopes for a year: the grant applies the recorded
        // request only, and only once per decision, so the job fails and the client keeps its scopes
        String instance = runtime.createProcessInstanceQuery().processInstanceBusinessKey(id).singleResult().getId();
        Set<String> granted = partnerClients.grantedClientScopesOf(clientId);
        IdentitySnapshot before = IdentitySnapshot.of(identities, audit, id, id, clientId);
        HttpResponse<String> replayed = fixtures.doors().asAdministrator(via, "POST",
                "/process-instance/" + instance + "/modification", Map.of("skipCustomListeners", true,
                        "instructions", List.of(Map.of("type", "startBeforeActivity",
                                "activityId", ProcessIds.TASK_GRANT_ELEVATION, "variables", Map.of(
                                        MachineAccessVariables.ELEVATION_SCOPES, Map.of("value", "payments.initiate", "type", "String"),
                                        MachineAccessVariables.ELEVATION_DURATION, Map.of("value", "P365D", "type", "String"))))));
        assertThat(replayed.statusCode()).as("the administrator may modify: " + replayed.body()).isIn(200, 204);
        await().atMost(Duration.ofSeconds(60)).until(() -> management.createJobQuery().processInstanceId(instance)
                .activityId(ProcessIds.TASK_GRANT_ELEVATION).withException().count() > 0);
        Job grant = management.createJobQuery().processInstanceId(instance).activityId(ProcessIds.TASK_GRANT_ELEVATION)
                .withException().singleResult();
        assertThat(grant.getExceptionMessage()).contains("Not approved: " + id, "granted already");
        management.setJobRetries(grant.getId(), 0);
        assertThat(scopes(tokenWithKey(fixtures.keycloakUrl(), clientId, key))).isEqualTo(Set.of("orders.read"));
        assertThat(partnerClients.grantedClientScopesOf(clientId)).isEqualTo(granted).doesNotContain("payments.initiate");
        assertThat(partnerClients.findClient(clientId).orElseThrow().isEnabled()).isTrue();
        assertThat(audit.ofIdentity(id)).filteredOn(event -> event.getAction().equals("MACHINE_ELEVATION_GRANTED"))
                .hasSize(1);
        IdentitySnapshot after = IdentitySnapshot.of(identities, audit, id, id, clientId);
        assertThat(after).as("registry row, audit entries and chain, mails after the replay").isEqualTo(before);
        assertThat(after.auditChainIntact()).isTrue();
    }

    @Test
    void lastUseIsReadFromKeycloakEventsAndAnUnusedMachineGoesToItsOwner() throws Exception {
        PartnerKey key = PartnerKey.generate();
        JsonNode machine = fixtures.registerMachine(partnership, registration("SIGNED_JWT", key));
        String id = machine.get("id").asText();
        fixtures.awaitState(id, LifecycleState.ACTIVE);
        assertThat(tokenWithKey(fixtures.keycloakUrl(), machine.get("clientId").asText(), key).statusCode())
                .isEqualTo(200);
        // Keycloak stores the token event apart from answering the request; check once it is there
        await().atMost(Duration.ofSeconds(30)).until(() -> partnerRealm.lastClientLogin(machine.get("clientId").asText()).isPresent());

        executeTimer(id, ProcessIds.TIMER_USE_CHECK_DUE);
        await().atMost(Duration.ofSeconds(30)).until(() -> identities.findById(id).orElseThrow().getLastUsedAt() != null);
        awaitWaitingAt(id, ProcessIds.TIMER_USE_CHECK_DUE);

        // the test profile counts a machine unused after a few seconds without a token
        Thread.sleep(6_000);
        executeTimer(id, ProcessIds.TIMER_USE_CHECK_DUE);
        complete(tasks, identity, id, ProcessIds.TASK_REVIEW_UNUSED_MACHINE, "ian.owner", "identity-owners",
                Map.of(MachineAccessVariables.KEEP_MACHINE, false, Variables.REVIEW_COMMENT, "the batch was retired"));
        fixtures.awaitState(id, LifecycleState.REVOKED);
        assertThat(tokenWithKey(fixtures.keycloakUrl(), machine.get("clientId").asText(), key).statusCode())
                .isIn(400, 401);
    }

    /**
     * A Camunda administrator keeps unused machines, through the engine's REST API or Cockpit: one machine's use check
     * postponed to 2099, another's owner review opened and its deadline postponed, a third's process instance deleted.
     * Nobody uses them until past the owner's time to answer: the registry's sweep reads Keycloak's last token again and
     * revokes all three as the system, with the process's own reason, and the processes still running tell the owner.
     * A fourth machine, with registry dates just as old, took a token that Keycloak recorded: it is kept.
     */
    @ParameterizedTest(name = "timers moved via {0}")
    @EnumSource(Via.class)
    void anUnusedMachineIsRevokedWhenItsReviewIsDodgedThroughTheEngine(Via via) throws Exception {
        EngineDoors doors = fixtures.doors();
        Map<String, PartnerKey> keys = new java.util.LinkedHashMap<>();
        Map<String, String> clientIds = new java.util.HashMap<>();
        for (int i = 0; i < 4; i++) {
            PartnerKey key = PartnerKey.generate();
            JsonNode machine = fixtures.registerMachine(partnership, registration("SIGNED_JWT", key));
            keys.put(machine.get("id").asText(), key);
            clientIds.put(machine.get("id").asText(), machine.get("clientId").asText());
        }
        List<String> ids = List.copyOf(keys.keySet());
        String checkPostponed = ids.get(0);
        String reviewPostponed = ids.get(1);
        String processDeleted = ids.get(2);
        String used = ids.get(3);
        ids.forEach(id -> fixtures.awaitState(id, LifecycleState.ACTIVE));
        assertThat(tokenWithKey(fixtures.keycloakUrl(), clientIds.get(used), keys.get(used)).statusCode())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> partnerRealm.lastClientLogin(clientIds.get(used)).isPresent());

        postpone(doors, via, checkPostponed, ProcessIds.TIMER_USE_CHECK_DUE);
        // the test profile counts a machine unused after a few seconds without a token: the owner is asked
        Thread.sleep(6_000);
        executeTimer(reviewPostponed, ProcessIds.TIMER_USE_CHECK_DUE);
        awaitWaitingAt(reviewPostponed, ProcessIds.TASK_REVIEW_UNUSED_MACHINE);
        postpone(doors, via, reviewPostponed, ProcessIds.BOUNDARY_UNUSED_REVIEW_OVERDUE);
        String instance = runtime.createProcessInstanceQuery().processInstanceBusinessKey(processDeleted)
                .singleResult().getId();
        HttpResponse<String> deleted = doors.asAdministrator(via, "DELETE", "/process-instance/" + instance
                + "?skipCustomListeners=true", null);
        assertThat(deleted.statusCode()).as("the administrator may delete instances: " + deleted.body()).isEqualTo(204);

        // nothing counts as use since before the owner's time to answer ran out; the registry has not seen the token
        Instant longAgo = access.unusedReviewMissedBefore(Instant.now()).minusSeconds(60);
        for (String id : ids) {
            jdbc.update("update machine_profile set active_since = ?, use_confirmed_at = null where identity_id = ?",
                    longAgo.atOffset(ZoneOffset.UTC), id);
            jdbc.update("update partner_identity set approved_at = ?, last_used_at = null where identity_id = ?",
                    longAgo.atOffset(ZoneOffset.UTC), id);
        }

        for (String id : List.of(checkPostponed, reviewPostponed, processDeleted)) {
            fixtures.awaitState(id, LifecycleState.REVOKED);
            assertThat(identities.findById(id).orElseThrow().getStateReason()).isEqualTo(access.unusedReason());
            assertThat(partnerClients.findClient(clientIds.get(id)).orElseThrow().isEnabled()).as(id).isFalse();
            assertThat(tokenWithKey(fixtures.keycloakUrl(), clientIds.get(id), keys.get(id)).statusCode())
                    .isIn(400, 401);
            assertThat(audit.ofIdentity(id)).filteredOn(event -> event.getAction().equals("MACHINE_REVOKED"))
                    .extracting(AuditEvent::getActor, AuditEvent::getDetail).containsExactly(org.assertj.core.groups
                            .Tuple.tuple("system", "trigger=UNUSED; reason=" + access.unusedReason()));
        }
        for (String id : List.of(checkPostponed, reviewPostponed)) {
            awaitWaitingAt(id, ProcessIds.GATEWAY_AWAIT_RETENTION);
            await().atMost(Duration.ofSeconds(30)).until(() -> count("ian.owner@example.com",
                    clientIds.get(id) + " is revoked") == 1);
        }
        assertThat(runtime.createProcessInstanceQuery().processInstanceBusinessKey(processDeleted).count()).isZero();

        // the used machine: Keycloak's token event was read, recorded and counted before anything was revoked
        PartnerIdentity kept = identities.findById(used).orElseThrow();
        assertThat(kept.getState()).isEqualTo(LifecycleState.ACTIVE);
        assertThat(kept.getLastUsedAt()).isEqualTo(partnerRealm.lastClientLogin(clientIds.get(used)).orElseThrow());
        assertThat(tokenWithKey(fixtures.keycloakUrl(), clientIds.get(used), keys.get(used)).statusCode())
                .isEqualTo(200);
        assertThat(audit.ofIdentity(used)).extracting(AuditEvent::getAction).doesNotContain("MACHINE_REVOKED");
        assertThat(audit.firstBrokenEntry()).isNull();
    }

    /** A timer of the machine's process moved to 2099 by a Camunda administrator, through the given door. */
    private void postpone(EngineDoors doors, Via via, String id, String activityId) {
        await().atMost(Duration.ofSeconds(30)).until(() -> timer(id, activityId) != null);
        Job timer = timer(id, activityId);
        HttpResponse<String> postponed = doors.asAdministrator(via, "PUT", "/job/" + timer.getId() + "/duedate",
                Map.of("duedate", "2099-01-01T00:00:00.000+0000"));
        assertThat(postponed.statusCode()).as("the administrator may move timers: " + postponed.body()).isEqualTo(204);
        assertThat(timer(id, activityId).getDuedate()).isAfter(java.util.Date.from(Instant.now().plus(Duration.ofDays(3650))));
    }

    @Test
    void theTasklistStartFormRegistersAMachineAndRefusesABadOne() throws Exception {
        PartnerKey key = PartnerKey.generate();
        Map<String, Object> form = new java.util.HashMap<>();
        form.put(Variables.PARTNERSHIP_KEY, partnership);
        form.put(MachineAccessVariables.WORKLOAD_NAME, "Acme stock feed");
        form.put(MachineAccessVariables.MACHINE_KIND, "SERVICE_ACCOUNT");
        form.put(Variables.OWNER, "ian.owner");
        form.put(Variables.PURPOSE, "Publishes stock levels of the EU warehouses every hour");
        form.put(MachineAccessVariables.ENVIRONMENT, "staging");
        // as Camunda Forms send them: a checklist as a JSON array, a number field as a long, a date as text
        form.put(Variables.CLIENT_SCOPES, org.camunda.spin.plugin.variable.SpinValues.jsonValue("[\"shipments.read\"]").create());
        form.put(Variables.DATA_CLASSES, org.camunda.spin.plugin.variable.SpinValues.jsonValue("[]").create());
        form.put(MachineAccessVariables.TOKEN_LIFESPAN_SECONDS, 50L);
        form.put(Variables.END_DATE, java.time.LocalDate.now().plusMonths(2).toString());
        form.put(MachineAccessVariables.AUTH_METHOD, "SIGNED_JWT");
        form.put(MachineAccessVariables.JWKS, JSON.writeValueAsString(key.jwks()));
        String definition = formDefinition();

        identity.setAuthentication("rita.requester", List.of("requesters"));
        String id;
        try {
            id = forms.submitStartForm(definition, form).getBusinessKey();
            Map<String, Object> bad = new java.util.HashMap<>(form);
            bad.put(MachineAccessVariables.TOKEN_LIFESPAN_SECONDS, 100_000L);
            long before = identities.findByPartnershipKeyOrderById(partnership).size();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> forms.submitStartForm(definition, bad))
                    .isInstanceOf(org.partneraccess.InvalidRequestException.class).hasMessageContaining("tokenLifespanSeconds");
            assertThat(identities.findByPartnershipKeyOrderById(partnership)).hasSize((int) before);
        } finally {
            identity.clearAuthentication();
        }
        fixtures.awaitState(id, LifecycleState.ACTIVE);
        PartnerIdentity row = identities.findById(id).orElseThrow();
        assertThat(row.getRequestedBy()).isEqualTo("rita.requester");
        HttpResponse<String> token = tokenWithKey(fixtures.keycloakUrl(), row.getKeycloakName(), key);
        assertThat(scopes(token)).containsExactly("shipments.read");
        // Keycloak counts from the second the token was issued in: one less when that second had begun
        assertThat(expiresIn(token)).isBetween(49, 50);
    }

    private String formDefinition() {
        return repository.createProcessDefinitionQuery().processDefinitionKey(ProcessIds.MACHINE_ACCESS_PROCESS).latestVersion()
                .singleResult().getId();
    }

    // ---- helpers ----

    private HttpResponse<String> collect(String user, String id, String token) {
        return client.post(user, "/api/machines/" + id + "/secret", Map.of("token", token));
    }

    private void awaitWaitingAt(String id, String activityId) {
        await().atMost(Duration.ofSeconds(30)).until(() -> runtime.createExecutionQuery().processInstanceBusinessKey(id)
                .activityId(activityId).count() > 0);
    }

    /** Fires a timer now instead of in days: the job executor then runs what follows, as it would. */
    private void executeTimer(String id, String activityId) {
        await().atMost(Duration.ofSeconds(30)).until(() -> timer(id, activityId) != null);
        management.executeJob(timer(id, activityId).getId());
    }

    private Job timer(String id, String activityId) {
        org.camunda.bpm.engine.runtime.ProcessInstance instance = runtime.createProcessInstanceQuery()
                .processInstanceBusinessKey(id).singleResult();
        return instance == null ? null : management.createJobQuery().processInstanceId(instance.getId())
                .activityId(activityId).timers().singleResult();
    }
}
