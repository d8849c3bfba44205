package org.partneraccess.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.camunda.bpm.dmn.engine.DmnDecision;
import org.camunda.bpm.dmn.engine.DmnDecisionResult;
import org.camunda.bpm.dmn.engine.DmnEngine;
import org.camunda.bpm.dmn.engine.DmnEngineConfiguration;
import org.camunda.bpm.dmn.engine.delegate.DmnDecisionTableEvaluationListener;
import org.camunda.bpm.dmn.engine.impl.DefaultDmnEngineConfiguration;
import org.camunda.bpm.dmn.engine.impl.DmnDecisionTableImpl;
import org.camunda.bpm.dmn.engine.impl.DmnDecisionTableOutputImpl;
import org.camunda.bpm.dmn.engine.impl.DmnDecisionTableRuleImpl;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.repository.DecisionDefinition;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.partneraccess.support.ProcessUnitTests;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The policy table as shipped: every tier, every input combination, and the service over the real engine. */
class PartnerAccessPolicyTest {

    private static final String RESOURCE = "bpmn/PartnerAccessPolicy.dmn";
    private static final String CATCH_ALL_RULE = "Rule_Unrecognised";

    private static final List<String> TIERS = List.of("LOW", "MEDIUM", "HIGH", "CRITICAL");
    private static final List<String> SUBJECT_KINDS = List.of("PARTNERSHIP", "HUMAN", "MACHINE", "WORKLOAD_TRUST");
    private static final List<String> MACHINE_KINDS = List.of("", "SERVICE_ACCOUNT", "WORKLOAD", "AI_AGENT");
    private static final List<String> DATA_CLASSES = PolicyInput.DATA_CLASS_ORDER;
    private static final List<Boolean> BOOLEANS = List.of(false, true);

    @RegisterExtension
    static ProcessEngineExtension engineExtension = ProcessUnitTests.engine();

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
        try (InputStream dmn = resource()) {
            decision = dmnEngine.parseDecision(AccessPolicy.DECISION_KEY, dmn);
        }
    }

    // --- one test per tier ---

    @Test
    void readOnlyServiceAccountOrWorkloadOnInternalDataOutsideProductionIsLowAndAutoApproved() {
        for (String machineKind : List.of("SERVICE_ACCOUNT", "WORKLOAD")) {
            for (String dataClass : List.of("public", "internal")) {
                PolicyDecision result = evaluate("MACHINE", machineKind, dataClass, false, false);
                assertThat(result).isEqualTo(new PolicyDecision("LOW", true, false, false, 365, 180, 60, 30, true));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = SubjectKind.class, names = {"PARTNERSHIP", "HUMAN"})
    void lowRiskPartnershipsAndPeopleAreNeverAutoApproved(SubjectKind subjectKind) {
        PolicyDecision result = evaluate(subjectKind.name(), "", "internal", false, false);

        // the sponsor approves; no identity owner is involved for people and partnerships
        assertThat(result).isEqualTo(new PolicyDecision("LOW", false, false, false, 365, 180, 60, 30, true));
    }

    @Test
    void aMachineOfMissingKindIsNeverAutoApproved() {
        assertThat(evaluate("MACHINE", "", "public", false, false))
                .isEqualTo(new PolicyDecision("LOW", false, false, true, 365, 180, 60, 30, true));
    }

    @Test
    void confidentialReadOnlyOutsideProductionIsMedium() {
        assertThat(evaluate("HUMAN", "", "confidential", false, false))
                .isEqualTo(new PolicyDecision("MEDIUM", false, false, false, 180, 90, 45, 14, true));
        assertThat(evaluate("MACHINE", "WORKLOAD", "confidential", false, false))
                .isEqualTo(new PolicyDecision("MEDIUM", false, false, true, 180, 90, 45, 14, true));
    }

    @Test
    void writeOrProductionAloneIsMedium() {
        assertThat(evaluate("MACHINE", "SERVICE_ACCOUNT", "internal", true, false).riskTier()).isEqualTo("MEDIUM");
        assertThat(evaluate("MACHINE", "SERVICE_ACCOUNT", "internal", false, true).riskTier()).isEqualTo("MEDIUM");
        assertThat(evaluate("PARTNERSHIP", "", "public", false, true).riskTier()).isEqualTo("MEDIUM");
    }

    @Test
    void confidentialInProductionOrWriteInProductionIsHigh() {
        assertThat(evaluate("MACHINE", "WORKLOAD", "confidential", false, true))
                .isEqualTo(new PolicyDecision("HIGH", false, true, true, 90, 30, 30, 7, false, true));
        assertThat(evaluate("HUMAN", "", "internal", true, true))
                .isEqualTo(new PolicyDecision("HIGH", false, true, false, 90, 30, 30, 7, false));
    }

    @Test
    void regulatedReadOnlyOutsideProductionIsHigh() {
        assertThat(evaluate("PARTNERSHIP", "", "regulated", false, false))
                .isEqualTo(new PolicyDecision("HIGH", false, true, false, 90, 30, 30, 7, false));
    }

    @Test
    void regulatedWithWriteIsCriticalWithSignedJwtOnlyAndThirtySecondTokens() {
        PolicyDecision result = evaluate("MACHINE", "SERVICE_ACCOUNT", "regulated", true, false);

        assertThat(result).isEqualTo(new PolicyDecision("CRITICAL", false, true, true, 30, 14, 30, 1, false, true));
        assertThat(result.clientSecretAllowed()).isFalse();
        assertThat(result.maxTokenLifespanSeconds()).isEqualTo(30);
    }

    @Test
    void regulatedInProductionIsCritical() {
        assertThat(evaluate("HUMAN", "", "regulated", false, true).riskTier()).isEqualTo("CRITICAL");
    }

    // --- AI agents ---

    @Test
    void anAiAgentIsNeverAutoApprovedAndAlwaysNeedsItsOwner() {
        forEveryCombination((subject, machine, dataClass, write, production, trust) -> {
            if (!"MACHINE".equals(subject) || !"AI_AGENT".equals(machine)) {
                return;
            }
            PolicyDecision result = evaluate(subject, machine, dataClass, write, production, trust);
            assertThat(result.autoApprove()).as("auto-approve %s", result).isFalse();
            assertThat(result.ownerApproval()).as("owner approval %s", result).isTrue();
            assertThat(tier(result)).isGreaterThanOrEqualTo(TIERS.indexOf("MEDIUM"));
        });
        assertThat(evaluate("MACHINE", "AI_AGENT", "public", false, false))
                .isEqualTo(new PolicyDecision("MEDIUM", false, false, true, 180, 90, 45, 14, true));
    }

    @Test
    void anAiAgentWithWriteScopesIsCritical() {
        assertThat(evaluate("MACHINE", "AI_AGENT", "public", true, false))
                .isEqualTo(new PolicyDecision("CRITICAL", false, true, true, 30, 14, 30, 1, false, true));
    }

    @Test
    void aWorkloadTrustIsHighApprovedByASecurityOfficerAndGrantsNoSecret() {
        for (String dataClass : DATA_CLASSES) {
            matchedRules.clear();
            assertThat(evaluate("WORKLOAD_TRUST", "", dataClass, false, false))
                    .isEqualTo(new PolicyDecision("HIGH", false, true, false, 90, 30, 30, 7, false, false));
            assertThat(matchedRules).containsExactly("Rule_WorkloadTrust");
        }
    }

    @Test
    void aPartnershipWithAnApprovedWorkloadTrustGetsNoSecretForItsMachinesAndOtherwiseTheSameDecision() {
        PolicyDecision without = evaluate("MACHINE", "WORKLOAD", "internal", false, false, false);
        PolicyDecision with = evaluate("MACHINE", "WORKLOAD", "internal", false, false, true);

        assertThat(without.clientSecretAllowed()).isTrue();
        assertThat(with.clientSecretAllowed()).isFalse();
        assertThat(new PolicyDecision(with.riskTier(), with.autoApprove(), with.securityOfficerApproval(),
                with.ownerApproval(), with.maxAccessDays(), with.reviewCadenceDays(), with.maxTokenLifespanSeconds(),
                with.rotationDays(), true, with.dpopRequired())).isEqualTo(without);
    }

    // --- the whole input space ---

    @Test
    void everyCombinationYieldsExactlyOneCompleteResultConsistentWithItsTier() {
        List<String> outputNames = outputNames();
        int[] combinations = {0};
        forEveryCombination((subject, machine, dataClass, write, production, trust) -> {
            combinations[0]++;
            matchedRules.clear();
            DmnDecisionResult raw = dmnEngine.evaluateDecision(decision,
                    variables(subject, machine, dataClass, write, production, trust));
            String label = String.join("/", subject, machine, dataClass, "write=" + write, "production=" + production,
                    "workloadTrust=" + trust);

            assertThat(raw).as(label).hasSize(1);
            assertThat(matchedRules).as(label).hasSize(1).doesNotContain(CATCH_ALL_RULE);
            Map<String, Object> entries = raw.getSingleResult().getEntryMap();
            assertThat(entries.keySet()).as(label).containsExactlyInAnyOrderElementsOf(outputNames);
            assertThat(entries.values()).as(label).doesNotContainNull();

            PolicyDecision result = PolicyDecision.of(entries);
            assertConsistentWithTier(result, trust, label);
            if ("WORKLOAD_TRUST".equals(subject)) {
                // the trust grants nothing itself; a security officer approves it whatever the partnership holds
                assertThat(matchedRules).as(label).containsExactly("Rule_WorkloadTrust");
                assertThat(result.securityOfficerApproval()).as(label).isTrue();
            }
            if (result.autoApprove()) {
                assertThat(subject).as(label).isEqualTo("MACHINE");
                assertThat(machine).as(label).isIn("SERVICE_ACCOUNT", "WORKLOAD");
                assertThat(dataClass).as(label).isIn("public", "internal");
                assertThat(write || production).as(label).isFalse();
            }
            // a machine's tokens are bound to its key from HIGH up; below, a proof is only offered
            assertThat(result.dpopRequired()).as(label)
                    .isEqualTo("MACHINE".equals(subject) && tier(result) >= TIERS.indexOf("HIGH"));
            if ("MACHINE".equals(subject)) {
                assertThat(result.ownerApproval()).as(label).isEqualTo(!result.autoApprove());
            } else if (machine.isEmpty()) {
                assertThat(result.ownerApproval()).as(label).isFalse();
            }
        });
        assertThat(combinations[0]).isEqualTo(4 * 4 * 4 * 2 * 2 * 2);
    }

    @Test
    void everyRowButTheCatchAllIsReachedByAValidInput() {
        Set<String> reached = new HashSet<>();
        forEveryCombination((subject, machine, dataClass, write, production, trust) -> {
            matchedRules.clear();
            dmnEngine.evaluateDecision(decision, variables(subject, machine, dataClass, write, production, trust));
            reached.addAll(matchedRules);
        });

        Set<String> rows = ((DmnDecisionTableImpl) decision.getDecisionLogic()).getRules().stream()
                .map(DmnDecisionTableRuleImpl::getId).collect(Collectors.toCollection(LinkedHashSet::new));
        rows.remove(CATCH_ALL_RULE);
        assertThat(reached).containsExactlyInAnyOrderElementsOf(rows);
    }

    @Test
    void unrecognisedOrMissingInputFailsClosed() {
        Map<String, Object> misspelt = variables("ROBOT", "", "public", false, false);
        Map<String, Object> unknownClass = variables("HUMAN", "", "secret", false, false);
        Map<String, Object> missingFlags = variables("MACHINE", "WORKLOAD", "internal", false, false);
        missingFlags.put("writeScopes", null);
        missingFlags.put("production", null);

        for (Map<String, Object> input : List.of(misspelt, unknownClass, missingFlags)) {
            matchedRules.clear();
            PolicyDecision result = PolicyDecision.of(dmnEngine.evaluateDecision(decision, input).getSingleResult().getEntryMap());
            assertThat(matchedRules).as("%s", input).containsExactly(CATCH_ALL_RULE);
            assertThat(result).as("%s", input)
                    .isEqualTo(new PolicyDecision("CRITICAL", false, true, true, 30, 14, 30, 1, false, true));
        }
    }

    @Test
    void moreDataProductionWriteOrAWorkloadTrustNeverLowersTheTierNorLoosensALimit() {
        forEveryCombination((subject, machine, dataClass, write, production, trust) -> {
            PolicyDecision base = evaluate(subject, machine, dataClass, write, production, trust);
            List<PolicyDecision> stricter = new ArrayList<>();
            int next = DATA_CLASSES.indexOf(dataClass) + 1;
            if (next < DATA_CLASSES.size()) {
                stricter.add(evaluate(subject, machine, DATA_CLASSES.get(next), write, production, trust));
            }
            if (!write) {
                stricter.add(evaluate(subject, machine, dataClass, true, production, trust));
            }
            if (!production) {
                stricter.add(evaluate(subject, machine, dataClass, write, true, trust));
            }
            if (!trust) {
                // a way without a secret becomes available: never a looser limit, only no secret
                stricter.add(evaluate(subject, machine, dataClass, write, production, true));
            }
            for (PolicyDecision more : stricter) {
                String label = base + " -> " + more;
                assertThat(tier(more)).as(label).isGreaterThanOrEqualTo(tier(base));
                assertThat(more.maxAccessDays()).as(label).isLessThanOrEqualTo(base.maxAccessDays());
                assertThat(more.maxTokenLifespanSeconds()).as(label).isLessThanOrEqualTo(base.maxTokenLifespanSeconds());
                assertThat(more.rotationDays()).as(label).isLessThanOrEqualTo(base.rotationDays());
                assertThat(more.autoApprove() && !base.autoApprove()).as(label).isFalse();
                assertThat(more.clientSecretAllowed() && !base.clientSecretAllowed()).as(label).isFalse();
                assertThat(base.dpopRequired() && !more.dpopRequired()).as(label).isFalse();
                assertThat(!more.securityOfficerApproval() && base.securityOfficerApproval()).as(label).isFalse();
            }
        });
    }

    // --- the Java side ---

    @Test
    void policyInputSendsTheHighestDataClassAndAnEmptyMachineKindForPeople() {
        PolicyInput human = new PolicyInput(SubjectKind.HUMAN, null, Set.of("internal", "confidential", "public"), true, false);
        assertThat(human.toVariables()).isEqualTo(Map.of(
                "subjectKind", "HUMAN", "machineKind", "", "highestDataClass", "confidential",
                "writeScopes", true, "production", false, "workloadTrust", false));
        assertThat(new PolicyInput(SubjectKind.MACHINE, "WORKLOAD", Set.of("internal"), false, false, true)
                .toVariables()).containsEntry("workloadTrust", true);

        assertThat(new PolicyInput(SubjectKind.MACHINE, "AI_AGENT", Set.of("regulated", "public"), false, true)
                .toVariables())
                .containsEntry("machineKind", "AI_AGENT")
                .containsEntry("highestDataClass", "regulated")
                .containsEntry("production", true);
        assertThat(new PolicyInput(SubjectKind.PARTNERSHIP, null, Set.of(), false, false).toVariables())
                .containsEntry("highestDataClass", "public");
        assertThat(new PolicyInput(SubjectKind.PARTNERSHIP, null, null, false, false).highestDataClass())
                .isEqualTo("public");
        assertThat(new PolicyInput(SubjectKind.MACHINE, "WORKLOAD", Set.of(" Internal "), false, false)
                .highestDataClass()).isEqualTo("internal");
    }

    @Test
    void policyInputRejectsWhatThePolicyCouldMisread() {
        assertThatThrownBy(() -> new PolicyInput(SubjectKind.MACHINE, "WORKLOAD", Set.of("secret"), false, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("secret");
        assertThatThrownBy(() -> new PolicyInput(SubjectKind.MACHINE, "AI-AGENT", Set.of("public"), false, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AI-AGENT");
        assertThatThrownBy(() -> new PolicyInput(SubjectKind.HUMAN, "AI_AGENT", Set.of("public"), false, false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PolicyInput(null, null, Set.of("public"), false, false))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void policyDecisionReadsIntegersOrLongsAndWritesTheDecisionOutputNames() {
        Map<String, Object> fromLongs = new HashMap<>(Map.of(
                "riskTier", "HIGH", "autoApprove", false, "securityOfficerApproval", true, "ownerApproval", true,
                "maxAccessDays", 90L, "reviewCadenceDays", 30L, "maxTokenLifespanSeconds", 30L, "rotationDays", 7L,
                "clientSecretAllowed", false, "dpopRequired", true));
        PolicyDecision decided = PolicyDecision.of(fromLongs);

        assertThat(decided).isEqualTo(new PolicyDecision("HIGH", false, true, true, 90, 30, 30, 7, false, true));
        assertThat(decided.toVariables().keySet()).containsExactlyElementsOf(outputNames());
        assertThat(PolicyDecision.of(decided.toVariables())).isEqualTo(decided);

        fromLongs.remove("rotationDays");
        assertThatThrownBy(() -> PolicyDecision.of(fromLongs))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("rotationDays");
    }

    @Test
    void aDecisionWithoutTheDpopOutputFailsUnlessItReplaysATableFromBeforeIt() {
        Map<String, Object> olderTable = new HashMap<>(new PolicyDecision("HIGH", false, true, true, 90, 30, 30, 7,
                false, true).toVariables());
        olderTable.remove("dpopRequired");

        assertThatThrownBy(() -> PolicyDecision.of(olderTable))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("dpopRequired");
        PolicyDecision replayed = PolicyDecision.ofVersion(olderTable, "PartnerAccessPolicy:1:old");
        assertThat(replayed.dpopRequired()).isNull();
        // compared with what was recorded then, which had no such output either
        assertThat(replayed.toVariables()).isEqualTo(olderTable);
    }

    // --- the service over the real engine ---

    @Test
    @Deployment(resources = RESOURCE)
    void theEngineDeploysTheDecisionAndTheServiceEvaluatesIt(ProcessEngine engine) {
        DecisionDefinition definition = engine.getRepositoryService().createDecisionDefinitionQuery()
                .decisionDefinitionKey(AccessPolicy.DECISION_KEY).singleResult();
        assertThat(definition.getName()).isEqualTo("Partner access policy");
        assertThat(definition.getHistoryTimeToLive()).isEqualTo(400);

        AccessPolicy policy = new AccessPolicy(engine.getDecisionService(), engine);

        assertThat(policy.decide(new PolicyInput(SubjectKind.MACHINE, "WORKLOAD", Set.of("internal"), false, false)))
                .isEqualTo(new PolicyDecision("LOW", true, false, false, 365, 180, 60, 30, true, false, definition.getId()));
        assertThat(policy.decide(new PolicyInput(SubjectKind.HUMAN, null, Set.of("public", "regulated"), true, false)))
                .isEqualTo(new PolicyDecision("CRITICAL", false, true, false, 30, 14, 30, 1, false, false, definition.getId()));
    }

    @Test
    void everyRowSaysWhyInWordsForTheApprovalForms() throws IOException {
        try (InputStream dmn = resource()) {
            assertThat(org.camunda.bpm.model.dmn.Dmn.readModelFromStream(dmn)
                    .getModelElementsByType(org.camunda.bpm.model.dmn.instance.Rule.class))
                    .isNotEmpty()
                    .allSatisfy(rule -> assertThat(rule.getDescription()).as(rule.getId()).isNotNull()
                            .satisfies(description -> assertThat(description.getTextContent()).isNotBlank()));
        }
    }

    @Test
    @Deployment(resources = RESOURCE)
    void theServiceFollowsTheLatestDeployedVersionAndReplaysAnEarlierOne(ProcessEngine engine) throws IOException {
        AccessPolicy policy = new AccessPolicy(engine.getDecisionService(), engine);
        PolicyInput input = new PolicyInput(SubjectKind.PARTNERSHIP, null, Set.of("public"), false, false);
        PolicyDecision before = policy.decide(input);
        assertThat(before.maxAccessDays()).isEqualTo(365);

        String shorterLow;
        try (InputStream dmn = resource()) {
            shorterLow = new String(dmn.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("<text>365</text>", "<text>200</text>");
        }
        String redeployment = engine.getRepositoryService().createDeployment()
                .addString("PartnerAccessPolicy.dmn", shorterLow).deploy().getId();
        try {
            PolicyDecision after = policy.decide(input);
            assertThat(after.maxAccessDays()).isEqualTo(200);
            assertThat(after.definitionId()).isNotEqualTo(before.definitionId());
            // the earlier decision, replayed on its own version of the table, comes out as recorded
            assertThat(policy.replay(before.definitionId(), input.toVariables())).isEqualTo(before);
        } finally {
            engine.getRepositoryService().deleteDeployment(redeployment, true);
        }
    }

    // --- helpers ---

    private interface Combination {
        void accept(String subject, String machine, String dataClass, boolean write, boolean production,
                    boolean workloadTrust);
    }

    private static void forEveryCombination(Combination combination) {
        for (String subject : SUBJECT_KINDS) {
            for (String machine : MACHINE_KINDS) {
                for (String dataClass : DATA_CLASSES) {
                    for (boolean write : BOOLEANS) {
                        for (boolean production : BOOLEANS) {
                            for (boolean trust : BOOLEANS) {
                                combination.accept(subject, machine, dataClass, write, production, trust);
                            }
                        }
                    }
                }
            }
        }
    }

    private static Map<String, Object> variables(String subject, String machine, String dataClass,
                                                 boolean write, boolean production) {
        return variables(subject, machine, dataClass, write, production, false);
    }

    private static Map<String, Object> variables(String subject, String machine, String dataClass,
                                                 boolean write, boolean production, boolean workloadTrust) {
        Map<String, Object> variables = new HashMap<>();
        variables.put("workloadTrust", workloadTrust);
        variables.put("subjectKind", subject);
        variables.put("machineKind", machine);
        variables.put("highestDataClass", dataClass);
        variables.put("writeScopes", write);
        variables.put("production", production);
        return variables;
    }

    private static PolicyDecision evaluate(String subject, String machine, String dataClass,
                                           boolean write, boolean production) {
        return evaluate(subject, machine, dataClass, write, production, false);
    }

    private static PolicyDecision evaluate(String subject, String machine, String dataClass,
                                           boolean write, boolean production, boolean workloadTrust) {
        DmnDecisionResult result = dmnEngine.evaluateDecision(decision,
                variables(subject, machine, dataClass, write, production, workloadTrust));
        assertThat(result).hasSize(1);
        return PolicyDecision.of(result.getSingleResult().getEntryMap());
    }

    private static int tier(PolicyDecision result) {
        int tier = TIERS.indexOf(result.riskTier());
        assertThat(tier).as("known tier %s", result.riskTier()).isNotNegative();
        return tier;
    }

    /** The limits belong to the tier, whichever row chose it. */
    private static void assertConsistentWithTier(PolicyDecision result, boolean workloadTrust, String label) {
        int[] expected = switch (result.riskTier()) {
            case "LOW" -> new int[] {365, 180, 60, 30};
            case "MEDIUM" -> new int[] {180, 90, 45, 14};
            case "HIGH" -> new int[] {90, 30, 30, 7};
            case "CRITICAL" -> new int[] {30, 14, 30, 1};
            default -> throw new AssertionError("unknown tier " + result.riskTier() + " for " + label);
        };
        assertThat(new int[] {result.maxAccessDays(), result.reviewCadenceDays(), result.maxTokenLifespanSeconds(),
                result.rotationDays()}).as(label).containsExactly(expected);
        boolean high = tier(result) >= TIERS.indexOf("HIGH");
        assertThat(result.securityOfficerApproval()).as(label).isEqualTo(high);
        // a secret is the last resort: never from HIGH up, nor where the partnership's workloads can federate
        assertThat(result.clientSecretAllowed()).as(label).isEqualTo(!high && !workloadTrust);
        if (!"LOW".equals(result.riskTier())) {
            assertThat(result.autoApprove()).as(label).isFalse();
        }
    }

    private static List<String> outputNames() {
        return ((DmnDecisionTableImpl) decision.getDecisionLogic()).getOutputs().stream()
                .map(DmnDecisionTableOutputImpl::getOutputName).toList();
    }

    private static InputStream resource() {
        InputStream dmn = PartnerAccessPolicyTest.class.getClassLoader().getResourceAsStream(RESOURCE);
        assertThat(dmn).as(RESOURCE).isNotNull();
        return dmn;
    }
}
