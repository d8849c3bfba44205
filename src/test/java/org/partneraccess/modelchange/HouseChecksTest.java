package org.partneraccess.modelchange;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.partneraccess.ProcessIds;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/** The house rules a changed process must keep, each broken once by a model that would otherwise deploy. */
class HouseChecksTest {

    private static final String MACHINE = "MachineAccessProcess.bpmn";
    private static final String PARTNERSHIP = "PartnershipProcess.bpmn";
    private static final Bpmnlint NOT_CONFIGURED = new Bpmnlint(List.of());
    private static final String PROVISION = "<bpmn:serviceTask id=\"Task_ProvisionMachineClient\"";

    @Test
    void theShippedModelsKeepEveryHouseRule() throws IOException {
        Resource[] models = new PathMatchingResourcePatternResolver().getResources("classpath*:bpmn/*.bpmn");
        assertThat(models).hasSizeGreaterThanOrEqualTo(6);
        for (Resource model : models) {
            String content = read(model);
            List<String> lines = HouseChecks.of(Map.of(model.getFilename(), content), Map.of(model.getFilename(), content), NOT_CONFIGURED);

            assertThat(lines).as(model.getFilename()).hasSize(6).noneMatch(line -> line.startsWith("  " + HouseChecks.FAILED));
        }
    }

    @Test
    void everyUserTaskDeclaringItsSegregationRuleIsReportedAsPassedSinceTheDeploymentChecksRefuseTheRest()
            throws IOException {
        String model = shipped(PARTNERSHIP);

        assertThat(changed(PARTNERSHIP, model, model)).contains(
                "  PASSED every user task (6) declares its segregation rule (a task without one is refused before review)");
    }

    @Test
    void aUserTaskWithAFormThatIsNotShippedFails() throws IOException {
        String shipped = shipped(PARTNERSHIP);
        String changed = shipped.replace("camunda:formRef=\"SponsorApprovalForm\"", "camunda:formRef=\"NewApprovalForm\"");

        assertThat(changed(PARTNERSHIP, shipped, changed)).contains("  FAILED every user task uses a shipped form: "
                + "Task_ApproveAsSponsor uses form NewApprovalForm, which is not shipped (its fields could not be submitted)");
    }

    @Test
    void aKeycloakCallWithoutAsyncBeforeFails() throws IOException {
        String shipped = shipped(MACHINE);
        String changed = shipped.replace(PROVISION + " name=\"Provision machine client in Keycloak\" camunda:asyncBefore=\"true\"",
                PROVISION + " name=\"Provision machine client in Keycloak\"");
        assertThat(changed).isNotEqualTo(shipped);

        assertThat(changed(MACHINE, shipped, changed)).contains("  FAILED every Keycloak or mail call is a save point "
                + "(asyncBefore with a retry cycle): Task_ProvisionMachineClient calls provisionMachineClientDelegate "
                + "without asyncBefore and a retry cycle");
    }

    @Test
    void aKeycloakCallWithoutARetryCycleFails() throws IOException {
        String shipped = shipped(MACHINE);
        int task = shipped.indexOf(PROVISION);
        String cycle = "<camunda:failedJobRetryTimeCycle>R5/PT10S</camunda:failedJobRetryTimeCycle>";
        int at = shipped.indexOf(cycle, task);
        String changed = shipped.substring(0, at) + shipped.substring(at + cycle.length());

        assertThat(String.join("\n", changed(MACHINE, shipped, changed)))
                .contains("FAILED every Keycloak or mail call is a save point")
                .contains("Task_ProvisionMachineClient calls provisionMachineClientDelegate without asyncBefore");
    }

    @Test
    void aMailSentFromAListenerFails() throws IOException {
        String shipped = shipped(MACHINE);
        int task = shipped.indexOf(PROVISION);
        int at = shipped.indexOf("<bpmn:extensionElements>", task) + "<bpmn:extensionElements>".length();
        String changed = shipped.substring(0, at)
                + "<camunda:executionListener delegateExpression=\"${notifyMachineActiveDelegate}\" event=\"end\" />"
                + shipped.substring(at);

        assertThat(String.join("\n", changed(MACHINE, shipped, changed))).contains("FAILED every Keycloak or mail call "
                + "is a save point (asyncBefore with a retry cycle): Task_ProvisionMachineClient calls "
                + "notifyMachineActiveDelegate from a listener, which is never a save point");
    }

    @Test
    void aContractMessageTheLiveVersionCatchesMustStillBeCaught() throws IOException {
        String shipped = shipped(PARTNERSHIP);
        String changed = shipped.replace("name=\"PartnerIncidentReported\"", "name=\"PartnerIncidentSeen\"");

        List<String> lines = changed(PARTNERSHIP, shipped, changed);

        assertThat(lines).anyMatch(line -> line.startsWith("  FAILED every contract message the live version catches "
                + "is still caught ") && line.endsWith(": PartnerIncidentReported is no longer caught"));
        assertThat(lines.get(0)).isEqualTo("House checks of " + PARTNERSHIP + " (on FAILED, you decide):");
        assertThat(lines.get(5)).as("said, not hidden").startsWith("  NOT RUN bpmnlint (" + Bpmnlint.PROPERTY + " is not set");
    }

    @Test
    void aNewProcessHasNoContractMessageToKeepAndADecisionHasNoHouseChecks() throws IOException {
        String model = shipped(PARTNERSHIP);

        assertThat(HouseChecks.of(Map.of(PARTNERSHIP, model, "PartnerAccessPolicy.dmn", shipped("PartnerAccessPolicy.dmn")),
                Map.of(), NOT_CONFIGURED)).hasSize(6).contains("  PASSED every contract message the live version catches is still caught "
                + "(none: no live version)");
    }

    @Test
    void theContractMessagesAreEveryMessageTheApplicationNames() throws IllegalAccessException {
        List<Object> named = new java.util.ArrayList<>();
        for (Field field : ProcessIds.class.getFields()) {
            if (field.getName().startsWith("MESSAGE_") && Modifier.isStatic(field.getModifiers())) {
                named.add(field.get(null));
            }
        }
        assertThat(named).containsExactlyInAnyOrderElementsOf(ProcessIds.MESSAGES);
    }

    private static List<String> changed(String name, String live, String changed) {
        return HouseChecks.of(Map.of(name, changed), Map.of(name, live), NOT_CONFIGURED);
    }

    private static String shipped(String name) throws IOException {
        return read(new ClassPathResource("bpmn/" + name));
    }

    private static String read(Resource resource) throws IOException {
        try (InputStream in = resource.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
