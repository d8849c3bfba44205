package org.partneraccess.modelchange;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;

/** What the reviewer of a model change reads: per element, added, removed and changed, rules as rows. */
class ModelDiffTest {

    private static final String POLICY = "PartnerAccessPolicy.dmn";

    @Test
    void anAddedRuleIsOneAdditionShownAsItsRow() throws IOException {
        String shipped = shipped();
        String added = shipped.replace("<rule id=\"Rule_LowPartnershipOrHuman\">", """
                <rule id="Rule_Added">
                        <inputEntry id="Rule_Added_In1"><text>"PARTNERSHIP"</text></inputEntry>
                        <outputEntry id="Rule_Added_Out1"><text>"HIGH"</text></outputEntry>
                      </rule>
                      <rule id="Rule_LowPartnershipOrHuman">""");

        List<String> lines = ModelDiff.of(POLICY, shipped, added);

        assertThat(lines.get(0)).isEqualTo(POLICY + ": 1 added, 0 removed, 0 changed");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).isEqualTo("  + rule Rule_Added: \"PARTNERSHIP\" -> \"HIGH\"");
    }

    @Test
    void aChangedOutputShowsTheRowOldAndNew() throws IOException {
        String shipped = shipped();
        int rule = shipped.indexOf("<rule id=\"Rule_LowPartnershipOrHuman\">");
        int output = shipped.indexOf("<outputEntry", rule);
        int text = shipped.indexOf("<text>", output) + "<text>".length();
        int end = shipped.indexOf("</text>", text);
        String changed = shipped.substring(0, text) + "\"MEDIUM\"" + shipped.substring(end);

        List<String> lines = ModelDiff.of(POLICY, shipped, changed);

        assertThat(lines.get(0)).isEqualTo(POLICY + ": 0 added, 0 removed, 1 changed");
        assertThat(lines.get(1)).startsWith("  ~ rule Rule_LowPartnershipOrHuman: ").contains("\"MEDIUM\"")
                .contains("\n      was rule Rule_LowPartnershipOrHuman: ");
    }

    @Test
    void layoutAloneIsNoChangeOfBehaviourAndANewFileIsNew() throws IOException {
        String process;
        try (InputStream in = new ClassPathResource("bpmn/ModelChangeReviewProcess.bpmn").getInputStream()) {
            process = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String moved = process.replace("<dc:Bounds x=\"240\" y=\"80\"", "<dc:Bounds x=\"260\" y=\"90\"");
        assertThat(moved).isNotEqualTo(process);

        assertThat(ModelDiff.of("ModelChangeReviewProcess.bpmn", process, moved))
                .containsExactly("ModelChangeReviewProcess.bpmn: unchanged in behaviour (layout or text only)");
        assertThat(ModelDiff.of("ModelChangeReviewProcess.bpmn", null, process).get(0))
                .matches("ModelChangeReviewProcess.bpmn: new, \\d+ elements");
        String renamed = process.replace("name=\"Review model change\"", "name=\"Approve model change\"");
        assertThat(ModelDiff.of("ModelChangeReviewProcess.bpmn", process, renamed)).hasSize(2)
                .element(1).asString().startsWith("  ~ userTask Task_ReviewModelChange");
    }

    private static String shipped() throws IOException {
        try (InputStream in = new ClassPathResource("bpmn/" + POLICY).getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
