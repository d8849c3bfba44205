package org.partneraccess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.junit.jupiter.api.Test;
import org.partneraccess.machine.MachineFixtures;
import org.partneraccess.partnership.internal.PartnershipRepository;
import org.partneraccess.policy.ShownVariables;
import org.partneraccess.security.FormFields;
import org.partneraccess.support.EngineDoors;
import org.partneraccess.support.ItFixtures;
import org.partneraccess.support.PartnerAccessTest;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Approvers see what they approve: a HIGH-risk partnership (payments.initiate, production, confidential data) and a
 * person joining it reach their approval tasks through the API, and the approver reads the task's form variables as
 * Tasklist does. Every field the form shows has a plain text value, and the values tell what is granted and why.
 */
@PartnerAccessTest
class ApprovalFormsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FormFields FORMS = FormFields.shipped();

    @Autowired
    ItFixtures fixtures;
    @Autowired
    TaskService tasks;
    @Autowired
    IdentityService identity;
    @Autowired
    PartnershipRepository partnerships;

    @Test
    void approversOfAHighRiskPartnershipAndOfAPersonJoiningItSeeWhatIsGrantedAndWhy() throws Exception {
        EngineDoors engine = fixtures.doors();
        String endDate = LocalDate.now().plusDays(60).toString();
        String key = fixtures.partnership("forms").with("clientScopes", List.of("payments.initiate"))
                .with("environments", List.of("production")).with("dataClasses", List.of("confidential"))
                .with("endDate", endDate).requested();
        String contact = ItFixtures.contactOf(key);

        for (String[] step : new String[][] {{ProcessIds.TASK_APPROVE_AS_SPONSOR, "SponsorApprovalForm", "sam.sponsor"},
                {ProcessIds.TASK_APPROVE_AS_SECURITY_OFFICER, "SecurityOfficerApprovalForm", "sofia.security"}}) {
            Map<String, String> shown = shownTo(engine, step[2], key, step[0], step[1]);
            assertThat(shown.get(ShownVariables.SHOWN_SCOPES)).isEqualTo("payments.initiate");
            assertThat(shown.get(ShownVariables.SHOWN_ENVIRONMENTS)).isEqualTo("production");
            assertThat(shown.get(ShownVariables.SHOWN_DATA_CLASSES)).isEqualTo("confidential");
            assertThat(shown.get(Variables.RISK_TIER)).isEqualTo("HIGH");
            assertThat(shown.get(ShownVariables.RISK_RULE)).as("the table row that fired")
                    .isEqualTo("Confidential data in production");
            assertThat(shown.get(Variables.END_DATE)).isEqualTo(endDate);
            assertThat(shown.get(ShownVariables.SHOWN_LIFESPAN)).contains("through " + endDate).contains("at most 90 days");
            assertThat(shown.get(ShownVariables.SHOWN_OWNERS)).contains("sponsor: sam.sponsor", "technical owner: ian.owner");
            assertThat(shown.get(ShownVariables.SHOWN_CONTACT)).contains("Ada Partner", contact);
            MachineFixtures.complete(tasks, identity, key, step[0], step[2],
                    step[2].equals("sam.sponsor") ? "sponsors" : "security-officers",
                    Map.of(step[0].equals(ProcessIds.TASK_APPROVE_AS_SPONSOR) ? Variables.SPONSOR_APPROVED
                            : Variables.SECURITY_OFFICER_APPROVED, true));
        }
        await().atMost(Duration.ofSeconds(60))
                .until(() -> partnerships.findById(key).orElseThrow().getState() == LifecycleState.ACTIVE);

        String email = "p-" + UUID.randomUUID().toString().substring(0, 8) + "@partner.example.org";
        String identityId = fixtures.requestPerson(key, email, "payments.initiate");

        Map<String, String> shown = shownTo(engine, "sam.sponsor", identityId, ProcessIds.TASK_APPROVE_AS_SPONSOR,
                "HumanAccessApprovalForm");
        assertThat(shown.get(ShownVariables.SHOWN_ROLES)).as("the roles as text, not a JSON list").isEqualTo("payments.initiate");
        assertThat(shown.get(ShownVariables.SHOWN_PARTNERSHIP)).contains("Acme Logistics GmbH", key, "HIGH");
        assertThat(shown.get(ShownVariables.SHOWN_ENVIRONMENTS)).isEqualTo("production");
        assertThat(shown.get(ShownVariables.SHOWN_DATA_CLASSES)).isEqualTo("confidential");
        assertThat(shown.get(Variables.RISK_TIER)).isEqualTo("HIGH");
        assertThat(shown.get(ShownVariables.RISK_RULE)).isEqualTo("Confidential data in production");
        assertThat(shown.get(ShownVariables.SHOWN_OWNERS)).contains("sponsor: sam.sponsor");
    }

    /**
     * What the approver's Tasklist gets for the task's form, by the form's keys: every shown field has a value of type
     * String (what a text field renders), not null, a list or JSON.
     */
    private Map<String, String> shownTo(EngineDoors engine, String approver, String businessKey, String taskKey,
                                        String formId) throws Exception {
        String taskId = await().atMost(Duration.ofSeconds(30)).until(() -> {
            var task = tasks.createTaskQuery().processInstanceBusinessKey(businessKey).taskDefinitionKey(taskKey)
                    .singleResult();
            return task == null ? null : task.getId();
        }, java.util.Objects::nonNull);
        HttpResponse<String> response = engine.call(EngineDoors.Via.ENGINE_REST, approver, "GET",
                "/task/" + taskId + "/form-variables", null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode variables = JSON.readTree(response.body());
        Map<String, String> shown = new java.util.LinkedHashMap<>();
        FORMS.of(formId).values().stream().filter(field -> !field.editable()).forEach(field -> {
            JsonNode variable = variables.path(field.key());
            assertThat(variable.path("type").asText()).as(formId + " shows " + field.key() + ": " + variable)
                    .isEqualTo("String");
            assertThat(variable.path("value").asText()).as(formId + " shows " + field.key()).isNotBlank();
            shown.put(field.key(), variable.path("value").asText());
        });
        return shown;
    }
}
