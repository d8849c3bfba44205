package org.partneraccess.modelchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;

/** bpmnlint in the review: run by default where installed, its findings shown, and said so where it cannot run. */
class BpmnlintTest {

    private static final Path BPMNLINT = Path.of("node_modules", ".bin", "bpmnlint");

    @Test
    void notConfiguredItSaysItWasNotRun() {
        assertThat(new Bpmnlint(List.of()).verdict("<definitions/>"))
                .isEqualTo("  NOT RUN bpmnlint (" + Bpmnlint.PROPERTY + " is not set: lint the file in Modeler or with npm run lint:bpmn)");
    }

    @Test
    void aCommandThatCannotRunIsNotRunNotPassed() {
        assertThat(new Bpmnlint(List.of("no-such-bpmnlint-command")).verdict("<definitions/>")).startsWith("  NOT RUN bpmnlint (");
        assertThat(new Bpmnlint(List.of("no_modules/.bin/bpmnlint")).verdict("<definitions/>"))
                .as("the default where npm ci has not run").startsWith("  NOT RUN bpmnlint (")
                .contains("no_modules/.bin/bpmnlint is not installed: run npm ci");
    }

    @Test
    void theShippedModelPassesAndAnUnnamedTaskFails() throws IOException {
        // CI installs it before the build (.ci/run); there a missing bpmnlint fails instead of skipping
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            assertThat(BPMNLINT).as("bpmnlint installed by npm ci").isExecutable();
        }
        assumeTrue(Files.isExecutable(BPMNLINT), "bpmnlint is installed (npm ci)");
        // the default command, relative to the application's folder
        Bpmnlint lint = new Bpmnlint(List.of(BPMNLINT.toString()));
        String shipped;
        try (InputStream in = new ClassPathResource("bpmn/PartnershipProcess.bpmn").getInputStream()) {
            shipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String unnamed = shipped.replace("name=\"Notify sponsor and requester\" ", "");
        assertThat(unnamed).isNotEqualTo(shipped);

        assertThat(lint.verdict(shipped)).isEqualTo("  PASSED bpmnlint (bpmnlint:recommended)");
        assertThat(lint.verdict(unnamed)).startsWith("  FAILED bpmnlint (bpmnlint:recommended): "
                + "Task_NotifyPartnershipActive error Element is missing label/name label-required; ");
    }
}
