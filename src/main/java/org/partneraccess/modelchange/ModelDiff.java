package org.partneraccess.modelchange;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * What a model file changes, in words and numbers, for the reviewer: the elements (BPMN, DMN) or form fields added,
 * removed and changed, by id; a decision-table rule old and new side by side. Layout (diagram positions) is not a
 * change of behaviour and is left out.
 */
final class ModelDiff {

    private static final Set<String> LAYOUT_NAMESPACES = Set.of("http://www.omg.org/spec/BPMN/20100524/DI",
            "http://www.omg.org/spec/DD/20100524/DC", "http://www.omg.org/spec/DD/20100524/DI",
            "https://www.omg.org/spec/DMN/20191111/DMNDI/", "http://www.omg.org/spec/DMN/20180521/DMNDI/",
            "http://www.omg.org/spec/DMN/20180521/DC/", "http://www.omg.org/spec/DMN/20180521/DI/");
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelDiff() {
    }

    /** One resource's lines: new, unchanged, or changed with each element; {@code before} null for a new file. */
    static List<String> of(String name, String before, String after) {
        Map<String, String> now = elements(name, after);
        if (before == null) {
            return List.of(name + ": new, " + now.size() + " elements");
        }
        Map<String, String> was = elements(name, before);
        List<String> lines = new ArrayList<>();
        now.forEach((id, element) -> {
            if (!was.containsKey(id)) {
                lines.add("  + " + element);
            } else if (!was.get(id).equals(element)) {
                lines.add("  ~ " + element + "\n      was " + was.get(id));
            }
        });
        was.forEach((id, element) -> {
            if (!now.containsKey(id)) {
                lines.add("  - " + element);
            }
        });
        long added = lines.stream().filter(line -> line.startsWith("  +")).count();
        long changed = lines.stream().filter(line -> line.startsWith("  ~")).count();
        long removed = lines.size() - added - changed;
        List<String> result = new ArrayList<>();
        result.add(lines.isEmpty() ? name + ": unchanged in behaviour (layout or text only)"
                : name + ": " + added + " added, " + removed + " removed, " + changed + " changed");
        result.addAll(lines);
        return result;
    }

    /** Each element with an id, described by what it does (everything but its layout). */
    private static Map<String, String> elements(String name, String content) {
        return name.endsWith(".form") ? formFields(content) : xmlElements(content);
    }

    private static Map<String, String> xmlElements(String xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            Element root = factory.newDocumentBuilder()
                    .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))).getDocumentElement();
            Map<String, String> elements = new LinkedHashMap<>();
            collect(root, elements);
            return elements;
        } catch (Exception e) {
            throw new IllegalArgumentException("not a readable model: " + e.getMessage(), e);
        }
    }

    private static void collect(Element element, Map<String, String> elements) {
        if (LAYOUT_NAMESPACES.contains(element.getNamespaceURI())) {
            return;
        }
        String id = element.getAttribute("id");
        if (!id.isEmpty() && element.getParentNode() != element.getOwnerDocument()) {
            elements.put(id, describe(element));
        }
        if ("rule".equals(element.getLocalName())) {
            return;
        }
        for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element childElement) {
                collect(childElement, elements);
            }
        }
    }

    /**
     * A rule as its row (inputs -> outputs); any other element as its kind, id, attributes and content, without the
     * children that have an id of their own (each is listed by itself).
     */
    private static String describe(Element element) {
        if ("rule".equals(element.getLocalName())) {
            return "rule " + element.getAttribute("id") + ": " + entries(element, "inputEntry") + " -> "
                    + entries(element, "outputEntry");
        }
        return element.getLocalName() + " " + element.getAttribute("id") + " " + content(element);
    }

    private static String entries(Element rule, String kind) {
        List<String> texts = new ArrayList<>();
        for (Node child = rule.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element entry && kind.equals(entry.getLocalName())) {
                String text = entry.getTextContent().strip();
                texts.add(text.isEmpty() ? "-" : text);
            }
        }
        return String.join(" | ", texts);
    }

    private static String content(Element element) {
        StringBuilder out = new StringBuilder();
        NamedNodeMap attributes = element.getAttributes();
        Map<String, String> sorted = new TreeMap<>();
        for (int i = 0; i < attributes.getLength(); i++) {
            Node attribute = attributes.item(i);
            if (!"id".equals(attribute.getNodeName()) && !attribute.getNodeName().startsWith("xmlns")) {
                sorted.put(attribute.getNodeName(), attribute.getNodeValue());
            }
        }
        out.append(sorted);
        for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element childElement && (LAYOUT_NAMESPACES.contains(childElement.getNamespaceURI())
                    || !childElement.getAttribute("id").isEmpty())) {
                continue;
            }
            if (child instanceof Element childElement) {
                out.append(" <").append(childElement.getLocalName()).append(' ').append(content(childElement)).append('>');
            } else if (child.getNodeType() == Node.TEXT_NODE || child.getNodeType() == Node.CDATA_SECTION_NODE) {
                String text = child.getNodeValue().strip();
                if (!text.isEmpty()) {
                    out.append(' ').append(text.replaceAll("\\s+", " "));
                }
            }
        }
        return out.toString();
    }

    private static Map<String, String> formFields(String json) {
        try {
            Map<String, String> fields = new LinkedHashMap<>();
            collectComponents(JSON.readTree(json).path("components"), fields);
            return fields;
        } catch (Exception e) {
            throw new IllegalArgumentException("not a readable form: " + e.getMessage(), e);
        }
    }

    private static void collectComponents(JsonNode components, Map<String, String> fields) {
        for (JsonNode component : components) {
            String id = component.path("id").asText(component.path("key").asText(""));
            if (!id.isEmpty()) {
                fields.put(id, "field " + id + " " + component);
            }
            collectComponents(component.path("components"), fields);
        }
    }

    /** A summary cut to what the place it goes to can hold. */
    static String cut(String text, int limit) {
        return text.length() <= limit ? text : text.substring(0, limit - 40) + "\n… (cut; the full change is stored)";
    }
}
