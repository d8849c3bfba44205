package org.partneraccess.security.deployment;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import org.camunda.bpm.engine.impl.bpmn.parser.BpmnParser;
import org.camunda.bpm.engine.impl.util.xml.Element;

/**
 * Walks a whole BPMN document, every element and attribute, rather than the constructs the engine parses today: what
 * the engine would run is refused wherever it stands (process, sub-process, listener, mapping, event definition).
 */
final class BpmnModelCheck {

    static final String SCRIPT = "script";
    static final String CLASS = "class";
    static final String CONNECTOR = "connector";
    static final String EXTERNAL_TASK = "external task";
    static final String RESOURCE = "resource";
    static final String FORM_KEY = "form key";
    static final String GENERATED_FORM = "generated form";
    static final String FIELD_INJECTION = "field injection";
    static final String DELEGATE = "delegate expression";
    static final String EXPRESSION = "expression";

    private static final Set<String> EXTENSION_NAMESPACES = Set.of(BpmnParser.CAMUNDA_BPMN_EXTENSIONS_NS,
            BpmnParser.ACTIVITI_BPMN_EXTENSIONS_NS);
    private static final Set<String> DIAGRAM_NAMESPACES = Set.of("http://www.omg.org/spec/BPMN/20100524/DI",
            "http://www.omg.org/spec/DD/20100524/DC", "http://www.omg.org/spec/DD/20100524/DI");
    private static final Set<String> CONTAINERS = Set.of("definitions", "process");
    // text the engine never evaluates
    private static final Set<String> PROSE = Set.of("documentation", "text");

    private final ExpressionCheck expressions;

    BpmnModelCheck(ExpressionCheck expressions) {
        this.expressions = expressions;
    }

    /** Every violation, each with the element it was found on (for line and column) and the id it belongs to. */
    void check(Element root, BiConsumer<Element, Violation> violations) {
        walk(root, List.of(), violations);
    }

    List<Violation> check(Element root) {
        List<Violation> found = new ArrayList<>();
        check(root, (element, violation) -> found.add(violation));
        return found;
    }

    private void walk(Element element, List<String> outerIds, BiConsumer<Element, Violation> out) {
        if (DIAGRAM_NAMESPACES.contains(element.getUri()) || PROSE.contains(element.getTagName())) {
            return;
        }
        // the process and the definitions would name every element; a refusal names what it stands in
        List<String> id = element.attribute("id") == null || CONTAINERS.contains(element.getTagName()) ? outerIds
                : Stream.concat(Stream.of(element.attribute("id")), outerIds.stream()).toList();
        String refusedElement = refusedElement(element);
        if (refusedElement != null) {
            out.accept(element, new Violation(refusedElement, "<" + element.getTagName() + "> is not allowed", id));
            return;
        }
        for (String key : element.attributes()) {
            // the engine keys namespaced attributes "uri:name"; names hold no colon
            int colon = key.lastIndexOf(':');
            String uri = colon < 0 ? "" : key.substring(0, colon);
            String name = key.substring(colon + 1);
            // camunda's own elements (listeners, mappings) carry their settings unqualified
            boolean extension = EXTENSION_NAMESPACES.contains(uri)
                    || uri.isEmpty() && EXTENSION_NAMESPACES.contains(element.getUri());
            attribute(extension, name, element.attribute(key)).ifPresent(v -> out.accept(element, v.withElement(id)));
        }
        String text = element.getText();
        if (ExpressionCheck.isExpression(text)) {
            expressions.refusal(text.strip())
                    .ifPresent(why -> out.accept(element, new Violation(EXPRESSION, text.strip() + ": " + why, id)));
        }
        for (Element child : element.elements()) {
            walk(child, id, out);
        }
    }

    private static String refusedElement(Element element) {
        String tag = element.getTagName();
        if ("scriptTask".equals(tag) || "script".equals(tag)) {
            return SCRIPT;
        }
        if (!EXTENSION_NAMESPACES.contains(element.getUri())) {
            return null;
        }
        return switch (tag) {
            case "connector" -> CONNECTOR;
            case "field" -> FIELD_INJECTION;
            case "formData", "formField", "formProperty" -> GENERATED_FORM;
            default -> null;
        };
    }

    private Optional<Partial> attribute(boolean extension, String name, String value) {
        if ("language".equals(name) || "scriptFormat".equals(name)) {
            return Partial.of(SCRIPT, name + "=\"" + value + "\" runs a script");
        }
        if (extension) {
            if ("class".equals(name) || name.endsWith("Class")) {
                return Partial.of(CLASS, "camunda:" + name + "=\"" + value + "\" is not allowed");
            }
            switch (name) {
                case "resource":
                    return Partial.of(RESOURCE, "camunda:resource is not allowed");
                case "formKey":
                    return Partial.of(FORM_KEY, "camunda:formKey=\"" + value + "\" is not allowed; use camunda:formRef");
                case "type", "topic":
                    return Partial.of(EXTERNAL_TASK, "camunda:" + name + "=\"" + value + "\" is not allowed");
                case "delegateExpression", "variableMappingDelegateExpression":
                    return expressions.delegateRefusal(value).map(why -> new Partial(DELEGATE, why));
                default:
                    break;
            }
        }
        if (ExpressionCheck.isExpression(value)) {
            return expressions.refusal(value).map(why -> new Partial(EXPRESSION, value + ": " + why));
        }
        return Optional.empty();
    }

    /** A violation before the element it belongs to is known. */
    private record Partial(String rule, String detail) {

        static Optional<Partial> of(String rule, String detail) {
            return Optional.of(new Partial(rule, detail));
        }

        Violation withElement(List<String> id) {
            return new Violation(rule, detail, id);
        }
    }
}
