package org.partneraccess.keycloak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import org.camunda.bpm.engine.ManagementService;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.ClientRepresentation;
import org.partneraccess.LifecycleState;
import org.partneraccess.machine.MachineFixtures;
import org.partneraccess.machine.MachineFixtures.PartnerKey;
import org.partneraccess.support.ItFixtures;
import org.partneraccess.support.KeycloakAdmin;
import org.partneraccess.support.PartnerAccessTest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * How many admin calls the application makes to Keycloak to provision an identity, counted from its own request metric
 * ({@value KeycloakRequestMetrics#METRIC}) from the registration until its process has no job left to run: a machine's
 * client is created with its scopes, lifespan and attributes in one request, from the kept copy of the realm's scopes.
 */
@PartnerAccessTest
class ProvisioningAdminCallsIT {

    private static final Logger log = LoggerFactory.getLogger(ProvisioningAdminCallsIT.class);
    private static final String TOKEN_ENDPOINT = "/realms/{realm}/protocol/openid-connect/token";

    @Autowired
    ItFixtures fixtures;
    @Autowired
    MeterRegistry metrics;
    @Autowired
    ManagementService management;

    @Test
    void aLowRiskSignedJwtMachineIsProvisionedWithAtMostFourAdminCallsAndExactlyItsApprovedClient() {
        String partnership = fixtures.activePartnership();
        awaitNoJobDue();
        Map<String, Long> before = adminCalls();

        JsonNode machine = fixtures.registerMachine(partnership, MachineFixtures.registration("SIGNED_JWT",
                PartnerKey.generate(), "orders.read", "invoices.read"));
        String identityId = machine.get("id").asText();
        fixtures.awaitState(identityId, LifecycleState.ACTIVE);
        awaitNoJobDue();
        Map<String, Long> calls = since(before);
        log.info("Admin calls to provision machine {}: {} {}", identityId, total(calls), calls);

        assertThat(total(calls)).as("admin calls of one machine's registration and provisioning: " + calls)
                .isLessThanOrEqualTo(4);
        assertThat(calls.getOrDefault("GET /admin/realms/{realm}/client-scopes", 0L))
                .as("the realm's scopes read at most once").isLessThanOrEqualTo(1);
        assertThat(calls.getOrDefault("POST /admin/realms/{realm}/clients", 0L)).as("one create").isEqualTo(1);

        // read back with the master administrator, not through the application
        ClientRepresentation client = KeycloakAdmin.realm("partner").clients()
                .findByClientId(machine.get("clientId").asText()).get(0);
        assertThat(client.getDefaultClientScopes()).as("default scopes: the approved ones and the technical ones")
                .containsExactlyInAnyOrder("orders.read", "invoices.read", "basic", "partner-access-introspection");
        assertThat(client.getOptionalClientScopes()).as("optional scopes").isEmpty();
        assertThat(client.getAttributes()).containsEntry("access.token.lifespan", "45")
                .containsEntry(KeycloakAttributes.PARTNERSHIP, partnership)
                .containsEntry(KeycloakAttributes.IDENTITY, identityId)
                .containsEntry("use.jwks.string", "true");
        assertThat(client.getClientAuthenticatorType()).isEqualTo("client-jwt");
        assertThat(client.isServiceAccountsEnabled()).isTrue();
        assertThat(client.isStandardFlowEnabled()).isFalse();
        assertThat(client.isFullScopeAllowed()).isFalse();
    }

    @Test
    void aPersonsProvisioningIsCounted() {
        String partnership = fixtures.activePartnership();
        awaitNoJobDue();
        Map<String, Long> before = adminCalls();

        String identityId = fixtures.activePerson(partnership, "calls-" + System.nanoTime() + "@partner.example.org");
        awaitNoJobDue();
        Map<String, Long> calls = since(before);
        log.info("Admin calls to provision person {} (request, approval, provisioning, invitation): {} {}", identityId,
                total(calls), calls);

        assertThat(calls.getOrDefault("POST /admin/realms/{realm}/users", 0L)).as("one create").isEqualTo(1);
        assertThat(calls.getOrDefault("GET /admin/realms/{realm}/client-scopes", 0L))
                .as("the realm's scopes read at most once").isLessThanOrEqualTo(1);
    }

    /** Nothing of earlier tests still at work: what is counted is this identity's. */
    private void awaitNoJobDue() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> management.createJobQuery().executable().count() == 0);
    }

    /** Admin calls so far by method and URI template; the admin client's own token requests left out. */
    private Map<String, Long> adminCalls() {
        Map<String, Long> calls = new TreeMap<>();
        metrics.find(KeycloakRequestMetrics.METRIC).timers().stream()
                .filter(timer -> !TOKEN_ENDPOINT.equals(timer.getId().getTag("uri")))
                .forEach(timer -> calls.merge(timer.getId().getTag("method") + " " + timer.getId().getTag("uri"),
                        timer.count(), Long::sum));
        return calls;
    }

    private Map<String, Long> since(Map<String, Long> before) {
        Map<String, Long> calls = new TreeMap<>();
        adminCalls().forEach((call, count) -> {
            long made = count - before.getOrDefault(call, 0L);
            if (made > 0) {
                calls.put(call, made);
            }
        });
        return calls;
    }

    private static long total(Map<String, Long> calls) {
        return calls.values().stream().mapToLong(Long::longValue).sum();
    }
}
