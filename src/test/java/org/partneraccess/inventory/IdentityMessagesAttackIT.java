package org.partneraccess.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.partneraccess.LifecycleState;
import org.partneraccess.ProcessIds;
import org.partneraccess.audit.AuditLog;
import org.partneraccess.inventory.internal.PartnerIdentityRepository;
import org.partneraccess.keycloak.PartnerClients;
import org.partneraccess.support.EngineDoors.Via;
import org.partneraccess.support.ItFixtures;
import org.partneraccess.support.PartnerAccessTest;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Only the application tells an identity's process that its access ends, is suspended or resumed: a security officer
 * who sends the identity messages through the engine's doors is refused, and the machine, its client, its process and
 * the audit trail stay as they were.
 */
@PartnerAccessTest
class IdentityMessagesAttackIT {

    @Autowired
    ItFixtures fixtures;
    @Autowired
    PartnerIdentityRepository identities;
    @Autowired
    HistoryService history;
    @Autowired
    ManagementService management;
    @Autowired
    PartnerClients keycloak;
    @Autowired
    AuditLog audit;

    @ParameterizedTest(name = "via {0}")
    @EnumSource(Via.class)
    void theIdentityMessagesCannotBeSentThroughTheEngine(Via via) {
        String key = fixtures.activePartnership();
        String machine = fixtures.activeMachine(key).get("id").asText();
        String clientId = identities.findById(machine).orElseThrow().getKeycloakName();
        String instance = history.createHistoricProcessInstanceQuery().processInstanceBusinessKey(machine)
                .singleResult().getId();
        // the activation notice done first: its own audit entry is not the attack's
        await().atMost(Duration.ofSeconds(60)).until(() -> management.createJobQuery().processInstanceId(instance)
                .executable().count() == 0);
        int auditBefore = audit.ofIdentity(machine).size();

        for (Map<String, Object> body : List.of(
                message(ProcessIds.MESSAGE_IDENTITY_ACCESS_ENDS, machine, Map.of("revocationTrigger", "ACCESS_ENDED",
                        "revocationReason", "forged", "triggeredBy", "system", "accessRevoked", true)),
                message(ProcessIds.MESSAGE_IDENTITY_ACCESS_SUSPENDED, machine, Map.of("suspensionReason", "forged",
                        "triggeredBy", "system")))) {
            HttpResponse<String> sent = fixtures.doors().call(via, "sofia.security", "POST", "/message", body);
            assertThat(sent.statusCode()).as(sent.body()).isEqualTo(403);
        }

        assertThat(identities.findById(machine).orElseThrow().getState()).isEqualTo(LifecycleState.ACTIVE);
        for (String caught : List.of(ProcessIds.BOUNDARY_ACCESS_ENDS, "BoundaryEvent_PartnershipSuspended")) {
            assertThat(history.createHistoricActivityInstanceQuery().processInstanceId(instance).activityId(caught)
                    .count()).as(caught).isZero();
        }
        assertThat(keycloak.findClient(clientId).orElseThrow().isEnabled()).as("the client").isTrue();
        assertThat(audit.ofIdentity(machine)).hasSize(auditBefore);
        assertThat(audit.firstBrokenEntry()).as("the audit chain").isNull();
    }

    private static Map<String, Object> message(String name, String businessKey, Map<String, Object> variables) {
        Map<String, Object> typed = new LinkedHashMap<>();
        variables.forEach((variable, value) -> typed.put(variable, Map.of("value", value)));
        return Map.of("messageName", name, "businessKey", businessKey, "processVariables", typed);
    }
}
