package org.partneraccess.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.camunda.bpm.dmn.engine.DmnDecision;
import org.camunda.bpm.dmn.engine.DmnDecisionResult;
import org.camunda.bpm.dmn.engine.DmnEngine;
import org.camunda.bpm.dmn.engine.DmnEngineConfiguration;
import org.camunda.bpm.dmn.engine.delegate.DmnDecisionTableEvaluationListener;
import org.camunda.bpm.dmn.engine.impl.DefaultDmnEngineConfiguration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The access policy as the machine track reads it: for every row a machine can hit, which row decides, whether it is
 * provisioned without a person, who approves, the token lifespan, the rotation period, whether a secret is allowed and
 * whether its access tokens must be DPoP-bound (from HIGH up; below, a proof is offered, not required).
 */
class MachineAccessPolicyTest {

    private static final String RESOURCE = "bpmn/PartnerAccessPolicy.dmn";
    private static DmnEngine dmnEngine;
    private static DmnDecision decision;
    private static final List<String> matchedRules = new ArrayList<>();

    @BeforeAll
    static void parseDecision() throws IOException {
        DmnDecisionTableEvaluationListener recordMatches = event ->
                event.getMatchingRules().forEach(rule -> matchedRules.add(rule.getId()));
        dmnEngine = ((DefaultDmnEngineConfiguration) DmnEngineConfiguration.createDefaultDmnEngineConfiguration())
                .customPostDecisionTableEvaluationListeners(List.of(recordMatches))
                .buildEngine();
        try (InputStream dmn = MachineAccessPolicyTest.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            decision = dmnEngine.parseDecision(AccessPolicy.DECISION_KEY, dmn);
        }
    }

    /** rule, machine kind, highest data class, write, production; then what the machine track reads. */
    static Stream<Arguments> machineRows() {
        return Stream.of(
                // provisioned just in time: read-only service accounts and workloads on low-sensitivity data outside production
                row("Rule_LowMachine", "SERVICE_ACCOUNT", "internal", false, false, auto(60, 30)),
                row("Rule_LowMachine", "WORKLOAD", "public", false, false, auto(60, 30)),
                // the owner approves: write or decision-impacting, production, confidential, AI agents, unknown kinds
                row("Rule_LowMachineOfUnknownKind", "", "public", false, false, owner("LOW", 365, 60, 30, true)),
                row("Rule_Write", "SERVICE_ACCOUNT", "internal", true, false, owner("MEDIUM", 180, 45, 14, true)),
                row("Rule_Production", "WORKLOAD", "public", false, true, owner("MEDIUM", 180, 45, 14, true)),
                row("Rule_Confidential", "WORKLOAD", "confidential", false, false, owner("MEDIUM", 180, 45, 14, true)),
                row("Rule_AiAgent", "AI_AGENT", "public", false, false, owner("MEDIUM", 180, 45, 14, true)),
                // and a security officer too, with short tokens, weekly or daily rotation, and no client secret
                row("Rule_WriteProduction", "WORKLOAD", "internal", true, true, officer("HIGH", 90, 30, 7)),
                row("Rule_ConfidentialProduction", "SERVICE_ACCOUNT", "confidential", false, true, officer("HIGH", 90, 30, 7)),
                row("Rule_Regulated", "WORKLOAD", "regulated", false, false, officer("HIGH", 90, 30, 7)),
                row("Rule_AiAgentWrite", "AI_AGENT", "internal", true, false, officer("CRITICAL", 30, 30, 1)),
                row("Rule_RegulatedProduction", "SERVICE_ACCOUNT", "regulated", false, true, officer("CRITICAL", 30, 30, 1)),
                row("Rule_RegulatedWrite", "WORKLOAD", "regulated", true, false, officer("CRITICAL", 30, 30, 1)),
                // a data class the table does not know fails closed
                row("Rule_Unrecognised", "WORKLOAD", "secret", false, false, officer("CRITICAL", 30, 30, 1)));
    }

    @ParameterizedTest(name = "{0}: {1} {2} write={3} production={4}")
    @MethodSource("machineRows")
    void decidesAutoApprovalApproversLifespanAndRotation(String rule, String machineKind, String dataClass,
                                                         boolean write, boolean production, PolicyDecision expected) {
        matchedRules.clear();
        DmnDecisionResult result = dmnEngine.evaluateDecision(decision, Map.of("subjectKind", "MACHINE",
                "machineKind", machineKind, "highestDataClass", dataClass, "writeScopes", write, "production", production));

        assertThat(matchedRules).containsExactly(rule);
        assertThat(PolicyDecision.of(result.getSingleResult().getEntryMap())).isEqualTo(expected);
    }

    private static Arguments row(String rule, String machineKind, String dataClass, boolean write, boolean production,
                                 PolicyDecision expected) {
        return Arguments.of(rule, machineKind, dataClass, write, production, expected);
    }

    private static PolicyDecision auto(int lifespan, int rotationDays) {
        return new PolicyDecision("LOW", true, false, false, 365, 180, lifespan, rotationDays, true);
    }

    private static PolicyDecision owner(String tier, int days, int lifespan, int rotationDays, boolean secretAllowed) {
        int review = "LOW".equals(tier) ? 180 : 90;
        return new PolicyDecision(tier, false, false, true, days, review, lifespan, rotationDays, secretAllowed);
    }

    private static PolicyDecision officer(String tier, int days, int lifespan, int rotationDays) {
        // from HIGH up the machine's tokens must be bound to a key it holds (DPoP)
        return new PolicyDecision(tier, false, true, true, days, "HIGH".equals(tier) ? 30 : 14, lifespan, rotationDays,
                false, true);
    }
}
