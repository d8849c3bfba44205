package org.partneraccess.policy;

import java.util.Map;

import org.camunda.bpm.dmn.engine.DmnDecisionResultEntries;
import org.camunda.bpm.engine.DecisionService;
import org.partneraccess.ProcessIds;
import org.springframework.stereotype.Service;

/**
 * The partner access policy: risk tier, approvals and credential limits, decided by the DMN table
 * {@value #DECISION_KEY}. Always its latest deployed version, so a process owner changes the policy from
 * Camunda Modeler without a code change.
 */
@Service
public class AccessPolicy {

    public static final String DECISION_KEY = ProcessIds.PARTNER_ACCESS_POLICY;

    private final DecisionService decisionService;

    public AccessPolicy(DecisionService decisionService) {
        this.decisionService = decisionService;
    }

    public PolicyDecision decide(PolicyInput input) {
        DmnDecisionResultEntries result = decisionService.evaluateDecisionByKey(DECISION_KEY)
                .variables(input.toVariables())
                .evaluate()
                .getSingleResult();
        if (result == null) {
            // a redeployed table without its catch-all row: a technical failure, not a business outcome
            throw new IllegalStateException(DECISION_KEY + " matched no rule for " + input);
        }
        Map<String, Object> entries = result.getEntryMap();
        return PolicyDecision.of(entries);
    }
}
