package org.partneraccess.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * The fields each Camunda Form of {@code forms/} declares, read once from the forms the application ships: what a start
 * or a user task may set is exactly its form's editable fields, typed as the form types them. Disabled fields are
 * shown, never submitted.
 */
public final class FormFields {

    /**
     * One field of a form: its key, its type, for choices the values it offers, and for the reason of a rejection the
     * approve checkbox it explains (the form's custom property {@value #REASON_FOR}).
     */
    public record Field(String key, String type, boolean editable, Set<String> choices, Integer maxLength,
                        String reasonFor) {

        /** Why this value does not fit the field, or empty when it does. */
        Optional<String> refusal(Object value) {
            if (value == null) {
                return Optional.empty();
            }
            return switch (type) {
                case "checkbox" -> value instanceof Boolean ? Optional.empty() : Optional.of("must be true or false");
                case "number" -> value instanceof Number || isNumber(value) ? Optional.empty() : Optional.of("must be a number");
                case "checklist" -> values(value).stream().filter(v -> !choices.isEmpty() && !choices.contains(v))
                        .findFirst().map(v -> "offers no value '" + v + "'");
                case "radio", "select" -> !(value instanceof String text) ? Optional.of("must be text")
                        : choices.isEmpty() || choices.contains(text) ? Optional.empty()
                        : Optional.of("must be one of " + choices);
                default -> !(value instanceof String text) ? Optional.of("must be text")
                        : maxLength != null && text.length() > maxLength
                        ? Optional.of("must be at most " + maxLength + " characters") : Optional.empty();
            };
        }

        private static boolean isNumber(Object value) {
            try {
                Double.parseDouble(String.valueOf(value));
                return true;
            } catch (NumberFormatException e) {
                return false;
            }
        }

        /** A checklist arrives as a JSON array (Tasklist), a list, or comma-separated text (scripts). */
        private static List<String> values(Object value) {
            if (value instanceof Collection<?> collection) {
                return collection.stream().map(String::valueOf).toList();
            }
            String text = String.valueOf(value).trim();
            if (text.startsWith("[")) {
                try {
                    List<String> items = new java.util.ArrayList<>();
                    JSON.readTree(text).forEach(item -> items.add(item.asText()));
                    return items;
                } catch (IOException e) {
                    return List.of(text);
                }
            }
            return text.isEmpty() ? List.of() : List.of(text.split("\\s*,\\s*"));
        }
    }

    /** The custom property that makes a field the required reason for rejecting with the named checkbox. */
    static final String REASON_FOR = "rejectionReasonFor";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LOCATION = "classpath*:forms/*.form";

    private final Map<String, Map<String, Field>> forms;

    private FormFields(Map<String, Map<String, Field>> forms) {
        this.forms = Map.copyOf(forms);
    }

    /** The forms shipped with the application. */
    public static FormFields shipped() {
        Map<String, Map<String, Field>> forms = new HashMap<>();
        try {
            for (Resource resource : new PathMatchingResourcePatternResolver().getResources(LOCATION)) {
                try (InputStream in = resource.getInputStream()) {
                    JsonNode form = JSON.readTree(in);
                    Map<String, Field> fields = new LinkedHashMap<>();
                    collect(form.path("components"), fields);
                    forms.put(form.path("id").asText(), fields);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the forms", e);
        }
        return new FormFields(forms);
    }

    private static void collect(JsonNode components, Map<String, Field> fields) {
        for (JsonNode component : components) {
            collect(component.path("components"), fields);
            String key = component.path("key").asText(null);
            if (key == null) {
                continue;
            }
            Set<String> choices = new LinkedHashSet<>();
            component.path("values").forEach(choice -> choices.add(choice.path("value").asText()));
            JsonNode maxLength = component.path("validate").path("maxLength");
            boolean editable = !component.path("disabled").asBoolean(false) && !component.path("readonly").asBoolean(false);
            fields.put(key, new Field(key, component.path("type").asText(), editable, Set.copyOf(choices),
                    maxLength.isNumber() ? maxLength.asInt() : null,
                    component.path("properties").path(REASON_FOR).asText(null)));
        }
    }

    public boolean exists(String formId) {
        return forms.containsKey(formId);
    }

    /** Every field of the form by key; empty for an unknown form. */
    public Map<String, Field> of(String formId) {
        return forms.getOrDefault(formId, Map.of());
    }

    public Set<String> formIds() {
        return forms.keySet();
    }

    /**
     * Every approve checkbox of the forms that has a rejection reason, with the key of that reason's field: how a
     * recorded approval task decision reads as "approved" or "rejected, because".
     */
    public Map<String, String> rejectionReasons() {
        Map<String, String> reasons = new HashMap<>();
        forms.values().forEach(fields -> fields.values().stream().filter(field -> field.reasonFor() != null)
                .forEach(field -> reasons.putIfAbsent(field.reasonFor(), field.key())));
        return Map.copyOf(reasons);
    }
}
