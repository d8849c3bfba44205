package org.partneraccess.journeys;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Test;
import org.partneraccess.audit.AuditEvent;
import org.partneraccess.audit.AuditLog;
import org.partneraccess.partnership.internal.PartnershipRepository;
import org.partneraccess.partnership.PartnershipVariables;
import org.partneraccess.support.EngineDoors;
import org.partneraccess.support.EngineDoors.Via;
import org.partneraccess.support.ItFixtures;
import org.partneraccess.support.Mailbox;
import org.partneraccess.support.PartnerAccessClient;
import org.partneraccess.support.PartnerAccessTest;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Cockpit offers each user what the engine lets them do: those who only read there (auditors, security officers) see a
 * process instance without its suspend, delete and variable actions and deployments without their delete, a Camunda
 * administrator sees them all. Hiding is
 * not the control: the same actions sent directly by a read-only user are refused and change nothing.
 */
@PartnerAccessTest
class CockpitActionsIT {

    @Autowired
    RuntimeService runtime;
    @Autowired
    org.camunda.bpm.engine.RepositoryService repository;
    @Autowired
    PartnershipRepository partnerships;
    @Autowired
    AuditLog audit;
    @Autowired
    ItFixtures fixtures;

    @Test
    void readOnlyUsersAreNotOfferedWhatTheEngineRefusesThemAndAnAdministratorIs() throws Exception {
        String key = "cockpit-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> created = fixtures.client().post("rita.requester",
                "/api/partnerships", PartnerAccessClient.validRequest(key, key + "@partner.example.org"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        ProcessInstance instance = runtime.createProcessInstanceQuery().processInstanceBusinessKey(key).singleResult();

        for (String reader : List.of("alice.auditor", "sofia.security")) {
            try (Browser browser = Browser.open("cockpit-read-only-" + reader)) {
                Cockpit cockpit = new Cockpit(browser, fixtures.port());
                cockpit.logIn(reader, "demo");
                cockpit.openProcessInstance(instance.getId());
                browser.screenshot("process-instance");
                assertThat(cockpit.markedReadOnly()).as("%s's page marked read-only", reader).isTrue();
                assertThat(cockpit.offers(Cockpit.SUSPEND)).as("suspend offered to %s", reader).isFalse();
                assertThat(cockpit.offers(Cockpit.DELETE)).as("delete offered to %s", reader).isFalse();
                assertThat(cockpit.offers(Cockpit.ADD_VARIABLE)).as("add variable offered to %s", reader).isFalse();
                assertThat(cockpit.offers(Cockpit.EDIT_VARIABLE)).as("variable edit offered to %s", reader).isFalse();
                cockpit.openRepository();
                assertThat(cockpit.offers(Cockpit.DELETE_DEPLOYMENT)).as("deployment delete offered to %s", reader).isFalse();
            }
        }
        try (Browser browser = Browser.open("cockpit-administrator")) {
            Cockpit cockpit = new Cockpit(browser, fixtures.port());
            cockpit.logIn(EngineDoors.ADMINISTRATOR, "demo");
            cockpit.openProcessInstance(instance.getId());
            browser.until("the administrator's page not marked read-only", driver -> !cockpit.markedReadOnly());
            browser.screenshot("process-instance");
            assertThat(cockpit.offers(Cockpit.SUSPEND)).isTrue();
            assertThat(cockpit.offers(Cockpit.DELETE)).isTrue();
            assertThat(cockpit.offers(Cockpit.ADD_VARIABLE)).isTrue();
            assertThat(cockpit.offers(Cockpit.EDIT_VARIABLE)).isTrue();
            cockpit.openRepository();
            browser.screenshot("repository");
            assertThat(cockpit.offers(Cockpit.DELETE_DEPLOYMENT)).isTrue();
        }

        // what is not offered is still refused when sent directly, through either door, and changes nothing
        List<String> trailBefore = audit.ofPartnership(key).stream().map(AuditEvent::getAction).toList();
        fixtures.awaitReceiptsSent();
        List<String> mailsBefore = Mailbox.naming(key);
        EngineDoors doors = fixtures.doors();
        String path = "/process-instance/" + instance.getId();
        String deployment = repository.getProcessDefinition(instance.getProcessDefinitionId()).getDeploymentId();
        for (Via via : Via.values()) {
            assertThat(doors.call(via, "alice.auditor", "PUT", path + "/suspended", Map.of("suspended", true))
                    .statusCode()).as("suspend via %s", via).isEqualTo(403);
            assertThat(doors.call(via, "alice.auditor", "PUT", path + "/variables/" + PartnershipVariables.LEGAL_NAME,
                    Map.of("value", "Someone Else", "type", "String")).statusCode()).as("edit via %s", via).isEqualTo(403);
            assertThat(doors.call(via, "alice.auditor", "DELETE", path, null).statusCode())
                    .as("delete via %s", via).isEqualTo(403);
            assertThat(doors.call(via, "alice.auditor", "DELETE", "/deployment/" + deployment + "?cascade=true", null)
                    .statusCode()).as("deployment delete via %s", via).isEqualTo(403);
        }
        assertThat(repository.createDeploymentQuery().deploymentId(deployment).count()).isEqualTo(1);
        ProcessInstance after = runtime.createProcessInstanceQuery().processInstanceId(instance.getId()).singleResult();
        assertThat(after).as("the instance still runs").isNotNull();
        assertThat(after.isSuspended()).isFalse();
        assertThat(runtime.getVariable(instance.getId(), PartnershipVariables.LEGAL_NAME)).isEqualTo("Acme Logistics GmbH");
        assertThat(partnerships.findById(key).orElseThrow().getLegalName()).isEqualTo("Acme Logistics GmbH");
        assertThat(audit.ofPartnership(key).stream().map(AuditEvent::getAction).toList()).isEqualTo(trailBefore);
        assertThat(audit.firstBrokenEntry()).isNull();
        assertThat(Mailbox.naming(key)).isEqualTo(mailsBefore);
    }
}
