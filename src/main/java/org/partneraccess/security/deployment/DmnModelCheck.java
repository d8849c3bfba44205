package org.partneraccess.security.deployment;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.camunda.bpm.dmn.engine.DmnDecision;
import org.camunda.bpm.dmn.engine.DmnDecisionRequirementsGraph;
import org.camunda.bpm.dmn.engine.impl.DefaultDmnEngineConfiguration;
import org.camunda.bpm.dmn.engine.impl.DmnDecisionImpl;
import org.camunda.bpm.dmn.engine.impl.DmnDecisionLiteralExpressionImpl;
import org.camunda.bpm.dmn.engine.impl.DmnDecisionTableImpl;
import org.camunda.bpm.dmn.engine.impl.DmnDecisionTableInputImpl;
import org.camunda.bpm.dmn.engine.impl.DmnDecisionTableRuleImpl;
import org.camunda.bpm.dmn.engine.impl.DmnExpressionImpl;
import org.camunda.bpm.dmn.engine.impl.spi.transform.DmnTransformListener;
import org.camunda.bpm.dmn.engine.impl.transform.DmnTransformException;
import org.camunda.bpm.model.dmn.instance.Decision;
import org.camunda.bpm.model.dmn.instance.Definitions;
import org.camunda.bpm.model.dmn.instance.Input;
import org.camunda.bpm.model.dmn.instance.Output;
import org.camunda.bpm.model.dmn.instance.Rule;

/**
 * Decisions are FEEL only: JUEL would reach the same beans and engine objects as a BPMN expression, and any other
 * language is a script. Checked on the transformed decisions, so the language each expression will really be
 * evaluated in counts (its own, else the definitions' default, else the engine's).
 */
final class DmnModelCheck implements DmnTransformListener {

    static final String FEEL_ONLY = "FEEL only";

    private final Supplier<DefaultDmnEngineConfiguration> engine;

    /** The engine's DMN configuration is built after the plugins run; its defaults are read when a model is checked. */
    DmnModelCheck(Supplier<DefaultDmnEngineConfiguration> engine) {
        this.engine = engine;
    }

    @Override
    public void transformDecisionRequirementsGraph(Definitions definitions, DmnDecisionRequirementsGraph graph) {
        List<Violation> violations = new ArrayList<>();
        String defaultLanguage = definitions.getExpressionLanguage();
        if (defaultLanguage != null && !isFeel(defaultLanguage)) {
            violations.add(refusal(definitions.getId(), "the definitions' expressionLanguage", defaultLanguage));
        }
        DefaultDmnEngineConfiguration defaults = engine.get();
        for (DmnDecision decision : graph.getDecisions()) {
            Object logic = ((DmnDecisionImpl) decision).getDecisionLogic();
            if (logic instanceof DmnDecisionTableImpl table) {
                for (DmnDecisionTableInputImpl input : table.getInputs()) {
                    check(input.getExpression(), input.getId(), "input expression",
                            defaults.getDefaultInputExpressionExpressionLanguage(), violations);
                }
                for (DmnDecisionTableRuleImpl rule : table.getRules()) {
                    for (DmnExpressionImpl condition : rule.getConditions()) {
                        check(condition, condition.getId(), "input entry", defaults.getDefaultInputEntryExpressionLanguage(),
                                violations);
                    }
                    for (DmnExpressionImpl conclusion : rule.getConclusions()) {
                        check(conclusion, conclusion.getId(), "output entry",
                                defaults.getDefaultOutputEntryExpressionLanguage(), violations);
                    }
                }
            } else if (logic instanceof DmnDecisionLiteralExpressionImpl literal) {
                check(literal.getExpression(), decision.getKey(), "literal expression",
                        defaults.getDefaultLiteralExpressionLanguage(), violations);
            }
        }
        if (!violations.isEmpty()) {
            throw new Refused(violations);
        }
    }

    private static void check(DmnExpressionImpl expression, String elementId, String what, String engineDefault,
                              List<Violation> violations) {
        if (expression == null) {
            return;
        }
        String id = expression.getId() != null ? expression.getId() : elementId;
        String language = expression.getExpressionLanguage() != null ? expression.getExpressionLanguage() : engineDefault;
        if (language != null && !isFeel(language)) {
            violations.add(refusal(id, what, language));
        }
    }

    private static Violation refusal(String elementId, String what, String language) {
        return new Violation(FEEL_ONLY, what + " in " + language + " is not allowed", elementId);
    }

    // as the engine's ExpressionEvaluationHandler recognises FEEL
    static boolean isFeel(String language) {
        return language.equalsIgnoreCase(DefaultDmnEngineConfiguration.FEEL_EXPRESSION_LANGUAGE_ALTERNATIVE)
                || language.equals(DefaultDmnEngineConfiguration.FEEL_EXPRESSION_LANGUAGE)
                || language.equals(DefaultDmnEngineConfiguration.FEEL_EXPRESSION_LANGUAGE_DMN12)
                || language.equals(DefaultDmnEngineConfiguration.FEEL_EXPRESSION_LANGUAGE_DMN13)
                || language.equals(DefaultDmnEngineConfiguration.FEEL_EXPRESSION_LANGUAGE_DMN14)
                || language.equals(DefaultDmnEngineConfiguration.FEEL_EXPRESSION_LANGUAGE_DMN15);
    }

    @Override
    public void transformDecision(Decision decision, DmnDecision dmnDecision) {
    }

    @Override
    public void transformDecisionTableInput(Input input, DmnDecisionTableInputImpl dmnInput) {
    }

    @Override
    public void transformDecisionTableOutput(Output output,
                                             org.camunda.bpm.dmn.engine.impl.DmnDecisionTableOutputImpl dmnOutput) {
    }

    @Override
    public void transformDecisionTableRule(Rule rule, DmnDecisionTableRuleImpl dmnRule) {
    }

    /** The decisions break the policy; the violations travel with the exception to the deployment's error report. */
    static final class Refused extends DmnTransformException {

        private final transient List<Violation> violations;

        Refused(List<Violation> violations) {
            super(violations.stream().map(Violation::message).reduce((a, b) -> a + "; " + b).orElse(""));
            this.violations = List.copyOf(violations);
        }

        List<Violation> violations() {
            return violations;
        }
    }
}
