package org.partneraccess.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.camunda.bpm.dmn.engine.delegate.DmnDecisionTableEvaluationEvent;
import org.camunda.bpm.dmn.engine.delegate.DmnDecisionTableEvaluationListener;
import org.camunda.bpm.dmn.engine.impl.DefaultDmnEngineConfiguration;
import org.camunda.bpm.dmn.engine.DmnEngineConfiguration;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.springframework.stereotype.Component;

/**
 * Which rows of the access policy's table matched: what a decision is explained by. A decision's result names no row,
 * so this listener on the engine's DMN engine hands the matched rows' ids to whoever evaluates on the same thread
 * (the engine evaluates a decision on its caller's thread, inside the caller's command).
 */
@Component
class MatchedRules extends AbstractProcessEnginePlugin implements DmnDecisionTableEvaluationListener {

    private static final ThreadLocal<List<String>> MATCHED = new ThreadLocal<>();

    /** The evaluation's result, and the ids of the rows of {@value AccessPolicy#DECISION_KEY} that matched in it. */
    record Evaluated<T>(T result, List<String> ruleIds) {
    }

    static <T> Evaluated<T> during(Supplier<T> evaluation) {
        List<String> previous = MATCHED.get();
        List<String> matched = new ArrayList<>();
        MATCHED.set(matched);
        try {
            return new Evaluated<>(evaluation.get(), List.copyOf(matched));
        } finally {
            MATCHED.set(previous);
        }
    }

    @Override
    public void notify(DmnDecisionTableEvaluationEvent event) {
        List<String> matched = MATCHED.get();
        if (matched != null && AccessPolicy.DECISION_KEY.equals(event.getDecision().getKey())) {
            event.getMatchingRules().forEach(rule -> matched.add(rule.getId()));
        }
    }

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        if (configuration.getDmnEngineConfiguration() == null) {
            configuration.setDmnEngineConfiguration(
                    (DefaultDmnEngineConfiguration) DmnEngineConfiguration.createDefaultDmnEngineConfiguration());
        }
        DefaultDmnEngineConfiguration dmn = configuration.getDmnEngineConfiguration();
        List<DmnDecisionTableEvaluationListener> listeners = dmn.getCustomPostDecisionTableEvaluationListeners() == null
                ? new ArrayList<>() : new ArrayList<>(dmn.getCustomPostDecisionTableEvaluationListeners());
        listeners.add(this);
        dmn.setCustomPostDecisionTableEvaluationListeners(listeners);
    }
}
