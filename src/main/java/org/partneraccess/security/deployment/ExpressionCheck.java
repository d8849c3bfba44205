package org.partneraccess.security.deployment;

import java.util.Optional;
import java.util.Set;

import org.camunda.bpm.impl.juel.AstBinary;
import org.camunda.bpm.impl.juel.AstBoolean;
import org.camunda.bpm.impl.juel.AstBracket;
import org.camunda.bpm.impl.juel.AstChoice;
import org.camunda.bpm.impl.juel.AstComposite;
import org.camunda.bpm.impl.juel.AstDot;
import org.camunda.bpm.impl.juel.AstEval;
import org.camunda.bpm.impl.juel.AstFunction;
import org.camunda.bpm.impl.juel.AstIdentifier;
import org.camunda.bpm.impl.juel.AstMethod;
import org.camunda.bpm.impl.juel.AstNested;
import org.camunda.bpm.impl.juel.AstNull;
import org.camunda.bpm.impl.juel.AstNumber;
import org.camunda.bpm.impl.juel.AstString;
import org.camunda.bpm.impl.juel.AstText;
import org.camunda.bpm.impl.juel.AstUnary;
import org.camunda.bpm.impl.juel.Builder;
import org.camunda.bpm.impl.juel.Node;
import org.camunda.bpm.impl.juel.TreeBuilder;
import org.camunda.bpm.impl.juel.TreeBuilderException;

/**
 * The expression grammar a deployed model may use, checked on the engine's own JUEL syntax tree: literals, variables,
 * comparisons, boolean logic, {@code empty}, the ternary, and calls on the {@link DeploymentAllowList}. No property
 * access (a getter call on any object), no functions, no arithmetic.
 */
final class ExpressionCheck {

    // the features of Camunda's ExpressionFactoryImpl (profile JEE6), so both read the same tree
    private static final TreeBuilder PARSER = new Builder(Builder.Feature.METHOD_INVOCATIONS, Builder.Feature.VARARGS);
    private static final Set<AstBinary.Operator> OPERATORS = Set.of(AstBinary.EQ, AstBinary.NE, AstBinary.LT,
            AstBinary.LE, AstBinary.GT, AstBinary.GE, AstBinary.AND, AstBinary.OR);
    private static final Set<AstUnary.Operator> UNARY_OPERATORS = Set.of(AstUnary.NOT, AstUnary.EMPTY, AstUnary.NEG);

    private final Set<String> delegateBeans;

    ExpressionCheck(Set<String> delegateBeans) {
        this.delegateBeans = Set.copyOf(delegateBeans);
    }

    /** Whether the text holds an expression at all; anything else is literal text to the engine. */
    static boolean isExpression(String text) {
        return text != null && (text.contains("${") || text.contains("#{"));
    }

    /** Why the expression is refused, or empty when it keeps to the grammar. */
    Optional<String> refusal(String text) {
        try {
            return Optional.ofNullable(check((Node) PARSER.build(text).getRoot(), false));
        } catch (TreeBuilderException e) {
            return Optional.of("not a valid expression");
        }
    }

    /** Why a {@code delegateExpression} is refused: it must be exactly {@code ${bean}} naming a registered delegate. */
    Optional<String> delegateRefusal(String text) {
        String name = null;
        try {
            Node root = (Node) PARSER.build(text).getRoot();
            if (root instanceof AstEval eval && eval.getChild(0) instanceof AstIdentifier identifier) {
                name = identifier.getName();
            }
        } catch (TreeBuilderException e) {
            // refused below
        }
        return name != null && delegateBeans.contains(name) ? Optional.empty()
                : Optional.of(text + " names no registered delegate bean");
    }

    private String check(Node node, boolean argument) {
        if (node instanceof AstText || node instanceof AstString || node instanceof AstNumber
                || node instanceof AstBoolean || node instanceof AstNull) {
            return null;
        }
        if (node instanceof AstComposite || node instanceof AstEval || node instanceof AstNested
                || node instanceof AstChoice) {
            return children(node, false);
        }
        if (node instanceof AstBinary binary) {
            return OPERATORS.contains(binary.getOperator()) ? children(node, false)
                    : "operator " + binary.getOperator() + " is not allowed";
        }
        if (node instanceof AstUnary unary) {
            return UNARY_OPERATORS.contains(unary.getOperator()) ? children(node, false)
                    : "operator " + unary.getOperator() + " is not allowed";
        }
        if (node instanceof AstIdentifier identifier) {
            return identifier(identifier.getName(), argument);
        }
        if (node instanceof AstMethod method) {
            return call(method);
        }
        if (node instanceof AstDot dot) {
            return "property access ." + propertyName(dot) + " is not allowed";
        }
        if (node instanceof AstBracket) {
            return "property access [...] is not allowed";
        }
        if (node instanceof AstFunction function) {
            return "function " + function.getName() + "() is not allowed";
        }
        return node.getClass().getSimpleName() + " is not allowed";
    }

    private String identifier(String name, boolean argument) {
        if (DeploymentAllowList.ENGINE_OBJECTS.containsKey(name) && !argument) {
            return name + " may only be used in an allowed call";
        }
        if (DeploymentAllowList.HELPER_BEANS.containsKey(name) || delegateBeans.contains(name)) {
            return "bean " + name + " may only be called (helpers) or named in a delegateExpression (delegates)";
        }
        return null;
    }

    private String call(AstMethod method) {
        if (!(method.getChild(0) instanceof AstDot dot) || !(dot.getChild(0) instanceof AstIdentifier target)) {
            return "a call on a computed value is not allowed";
        }
        Node params = method.getChild(1);
        String signature = propertyName(dot) + "/" + params.getCardinality();
        String call = target.getName() + "." + propertyName(dot) + "()";
        boolean helper = DeploymentAllowList.HELPER_BEANS.getOrDefault(target.getName(), Set.of()).contains(signature);
        boolean engine = DeploymentAllowList.ENGINE_OBJECTS.getOrDefault(target.getName(), Set.of()).contains(signature);
        if (!helper && !engine) {
            return "call " + call + " is not on the allow-list";
        }
        // a helper may be handed the execution it serves; the engine's objects are never passed on
        return children(params, helper);
    }

    private String children(Node node, boolean argument) {
        for (int i = 0; i < node.getCardinality(); i++) {
            String refusal = check(node.getChild(i), argument);
            if (refusal != null) {
                return refusal;
            }
        }
        return null;
    }

    // AstDot keeps its name to itself; its toString is ". name"
    private static String propertyName(AstDot dot) {
        return dot.toString().substring(2);
    }
}
