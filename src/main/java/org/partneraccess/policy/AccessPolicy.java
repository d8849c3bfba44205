package org.partneraccess.policy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.camunda.bpm.dmn.engine.DmnDecision;
import org.camunda.bpm.dmn.engine.DmnDecisionResultEntries;
import org.camunda.bpm.dmn.engine.DmnDecisionRuleResult;
import org.camunda.bpm.dmn.engine.DmnEngine;
import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.DecisionService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.model.dmn.DmnModelInstance;
import org.camunda.bpm.model.dmn.instance.Rule;
import org.partneraccess.ProcessIds;
import org.partneraccess.security.EngineCaller;
import org.springframework.stereotype.Service;

/**
 * The partner access policy: risk tier, approvals and credential limits, decided by the DMN table
 * {@value #DECISION_KEY}. Always its latest deployed version, so a process owner changes the policy from
 * Camunda Modeler without a code change; each decision names the exact version that took it, so it can be replayed.
 */
@Service
public class AccessPolicy {

    public static final String DECISION_KEY = ProcessIds.PARTNER_ACCESS_POLICY;

    private final DecisionService decisionService;
    private final ProcessEngine engine;

    public AccessPolicy(DecisionService decisionService, ProcessEngine engine) {
        this.decisionService = decisionService;
        this.engine = engine;
    }

    public PolicyDecision decide(PolicyInput input) {
        return evaluate(latestVersion(), input.toVariables(), true);
    }

    /**
     * What one exact version of the table decides for inputs recorded with an earlier decision; a version from before
     * an output existed decides without it.
     */
    public PolicyDecision replay(String definitionId, Map<String, Object> input) {
        return evaluate(definitionId, input, false);
    }

    /** What a table that is not deployed decides for one input: a decision, or why the table failed on it. */
    public record Trial(PolicyDecision decision, String failure) {
    }

    /**
     * The table {@value #DECISION_KEY} in a model that is not deployed (a process owner's proposed change), parsed by
     * the process engine's own DMN engine, so with the deployment checks and the FEEL settings of production; empty
     * when the model holds no such table.
     */
    public Optional<DmnDecision> parseProposed(String dmn) {
        try {
            return inEngineCommand(dmnEngine -> dmnEngine.parseDecisions(
                    new ByteArrayInputStream(dmn.getBytes(StandardCharsets.UTF_8))).stream()
                    .filter(decision -> DECISION_KEY.equals(decision.getKey()) && decision.isDecisionTable()).findFirst());
        } catch (RuntimeException e) {
            throw new BadUserRequestException("Not a readable decision model: " + e.getMessage(), e);
        }
    }

    /**
     * What a proposed table decides for each input, in order; a failure on one input does not stop the others. The
     * table decides on its inputs alone and a history repeats few distinct ones, so each is evaluated once.
     */
    public List<Trial> trial(DmnDecision proposed, List<Map<String, Object>> inputs) {
        Map<Map<String, Object>, Trial> distinct = new HashMap<>();
        return inEngineCommand(dmnEngine -> inputs.stream()
                .map(input -> distinct.computeIfAbsent(input, key -> trial(dmnEngine, proposed, key))).toList());
    }

    /**
     * Work with the engine's DMN engine inside an engine command, as its parse and evaluation listeners expect; a table
     * that is never deployed leaves no history.
     */
    private <T> T inEngineCommand(Function<DmnEngine, T> work) {
        ProcessEngineConfigurationImpl configuration = configuration();
        return EngineCaller.asApplication(() -> configuration.getCommandExecutorTxRequired().execute(
                (CommandContext context) -> work.apply(configuration.getDmnEngine())));
    }

    private static Trial trial(DmnEngine dmn, DmnDecision proposed, Map<String, Object> input) {
        try {
            DmnDecisionRuleResult result = dmn.evaluateDecisionTable(proposed, input).getSingleResult();
            return result == null ? new Trial(null, "no rule matches")
                    : new Trial(PolicyDecision.of(result.getEntryMap()), null);
        } catch (RuntimeException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            return new Trial(null, message.length() > 160 ? message.substring(0, 159) + "…" : message);
        }
    }

    private PolicyDecision evaluate(String definitionId, Map<String, Object> variables, boolean everyOutput) {
        MatchedRules.Evaluated<DmnDecisionResultEntries> evaluated = MatchedRules.during(() -> decisionService
                .evaluateDecisionById(definitionId)
                .variables(variables)
                .evaluate()
                .getSingleResult());
        if (evaluated.result() == null) {
            // a redeployed table without its catch-all row: a technical failure, not a business outcome
            throw new IllegalStateException(DECISION_KEY + " (" + definitionId + ") matched no rule for " + variables);
        }
        Map<String, Object> outputs = evaluated.result().getEntryMap();
        return (everyOutput ? PolicyDecision.of(outputs, definitionId) : PolicyDecision.ofVersion(outputs, definitionId))
                .withRule(describe(definitionId, evaluated.ruleIds()));
    }

    /**
     * The matched rows' descriptions in that version of the table (the annotation a process owner writes in Modeler),
     * or their ids where a row has none; null when no row was seen (an engine without {@link MatchedRules}).
     */
    private String describe(String definitionId, List<String> ruleIds) {
        if (ruleIds.isEmpty()) {
            return null;
        }
        DmnModelInstance model = EngineCaller.asApplication(() -> configuration().getCommandExecutorTxRequired().execute(
                (CommandContext context) -> context.runWithoutAuthorization(() -> context.getProcessEngineConfiguration()
                        .getDeploymentCache().findDmnModelInstanceForDecisionDefinition(definitionId))));
        return ruleIds.stream().map(id -> model.getModelElementById(id) instanceof Rule rule
                        && rule.getDescription() != null && !rule.getDescription().getTextContent().isBlank()
                        ? rule.getDescription().getTextContent().strip() : "row " + id)
                .collect(Collectors.joining("; "));
    }

    /** The newest deployed version's id, as evaluating by key would pick it; whoever asks, the policy is the same. */
    private String latestVersion() {
        return EngineCaller.asApplication(() -> configuration().getCommandExecutorTxRequired().execute(
                (CommandContext context) -> context.runWithoutAuthorization(() -> context.getProcessEngineConfiguration()
                        .getDeploymentCache().findDeployedLatestDecisionDefinitionByKey(DECISION_KEY).getId())));
    }

    private ProcessEngineConfigurationImpl configuration() {
        return (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();
    }
}
