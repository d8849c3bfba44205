package org.partneraccess.forms;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.camunda.bpm.dmn.feel.impl.FeelEngine;
import org.camunda.bpm.dmn.feel.impl.scala.ScalaFeelEngineFactory;
import org.camunda.bpm.engine.variable.Variables;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.partneraccess.ProcessIds;
import org.partneraccess.dev.ManagedKeycloak;
import org.partneraccess.partnership.PartnershipService;
import org.partneraccess.security.StaffDirectory;
import org.partneraccess.security.StaffGroups;
import org.partneraccess.support.EngineDoors;
import org.partneraccess.support.EngineDoors.Via;
import org.partneraccess.support.ItFixtures;
import org.partneraccess.support.PartnerAccessClient;
import org.partneraccess.support.PartnerAccessTest;
import org.partneraccess.support.Tokens;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The start forms as Tasklist loads them, through both doors: only active partnerships to choose from, only the chosen
 * partnership's scopes, environments and data classes, its end date as the limit, staff users as pickers. The choices
 * only guide: the engine still refuses what the partnership does not allow (see {@code HostileInputIT}).
 */
@PartnerAccessTest
class GuidedFormsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FeelEngine FEEL = new ScalaFeelEngineFactory().createInstance();

    @Autowired
    ItFixtures fixtures;
    @Autowired
    PartnershipService partnerships;
    @Autowired
    StaffDirectory staff;

    private EngineDoors doors;

    @ParameterizedTest
    @EnumSource(Via.class)
    void aRequesterChoosesAmongActivePartnershipsAndIsOfferedOnlyWhatTheChosenOneAllows(Via via) throws Exception {
        doors = fixtures.doors();
        String active = fixtures.activePartnership();
        String requested = "req-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(fixtures.client().post("rita.requester", "/api/partnerships",
                PartnerAccessClient.validRequest(requested, requested + "@partner.example.org")).statusCode()).isEqualTo(201);

        HttpResponse<String> served = startForm(via, "rita.requester", ProcessIds.HUMAN_ACCESS_PROCESS);
        assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
        assertThat(served.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode person = JSON.readTree(served.body());
        JsonNode partnership = field(person, "partnershipKey");
        assertThat(partnership.path("type").asText()).isEqualTo("select");
        assertThat(values(partnership)).contains(active).doesNotContain(requested);
        assertThat(offered(field(person, "roles"), active))
                .containsExactlyElementsOf(new java.util.TreeSet<>(partnerships.get(active).getClientScopes()));
        assertThat(offered(field(person, "roles"), requested)).as("a partnership not active").isEmpty();

        JsonNode machine = JSON.readTree(startForm(via, "rita.requester", ProcessIds.MACHINE_ACCESS_PROCESS).body());
        assertThat(offered(field(machine, "environment"), active)).containsExactly("staging", "test");
        assertThat(offered(field(machine, "dataClasses"), active))
                .containsExactlyElementsOf(new java.util.TreeSet<>(partnerships.get(active).getDataClasses()));
        assertThat(values(field(machine, "owner"))).contains("ian.owner", "sam.sponsor", "rita.requester")
                .noneMatch(user -> user.startsWith("service-account-"));
        String endHint = machine.path("components").findValues("text").stream().map(JsonNode::asText)
                .filter(text -> text.contains("access ends on")).findFirst().orElseThrow();
        String template = endHint.substring(endHint.indexOf("{{") + 2, endHint.indexOf("}}"));
        assertThat((Object) FEEL.evaluateSimpleExpression(template,
                Variables.createVariables().putValue("partnershipKey", active).asVariableContext()))
                .isEqualTo(partnerships.get(active).getEndDate().toString());

        JsonNode partnershipForm = JSON.readTree(startForm(via, "rita.requester", ProcessIds.PARTNERSHIP_PROCESS).body());
        // other tests add sponsors to the shared staff realm: every one offered is a member, and no one else
        assertThat(values(field(partnershipForm, "sponsor"))).contains("sam.sponsor", "sarah.sponsor")
                .doesNotContain("rita.requester", "ian.owner")
                .allMatch(user -> staff.isMember(user, StaffGroups.SPONSORS));
    }

    /** A caller the engine does not let read the form gets the engine's refusal, and no partnership from us. */
    @Test
    void theIncidentReportersClientLearnsNoPartnershipFromTheStartForm() throws Exception {
        doors = fixtures.doors();
        String active = fixtures.activePartnership();
        String secret = ManagedKeycloak.current().secret(ManagedKeycloak.INCIDENT_REPORTER_SECRET_ENV);
        JsonNode token = Tokens.request(fixtures.keycloakUrl(), "staff", Map.of("grant_type", "client_credentials",
                "client_id", "partner-access-incident-reporter", "client_secret", secret));
        doors.useToken("siem", token.get("access_token").asText());

        HttpResponse<String> served = startForm(Via.ENGINE_REST, "siem", ProcessIds.HUMAN_ACCESS_PROCESS);

        assertThat(served.statusCode()).isGreaterThanOrEqualTo(400).isLessThan(500);
        assertThat(served.body()).doesNotContain(active);
    }

    private HttpResponse<String> startForm(Via via, String user, String processKey) {
        return doors.call(via, user, "GET", "/process-definition/key/" + processKey + "/deployed-start-form", null);
    }

    private static JsonNode field(JsonNode form, String key) {
        for (JsonNode component : form.path("components")) {
            if (key.equals(component.path("key").asText())) {
                return component;
            }
        }
        throw new AssertionError("no field " + key + " in " + form);
    }

    private static List<String> values(JsonNode field) {
        List<String> values = new ArrayList<>();
        field.path("values").forEach(value -> values.add(value.path("value").asText()));
        return values;
    }

    /** What the field offers once this partnership is chosen, as form-js evaluates its expression. */
    @SuppressWarnings("unchecked")
    private static List<String> offered(JsonNode field, String partnershipKey) {
        String expression = field.path("valuesExpression").asText();
        assertThat(expression).startsWith("=");
        Object options = FEEL.evaluateSimpleExpression(expression.substring(1),
                Variables.createVariables().putValue("partnershipKey", partnershipKey).asVariableContext());
        return options == null ? List.of()
                : ((List<Map<String, Object>>) options).stream().map(option -> (String) option.get("value")).toList();
    }
}
