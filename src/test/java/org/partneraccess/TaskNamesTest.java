package org.partneraccess;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.UserTask;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

class TaskNamesTest {

    @Test
    void theObjectIsWrittenInAfterItsWordWithTheRiskTierWhenTheTaskApprovesTheObjectItself() {
        assertThat(TaskNames.runtimeName("HumanAccessProcess", "Approve person (security officer)"))
                .hasValue("Approve person ${firstName} ${lastName} — ${riskTier} (security officer)");
        assertThat(TaskNames.runtimeName("MachineAccessProcess", "Approve elevation of machine"))
                .hasValue("Approve elevation of machine \"${workloadName}\"");
        assertThat(TaskNames.runtimeName("PartnershipProcess", "Review partnership after risk downgrade"))
                .hasValue("Review partnership ${legalName} after risk downgrade");
        assertThat(TaskNames.runtimeName("OwnerReassignmentProcess", "Reassign ownership"))
                .hasValue("Reassign ownership of ${departedUser}");
        // a relabelled task still names its object
        assertThat(TaskNames.runtimeName("PartnershipProcess", "Sponsor decision")).hasValue("Sponsor decision: ${legalName}");
    }

    @Test
    void aLabelStaysAsItIsWithoutANamedObjectOrWhenItIsAnExpressionAlready() {
        assertThat(TaskNames.runtimeName("DriftReviewProcess", "Review drift as owner")).isEmpty();
        assertThat(TaskNames.runtimeName("PartnershipProcess", "Approve ${legalName}")).isEmpty();
        assertThat(TaskNames.runtimeName("PartnershipProcess", null)).isEmpty();
    }

    @Test
    void theWorkIsNamedFromTheLabelsVerbAndObject() {
        assertThat(TaskNames.work("Approve partnership (security officer)")).isEqualTo("partnership approval");
        assertThat(TaskNames.work("Approve elevation of person")).isEqualTo("elevation approval");
        assertThat(TaskNames.work("Review drift as owner")).isEqualTo("drift review");
        assertThat(TaskNames.work("Review partnership after risk downgrade")).isEqualTo("partnership review");
        assertThat(TaskNames.work("Recertify person")).isEqualTo("person recertification");
        assertThat(TaskNames.work("Reassign ownership")).isEqualTo("ownership reassignment");
        assertThat(TaskNames.work("Check the weather")).isEqualTo("task");
        assertThat(TaskNames.work(null)).isEqualTo("task");
    }

    /** Every shipped label uses its object's word, so the object lands where a reader expects it. */
    @Test
    void everyShippedTaskLabelUsesItsObjectsWord() throws IOException {
        List<String> names = new ArrayList<>();
        for (Resource resource : new PathMatchingResourcePatternResolver().getResources("classpath*:bpmn/*.bpmn")) {
            BpmnModelInstance model;
            try (InputStream in = resource.getInputStream()) {
                model = Bpmn.readModelFromStream(in);
            }
            String key = model.getModelElementsByType(Process.class).iterator().next().getId();
            for (UserTask task : model.getModelElementsByType(UserTask.class)) {
                TaskNames.runtimeName(key, task.getName()).ifPresent(name -> {
                    assertThat(name).as("name of %s in %s", task.getId(), key).doesNotContain(": ");
                    names.add(name);
                });
            }
        }
        assertThat(names).hasSize(17);
    }
}
