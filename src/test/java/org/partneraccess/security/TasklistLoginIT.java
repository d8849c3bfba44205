package org.partneraccess.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.camunda.bpm.engine.TaskService;
import org.partneraccess.LifecycleState;
import org.partneraccess.ProcessIds;
import org.partneraccess.partnership.internal.PartnershipRepository;
import org.partneraccess.support.ItFixtures;
import org.partneraccess.support.PartnerAccessClient;
import org.partneraccess.support.StaffBrowser;
import org.springframework.beans.factory.annotation.Autowired;
import org.partneraccess.support.PartnerAccessTest;

/** The Camunda webapp login, at the HTTP level, with staff-realm accounts checked by the real Keycloak. */
@PartnerAccessTest
class TasklistLoginIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    ItFixtures fixtures;
    @Autowired
    PartnershipRepository partnerships;
    @Autowired
    TaskService tasks;

    @Test
    void requesterLogsInToTasklistAndSeesTheStartableProcess() throws Exception {
        Session session = new Session();
        HttpResponse<String> login = session.login("rita.requester", "demo", "tasklist");
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(login.body()).contains("\"userId\":\"rita.requester\"");

        HttpResponse<String> startable = session.get(
                "/camunda/api/engine/engine/default/process-definition?latest=true&startableInTasklist=true");
        assertThat(startable.statusCode()).isEqualTo(200);
        assertThat(startable.body()).contains(ProcessIds.PARTNERSHIP_PROCESS);
    }

    @Test
    void requesterStartsThePartnershipThroughItsStartFormAsTasklistSubmitsIt() throws Exception {
        Session session = new Session();
        assertThat(session.login("rita.requester", "demo", "tasklist").statusCode()).isEqualTo(200);
        String definitionId = JSON.readTree(session.get("/camunda/api/engine/engine/default/process-definition?key="
                + ProcessIds.PARTNERSHIP_PROCESS + "&latestVersion=true").body()).get(0).get("id").asText();
        assertThat(session.get("/camunda/api/engine/engine/default/process-definition/" + definitionId
                + "/deployed-start-form").body()).contains(ProcessIds.PARTNERSHIP_REQUEST_FORM);

        String key = "form-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        // what Tasklist sends for a Camunda Form: text as strings, checklists as JSON arrays
        String variables = """
                {"variables": {
                  "partnershipKey": {"value": "%s"}, "legalName": {"value": "Globex Corp"},
                  "sponsor": {"value": "sam.sponsor"}, "businessOwner": {"value": "ian.owner"},
                  "technicalOwner": {"value": "ian.owner"},
                  "purpose": {"value": "Globex reads invoices to reconcile payments for the EU market"},
                  "dataClasses": {"value": "[\\"internal\\"]", "type": "Json"},
                  "environments": {"value": "[\\"test\\"]", "type": "Json"},
                  "clientScopes": {"value": "[\\"invoices.read\\"]", "type": "Json"},
                  "endDate": {"value": "%s"}, "contactEmail": {"value": "%s@globex.example.org"},
                  "contactFirstName": {"value": "Gina"}, "contactLastName": {"value": "Globex"}}}
                """.formatted(key, java.time.LocalDate.now().plusDays(90), key);
        String submit = "/camunda/api/engine/engine/default/process-definition/" + definitionId + "/submit-form";
        HttpResponse<String> started = session.post(submit, variables);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        assertThat(partnerships.findById(key).orElseThrow().getState()).isEqualTo(LifecycleState.REQUESTED);
        assertThat(tasks.createTaskQuery().processInstanceBusinessKey(key)
                .taskDefinitionKey(ProcessIds.TASK_APPROVE_AS_SPONSOR).count()).isEqualTo(1);

        HttpResponse<String> invalid = session.post(submit, """
                {"variables": {"partnershipKey": {"value": "Bad Key"}, "purpose": {"value": "short"}}}""");
        // refused as a form field validation failure: 400, and Tasklist shows the message, which names the fields
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.body()).contains("partnershipKey: 3 to 40 lower-case letters", "purpose: describe the purpose")
                .doesNotContain("at org.");
        assertThat(partnerships.existsById("Bad Key")).isFalse();
    }

    @Test
    void sponsorsGroupTasksFilterListsTheApprovalsOfTheirGroup() throws Exception {
        String key = "filter-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(fixtures.client().post("rita.requester", "/api/partnerships",
                PartnerAccessClient.validRequest(key, key + "@partner.example.org")).statusCode()).isEqualTo(201);
        String taskId = tasks.createTaskQuery().processInstanceBusinessKey(key).singleResult().getId();

        Session sponsor = new Session();
        assertThat(sponsor.login("sam.sponsor", "demo", "tasklist").statusCode()).isEqualTo(200);
        String filterId = null;
        for (JsonNode filter : JSON.readTree(sponsor.get("/camunda/api/engine/engine/default/filter?resourceType=Task").body())) {
            if (filter.get("name").asText().equals("My group tasks")) {
                filterId = filter.get("id").asText();
            }
        }
        assertThat(filterId).as("the My group tasks filter").isNotNull();
        HttpResponse<String> listed = sponsor.get("/camunda/api/engine/engine/default/filter/" + filterId + "/list?maxResults=500");
        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
        assertThat(listed.body()).contains(taskId);

        Session requester = new Session();
        assertThat(requester.login("rita.requester", "demo", "tasklist").statusCode()).isEqualTo(200);
        HttpResponse<String> others = requester.get("/camunda/api/engine/engine/default/filter/" + filterId + "/list?maxResults=500");
        assertThat(others.statusCode()).as(others.body()).isEqualTo(200);
        assertThat(others.body()).doesNotContain(taskId);
    }

    @Test
    void wrongPasswordIsRefused() throws Exception {
        Session session = new Session();
        HttpResponse<String> refused = session.login("rita.requester", "not-the-password", "tasklist");
        assertThat(refused.body()).contains("Invalid username or password");
        assertThat(session.get("/camunda/api/admin/auth/user/default").statusCode()).isEqualTo(401);
    }

    @Test
    void unknownUserIsRefused() throws Exception {
        Session session = new Session();
        assertThat(session.login("mallory", "demo", "tasklist").body()).contains("Invalid username or password");
        assertThat(session.get("/camunda/api/admin/auth/user/default").statusCode()).isEqualTo(401);
    }

    /** The webapps' own password form is closed: staff sign in at the staff realm, with its second factor. */
    @Test
    void theWebappsPasswordFormIsClosed() throws Exception {
        StaffBrowser browser = new StaffBrowser(fixtures.port());
        HttpResponse<String> login = browser.post("/camunda/api/admin/auth/user/default/login/tasklist",
                java.util.Map.of("username", "rita.requester", "password", "demo"));
        assertThat(login.statusCode()).isIn(401, 403);
        assertThat(browser.webappCall("GET", "/camunda/api/admin/auth/user/default", null).statusCode()).isEqualTo(401);
    }

    @Test
    void eachGroupOpensOnlyItsApplications() throws Exception {
        assertThat(apps("alice.auditor", "cockpit")).contains("cockpit").doesNotContain("tasklist", "admin");
        assertThat(apps("rita.requester", "tasklist")).contains("tasklist").doesNotContain("cockpit", "admin");
        assertThat(apps("adam.admin", "admin")).contains("admin", "cockpit", "tasklist");
    }

    private java.util.List<String> apps(String user, String app) throws Exception {
        HttpResponse<String> me = new Session().login(user, "demo", app);
        assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
        assertThat(JSON.readTree(me.body()).path("userId").asText()).isEqualTo(user);
        java.util.List<String> apps = new java.util.ArrayList<>();
        JSON.readTree(me.body()).path("authorizedApps").forEach(name -> apps.add(name.asText()));
        return apps;
    }

    /** A browser at the webapps: signed in at the staff realm's pages, then the webapps' script calls with its CSRF token. */
    private class Session {
        private final StaffBrowser browser = new StaffBrowser(fixtures.port());

        /** Opens the webapp, signs in where it sends, and answers what the webapps' own "who am I" says. */
        HttpResponse<String> login(String username, String password, String app) {
            HttpResponse<String> page = browser.signIn("/camunda/app/" + app + "/default/", username, password);
            if (page.body().contains("name=\"password\"")) {
                return page;
            }
            return get("/camunda/api/admin/auth/user/default");
        }

        HttpResponse<String> post(String path, String json) {
            return browser.webappCall("POST", path, json);
        }

        HttpResponse<String> get(String path) {
            return browser.webappCall("GET", path, null);
        }
    }
}
