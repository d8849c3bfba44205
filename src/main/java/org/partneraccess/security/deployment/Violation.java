package org.partneraccess.security.deployment;

/** One refused construct: the rule it breaks, what was found, and the id of the model element it belongs to. */
record Violation(String rule, String detail, String elementId) {

    String message() {
        return "Refused by the deployment policy (" + rule + ")" + (elementId == null ? "" : " in " + elementId)
                + ": " + detail;
    }
}
