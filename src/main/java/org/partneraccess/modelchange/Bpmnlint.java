package org.partneraccess.modelchange;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * bpmnlint's verdict on one BPMN file, with the rules Camunda Modeler runs ({@code bpmnlint:recommended}), run by the
 * command the configuration names ({@code partner-access.model-change.bpmnlint}; by default the project's own
 * {@code node_modules/.bin/bpmnlint}, there after {@code npm ci}). Where it cannot run, the review says so and why:
 * Node is never a silent dependency of the application.
 */
final class Bpmnlint {

    static final String PROPERTY = "partner-access.model-change.bpmnlint";
    private static final long TIMEOUT_SECONDS = 30;
    private static final String RULES = "{\"extends\": \"bpmnlint:recommended\"}";

    private final List<String> command;

    Bpmnlint(List<String> command) {
        List<String> parts = command == null ? List.of() : command.stream().filter(part -> !part.isBlank()).toList();
        this.command = parts.isEmpty() ? parts : withAbsoluteProgram(parts);
    }

    /** A relative program path is the application's (it runs in a folder of its own). */
    private static List<String> withAbsoluteProgram(List<String> parts) {
        Path program = Path.of(parts.get(0));
        if (program.isAbsolute() || program.getNameCount() < 2) {
            return parts; // absolute, or a bare name found on the PATH
        }
        List<String> absolute = new ArrayList<>(parts);
        absolute.set(0, program.toAbsolutePath().normalize().toString());
        return List.copyOf(absolute);
    }

    /** One verdict line: PASSED, FAILED with bpmnlint's findings, or NOT RUN and why. */
    String verdict(String content) {
        if (command.isEmpty()) {
            return "  NOT RUN bpmnlint (" + PROPERTY + " is not set: lint the file in Modeler or with npm run lint:bpmn)";
        }
        Path program = Path.of(command.get(0));
        if (program.isAbsolute() && !Files.isExecutable(program)) {
            return "  NOT RUN bpmnlint (" + program + " is not installed: run npm ci beside the application, or set "
                    + PROPERTY + ")";
        }
        Path folder = null;
        try {
            // a folder of its own: the model's file name is ours, the rules are Modeler's, nothing else is read
            folder = Files.createTempDirectory("model-change-lint-");
            Files.writeString(folder.resolve(".bpmnlintrc"), RULES);
            Files.writeString(folder.resolve("model.bpmn"), content);
            List<String> run = new ArrayList<>(command);
            run.add("model.bpmn");
            Path report = folder.resolve("report.txt");
            ProcessBuilder builder = new ProcessBuilder(run).directory(folder.toFile()).redirectErrorStream(true)
                    .redirectOutput(report.toFile());
            builder.environment().put("FORCE_COLOR", "0");
            Process lint = builder.start();
            lint.getOutputStream().close();
            if (!lint.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                lint.destroyForcibly();
                return "  NOT RUN bpmnlint (no answer within " + TIMEOUT_SECONDS + " s)";
            }
            String output = Files.readString(report, StandardCharsets.UTF_8);
            List<String> findings = output.lines().map(line -> line.strip().replaceAll("\\s+", " "))
                    .filter(line -> !line.isEmpty() && !line.endsWith("model.bpmn")).toList();
            return "  " + (lint.exitValue() == 0 ? HouseChecks.PASSED : HouseChecks.FAILED) + " bpmnlint (bpmnlint:recommended)"
                    + (findings.isEmpty() ? "" : ": " + String.join("; ", findings));
        } catch (IOException e) {
            return "  NOT RUN bpmnlint (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "  NOT RUN bpmnlint (interrupted)";
        } finally {
            delete(folder);
        }
    }

    private static void delete(Path folder) {
        if (folder == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder left behind holds only the model, which the change keeps anyway
        }
    }
}
