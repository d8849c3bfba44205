package org.partneraccess.security.deployment;

import java.util.List;

/**
 * One refused construct: the rule it breaks, what was found, and the ids of the model elements it stands in, innermost
 * first (an event definition, then its event).
 */
record Violation(String rule, String detail, List<String> elementIds) {

    Violation(String rule, String detail, String elementId) {
        this(rule, detail, elementId == null ? List.of() : List.of(elementId));
    }

    String elementId() {
        return elementIds.isEmpty() ? null : elementIds.get(0);
    }

    String message() {
        return "Refused by the deployment policy (" + rule + ")" + (elementId() == null ? "" : " in " + elementId())
                + ": " + detail;
    }
}
