package org.partneraccess;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;

import org.camunda.bpm.engine.delegate.VariableScope;
import org.camunda.spin.json.SpinJsonNode;

/** Process variable names. Variables hold ids and decisions, never secrets. */
public final class Variables {

    public static final String REQUESTER = "requester";
    public static final String PARTNERSHIP_KEY = "partnershipKey";
    public static final String LEGAL_NAME = "legalName";
    public static final String SPONSOR = "sponsor";
    public static final String BUSINESS_OWNER = "businessOwner";
    public static final String TECHNICAL_OWNER = "technicalOwner";
    public static final String PURPOSE = "purpose";
    public static final String DATA_CLASSES = "dataClasses";
    public static final String ENVIRONMENTS = "environments";
    public static final String CLIENT_SCOPES = "clientScopes";
    public static final String END_DATE = "endDate";
    public static final String CONTACT_EMAIL = "contactEmail";
    public static final String CONTACT_FIRST_NAME = "contactFirstName";
    public static final String CONTACT_LAST_NAME = "contactLastName";
    public static final String SPONSOR_APPROVED = "sponsorApproved";
    public static final String SPONSOR_COMMENT = "sponsorComment";
    public static final String CONTACT_IDENTITY_ID = "contactIdentityId";
    public static final String SPONSOR_DECIDED_BY = decidedBy(ProcessIds.TASK_APPROVE_AS_SPONSOR);

    /** Who completed an approval task: set by the segregation-of-duties listener, never by a form. */
    public static String decidedBy(String taskDefinitionKey) {
        return "decidedBy_" + taskDefinitionKey;
    }

    public static String string(VariableScope scope, String name) {
        Object value = scope.getVariable(name);
        return value == null ? null : value.toString().trim();
    }

    /** A set of names as forms (JSON arrays), the REST API (lists) or scripts (comma separated text) send it. */
    public static Set<String> stringSet(VariableScope scope, String name) {
        Object value = scope.getVariable(name);
        Collection<?> items;
        if (value == null) {
            items = Set.of();
        } else if (value instanceof SpinJsonNode json && json.isArray()) {
            items = json.elements().stream().map(node -> node.isString() ? node.stringValue() : node.toString()).toList();
        } else if (value instanceof Collection<?> collection) {
            items = collection;
        } else {
            items = Arrays.asList(value.toString().split(","));
        }
        return items.stream().map(item -> String.valueOf(item).trim()).filter(item -> !item.isEmpty())
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** A date as a form's date field sends it (ISO text) or as a Java date; null when absent or unreadable. */
    public static LocalDate date(VariableScope scope, String name) {
        Object value = scope.getVariable(name);
        if (value instanceof LocalDate date) {
            return date;
        }
        if (value instanceof java.util.Date date) {
            return date.toInstant().atZone(java.time.ZoneOffset.UTC).toLocalDate();
        }
        try {
            return value == null || value.toString().isBlank() ? null : LocalDate.parse(value.toString().trim().substring(0, 10));
        } catch (DateTimeParseException | StringIndexOutOfBoundsException e) {
            return null;
        }
    }

    private Variables() {
    }
}
