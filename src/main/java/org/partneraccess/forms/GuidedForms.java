package org.partneraccess.forms;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.partneraccess.Variables;
import org.partneraccess.security.StaffDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills in the choices a shipped Camunda Form declares with the custom property {@value #CHOICES}:
 * <ul>
 * <li>{@code partnerships}: a text field becomes a searchable select of the active partnerships;</li>
 * <li>{@code staff} or {@code staff:<group>}: a text field becomes a searchable select of staff users;</li>
 * <li>{@code partnership:clientScopes}, {@code partnership:environments}, {@code partnership:dataClasses}: a checklist
 * or select offers only what the partnership chosen in the form's {@code partnershipKey} allows (a FEEL expression
 * over the active partnerships, since form-js evaluates it in the browser as the choice changes);</li>
 * <li>{@code partnership:endDate}: a text's {@value #END_DATE} shows the chosen partnership's end date.</li>
 * </ul>
 * A source that fails leaves its field as shipped: a text field the server checks as before.
 */
final class GuidedForms {

    static final String CHOICES = "choices";
    static final String END_DATE = "{{partnershipEndDate}}";
    private static final String PARTNERSHIPS = "partnerships";
    private static final String STAFF = "staff";
    private static final String PARTNERSHIP = "partnership:";
    private static final Logger LOG = LoggerFactory.getLogger(GuidedForms.class);

    private final ObjectMapper json;
    private final Supplier<List<FormChoices.PartnershipChoice>> partnerships;
    private final Function<String, List<StaffDirectory.Member>> staff;
    private List<FormChoices.PartnershipChoice> active;

    /** One per form served: the partnerships are read once, and only when the form asks for them. */
    GuidedForms(ObjectMapper json, Supplier<List<FormChoices.PartnershipChoice>> partnerships,
                Function<String, List<StaffDirectory.Member>> staff) {
        this.json = json;
        this.partnerships = partnerships;
        this.staff = staff;
    }

    /** The form with its choices filled in, or the same bytes when it declares none or is no form. */
    byte[] guide(byte[] form) {
        JsonNode root;
        try {
            root = json.readTree(form);
        } catch (IOException e) {
            return form;
        }
        if (!(root instanceof ObjectNode) || !root.path("components").isArray() || !fill(root.path("components"))) {
            return form;
        }
        try {
            return json.writeValueAsBytes(root);
        } catch (IOException e) {
            return form;
        }
    }

    private boolean fill(JsonNode components) {
        boolean changed = false;
        for (JsonNode component : components) {
            changed |= fill(component.path("components"));
            String choices = component.path("properties").path(CHOICES).asText(null);
            if (choices != null && component instanceof ObjectNode field) {
                try {
                    changed |= fill(field, choices);
                } catch (RuntimeException e) {
                    LOG.warn("Form field {} offers no {} choices this time: {}", field.path("key").asText(), choices, e.toString());
                }
            }
        }
        return changed;
    }

    private boolean fill(ObjectNode field, String choices) {
        if (choices.equals(PARTNERSHIPS)) {
            Map<String, String> options = new LinkedHashMap<>();
            active().forEach(p -> options.put(p.key(), p.legalName() + " (" + p.key() + ")"));
            return select(field, options);
        }
        if (choices.equals(STAFF) || choices.startsWith(STAFF + ":")) {
            String group = choices.equals(STAFF) ? null : choices.substring(STAFF.length() + 1);
            Map<String, String> options = new LinkedHashMap<>();
            staff.apply(group).forEach(m -> options.put(m.userId(), m.displayName().equals(m.userId())
                    ? m.userId() : m.displayName() + " (" + m.userId() + ")"));
            return select(field, options);
        }
        if (choices.startsWith(PARTNERSHIP)) {
            return ofPartnership(field, choices.substring(PARTNERSHIP.length()));
        }
        return false;
    }

    private boolean select(ObjectNode field, Map<String, String> options) {
        ArrayNode values = field.putArray("values");
        options.forEach((value, label) -> values.addObject().put("label", label).put("value", value));
        field.put("type", "select");
        field.put("searchable", true);
        return true;
    }

    private boolean ofPartnership(ObjectNode field, String attribute) {
        if (attribute.equals("endDate")) {
            String text = field.path("text").asText("");
            if (!text.contains(END_DATE)) {
                return false;
            }
            Map<String, String> ends = new LinkedHashMap<>();
            active().forEach(p -> ends.put(p.key(), feelString(String.valueOf(p.endDate()))));
            field.put("text", text.replace(END_DATE, "{{" + byChosenPartnership(ends) + "}}"));
            return true;
        }
        Function<FormChoices.PartnershipChoice, Set<String>> allowed = switch (attribute) {
            case "clientScopes" -> FormChoices.PartnershipChoice::clientScopes;
            case "environments" -> FormChoices.PartnershipChoice::environments;
            case "dataClasses" -> FormChoices.PartnershipChoice::dataClasses;
            default -> null;
        };
        if (allowed == null) {
            return false;
        }
        // the shipped values are the catalogue and its labels; a value the catalogue lacks is shown as it is
        Map<String, String> labels = new LinkedHashMap<>();
        field.path("values").forEach(v -> labels.put(v.path("value").asText(), v.path("label").asText()));
        Map<String, String> options = new LinkedHashMap<>();
        for (FormChoices.PartnershipChoice p : active()) {
            options.put(p.key(), new TreeSet<>(allowed.apply(p)).stream()
                    .map(value -> "{label: " + feelString(labels.getOrDefault(value, value)) + ", value: "
                            + feelString(value) + "}")
                    .collect(Collectors.joining(", ", "[", "]")));
        }
        field.remove("values");
        field.remove("valuesKey");
        field.put("valuesExpression", "=" + byChosenPartnership(options));
        return true;
    }

    /** A FEEL expression: the entry of this context under the partnership the form has chosen. */
    private static String byChosenPartnership(Map<String, String> feelByKey) {
        return feelByKey.entrySet().stream().map(e -> feelString(e.getKey()) + ": " + e.getValue())
                .collect(Collectors.joining(", ", "get value({", "}, " + Variables.PARTNERSHIP_KEY + ")"));
    }

    static String feelString(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private List<FormChoices.PartnershipChoice> active() {
        if (active == null) {
            active = partnerships.get();
        }
        return active;
    }
}
