package org.partneraccess.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.camunda.bpm.dmn.engine.DmnDecision;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.repository.DecisionDefinition;
import org.junit.jupiter.api.Test;
import org.partneraccess.ProcessIds;
import org.partneraccess.decision.Decisions;
import org.partneraccess.decision.Decisions.PolicyRecord;
import org.partneraccess.modelchange.ModelChangeProperties;
import org.partneraccess.modelchange.PolicyImpact;
import org.partneraccess.policy.AccessPolicy;
import org.partneraccess.policy.AccessPolicy.Trial;
import org.partneraccess.policy.PolicyDecision;
import org.partneraccess.policy.PolicyInput;
import org.partneraccess.policy.SubjectKind;
import org.partneraccess.support.ModelerDeployment;
import org.partneraccess.support.PartnerAccessTest;
import org.partneraccess.support.Tokens;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Issue 14's closing figure: what trying a changed access policy on the recorded policy decisions costs the process
 * owner's Deploy, at the configured limit of 10,000 decisions. Phases measured one by one (load, parse, replay,
 * compare and summary) beside the whole ({@link PolicyImpact#of}) and the Modeler deployment that runs it.
 */
@PartnerAccessTest
class PolicyImpactBenchmark {

    private static final String POLICY = ProcessIds.PARTNER_ACCESS_POLICY + ".dmn";
    private static final String CHANGED_BEFORE = "<rule id=\"Rule_LowMachine\">";
    /** The change tried: read-only workloads on internal data outside production become MEDIUM, with their owner. */
    private static final String CHANGED_RULE = """
            <rule id="Rule_InternalWorkloadReviewed">
                    <description>Workloads on internal data: their owner approves</description>
                    <inputEntry id="Rule_InternalWorkloadReviewed_In1"><text>"MACHINE"</text></inputEntry>
                    <inputEntry id="Rule_InternalWorkloadReviewed_In2"><text>"WORKLOAD"</text></inputEntry>
                    <inputEntry id="Rule_InternalWorkloadReviewed_In3"><text>"internal"</text></inputEntry>
                    <inputEntry id="Rule_InternalWorkloadReviewed_In4"><text>false</text></inputEntry>
                    <inputEntry id="Rule_InternalWorkloadReviewed_In5"><text>false</text></inputEntry>
                    <inputEntry id="Rule_InternalWorkloadReviewed_In6"><text></text></inputEntry>
                    <outputEntry id="Rule_InternalWorkloadReviewed_Out1"><text>"MEDIUM"</text></outputEntry>
                    <outputEntry id="Rule_InternalWorkloadReviewed_Out2"><text>false</text></outputEntry>
                    <outputEntry id="Rule_InternalWorkloadReviewed_Out3"><text>false</text></outputEntry>
                    <outputEntry id="Rule_InternalWorkloadReviewed_Out4"><text>true</text></outputEntry>
                    <outputEntry id="Rule_InternalWorkloadReviewed_Out5"><text>365</text></outputEntry>
                    <outputEntry id="Rule_InternalWorkloadReviewed_Out6"><text>180</text></outputEntry>
                    <outputEntry id="Rule_InternalWorkloadReviewed_Out7"><text>60</text></outputEntry>
                    <outputEntry id="Rule_InternalWorkloadReviewed_Out8"><text>30</text></outputEntry>
                    <outputEntry id="Rule_InternalWorkloadReviewed_Out9"><text>true</text></outputEntry>
                    <outputEntry id="Rule_InternalWorkloadReviewed_Out10"><text>false</text></outputEntry>
                  </rule>
                  """;

    @LocalServerPort
    int port;
    @Value("${partner-access.keycloak.url}")
    String keycloakUrl;
    @Autowired
    Decisions decisions;
    @Autowired
    AccessPolicy policy;
    @Autowired
    PolicyImpact impact;
    @Autowired
    ModelChangeProperties properties;
    @Autowired
    RepositoryService repository;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void replayTheRecordedDecisionsOnAChangedPolicy() throws Exception {
        int size = BenchmarkReport.size(80, properties.impactLimit(), properties.impactLimit());
        int warmUps = BenchmarkReport.size(1, 2, 2);
        int runs = BenchmarkReport.size(2, 10, 10);
        long seedStart = System.nanoTime();
        int distinct = seed(size);
        long seeded = (System.nanoTime() - seedStart) / 1_000_000;
        String live = livePolicy();
        assertThat(live).contains(CHANGED_BEFORE);
        String changed = live.replace(CHANGED_BEFORE, CHANGED_RULE + CHANGED_BEFORE);
        Map<String, String> proposed = Map.of(POLICY, changed);
        Map<String, String> liveFiles = Map.of(POLICY, live);

        Figures load = new Figures("load: newest decisions of the window, outcomes read (`Decisions.policyDecisions`)");
        Figures parse = new Figures("parse the proposed table (`AccessPolicy.parseProposed`)");
        Figures replay = new Figures("replay each input on it (`AccessPolicy.trial`)");
        Figures summary = new Figures("compare and summarise (`PolicyImpact.summary`)");
        Figures whole = new Figures("whole simulation (`PolicyImpact.of`, as the review uses it)");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocated = 0;
        int replayed = 0;
        List<String> lines = List.of();
        for (int run = 0; run < warmUps + runs; run++) {
            boolean measured = run >= warmUps;
            long start = System.nanoTime();
            List<PolicyRecord> recorded = decisions.policyDecisions(Instant.now().minus(properties.impactWindow()),
                    properties.impactLimit());
            long loaded = System.nanoTime();
            DmnDecision table = policy.parseProposed(changed).orElseThrow();
            long parsed = System.nanoTime();
            List<Trial> trials = policy.trial(table, recorded.stream().filter(PolicyRecord::replayable)
                    .map(PolicyRecord::input).toList());
            long tried = System.nanoTime();
            List<String> summarised = PolicyImpact.summary(POLICY, properties.impactWindow(), properties.impactLimit(),
                    recorded, trials);
            long done = System.nanoTime();
            long before = threads.getCurrentThreadAllocatedBytes();
            long wholeStart = System.nanoTime();
            lines = impact.of(proposed, liveFiles);
            long wholeTook = System.nanoTime() - wholeStart;
            long bytes = threads.getCurrentThreadAllocatedBytes() - before;
            // the same work: other tests of this JVM may record decisions in between, so only the shape is compared
            assertThat(lines.get(0)).startsWith("Policy impact of " + POLICY);
            assertThat(summarised.get(0)).startsWith("Policy impact of " + POLICY);
            if (measured) {
                load.recordNanos(loaded - start);
                parse.recordNanos(parsed - loaded);
                replay.recordNanos(tried - parsed);
                summary.recordNanos(done - tried);
                whole.recordNanos(wholeTook);
                allocated = Math.max(allocated, bytes);
                replayed = trials.size();
            }
        }
        assertThat(replayed).isGreaterThanOrEqualTo(size);
        assertThat(lines.get(0)).contains(" replayed: ");
        assertThat(lines).anyMatch(line -> line.contains(" machine registration") && line.contains(": risk LOW → MEDIUM"));

        // the process owner's view: Modeler's Deploy until the answer that a review holds the change
        Figures deploy = new Figures("Modeler's Deploy → `403`, review started (`/engine-rest/deployment/create`)");
        String processOwner = Tokens.staff(keycloakUrl, "paul.process");
        for (int run = 0; run < BenchmarkReport.size(1, 3, 3); run++) {
            String variant = changed.replace("Workloads on internal data: their owner approves",
                    "Workloads on internal data: their owner approves (" + run + ")");
            long start = System.nanoTime();
            HttpResponse<String> submitted = ModelerDeployment.send(http, port, processOwner,
                    Map.of("deployment-name", "PartnerAccessPolicy", "deployment-source", "Camunda Modeler"), POLICY, variant);
            deploy.recordNanos(System.nanoTime() - start);
            assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(403);
        }

        double perDecisionMicros = replay.millis(50) * 1000 / Math.max(1, replayed);
        double perDistinctMillis = replay.millis(50) / Math.min(distinct, Math.max(1, replayed));
        StringBuilder section = new StringBuilder("""
                ## 8. Policy impact of a model change: recorded decisions replayed on a changed policy

                A process owner's changed `PartnerAccessPolicy.dmn` is tried, before a security officer reviews it,
                on the policy decisions recorded in `partner-access.model-change.impact-window` (90 days), the newest
                `impact-limit` (10,000) at most: each recorded input is evaluated on the proposed table by the process
                engine's own DMN engine (not deployed) and compared with the recorded outputs. Here the history is
                %s decisions appended through `Decisions.recordPolicy` over every input the policy can be asked (%d:
                partnerships, people, each machine kind, by data class, write and production; requests and their
                elevations or scope changes in turn), each decided by the live table; seeding took %s s. The change
                adds one rule (read-only workloads on internal data: MEDIUM, their owner approves). The table
                decides on its inputs alone, so each distinct input is evaluated once per simulation. Phases are timed
                one after another in the same run, then the whole as the review runs it; %d warm-up runs, then %d
                measured. Memory: bytes allocated by the thread during one whole simulation (the largest run); nothing
                is kept after it. No target was set.

                """.formatted(String.format(Locale.ENGLISH, "%,d", size), distinct, String.format(Locale.ENGLISH, "%.1f",
                seeded / 1000.0), warmUps, runs));
        section.append(Figures.header()).append("\n");
        for (Figures figures : List.of(load, parse, replay, summary, whole, deploy)) {
            section.append(figures.row()).append("\n");
        }
        section.append("\n").append(String.format(Locale.ENGLISH, "%,d decisions replayed per run, %d distinct inputs "
                        + "evaluated; the replay takes %.1f µs per decision, %.1f ms per distinct input, at p50; one "
                        + "whole simulation allocates %.0f MiB. Host: %s.%n%n", replayed, Math.min(distinct, replayed),
                perDecisionMicros, perDistinctMillis, allocated / 1024.0 / 1024, BenchmarkReport.machine()));
        section.append("What the reviewer read (the first lines of the review's summary):\n\n```\n");
        lines.stream().limit(6).forEach(line -> section.append(line).append("\n"));
        section.append("```\n");
        BenchmarkReport.section("policy-impact", section.toString());
    }

    /**
     * Recorded decisions over every input the policy can be asked (96: each subject and machine kind, data class,
     * write and production flag), requests and their elevations or scope changes in turn, each decided by the live
     * table once per input.
     */
    private int seed(int size) {
        List<PolicyInput> inputs = new ArrayList<>();
        for (SubjectKind subject : SubjectKind.values()) {
            for (String machineKind : subject == SubjectKind.MACHINE ? List.of("SERVICE_ACCOUNT", "WORKLOAD", "AI_AGENT")
                    : Collections.<String>singletonList(null)) {
                for (String dataClass : PolicyInput.DATA_CLASS_ORDER) {
                    for (boolean write : new boolean[] {false, true}) {
                        for (boolean production : new boolean[] {false, true}) {
                            inputs.add(new PolicyInput(subject, machineKind, Set.of(dataClass), write, production));
                        }
                    }
                }
            }
        }
        Map<PolicyInput, PolicyDecision> decided = new HashMap<>();
        for (int i = 0; i < size; i++) {
            PolicyInput input = inputs.get(i % inputs.size());
            boolean request = (i / inputs.size()) % 2 == 0;
            String step = switch (input.subjectKind()) {
                case MACHINE -> request ? "MACHINE_POLICY_DECIDED" : "MACHINE_ELEVATION_POLICY_DECIDED";
                case HUMAN -> request ? "POLICY_DECIDED" : "ELEVATION_POLICY_DECIDED";
                case PARTNERSHIP -> request ? "POLICY_DECIDED" : "SCOPE_CHANGE_POLICY_DECIDED";
                case WORKLOAD_TRUST -> "WORKLOAD_TRUST_POLICY_DECIDED";
            };
            decisions.recordPolicy("bench-impact-" + UUID.randomUUID(), step, input.toVariables(),
                    decided.computeIfAbsent(input, policy::decide));
        }
        return inputs.size();
    }

    private String livePolicy() throws Exception {
        DecisionDefinition latest = repository.createDecisionDefinitionQuery()
                .decisionDefinitionKey(ProcessIds.PARTNER_ACCESS_POLICY).latestVersion().singleResult();
        try (InputStream in = repository.getResourceAsStream(latest.getDeploymentId(), latest.getResourceName())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
