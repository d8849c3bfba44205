package org.partneraccess.policy;

import java.util.Map;

import org.camunda.bpm.dmn.engine.DmnDecisionResultEntries;
import org.camunda.bpm.engine.DecisionService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
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
        return evaluate(latestVersion(), input.toVariables());
    }

    /** What one exact version of the table decides for inputs recorded with an earlier decision. */
    public PolicyDecision replay(String definitionId, Map<String, Object> input) {
        return evaluate(definitionId, input);
    }

    private PolicyDecision evaluate(String definitionId, Map<String, Object> variables) {
        DmnDecisionResultEntries result = decisionService.evaluateDecisionById(definitionId)
                .variables(variables)
                .evaluate()
                .getSingleResult();
        if (result == null) {
            // a redeployed table without its catch-all row: a technical failure, not a business outcome
            throw new IllegalStateException(DECISION_KEY + " (" + definitionId + ") matched no rule for " + variables);
        }
        return PolicyDecision.of(result.getEntryMap(), definitionId);
    }

    /** The newest deployed version's id, as evaluating by key would pick it; whoever asks, the policy is the same. */
    private String latestVersion() {
        ProcessEngineConfigurationImpl configuration = (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();
        return EngineCaller.asApplication(() -> configuration.getCommandExecutorTxRequired().execute(
                (CommandContext context) -> context.runWithoutAuthorization(() -> context.getProcessEngineConfiguration()
                        .getDeploymentCache().findDeployedLatestDecisionDefinitionByKey(DECISION_KEY).getId())));
    }
}
