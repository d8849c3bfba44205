package org.partneraccess.security;

import java.util.ArrayList;
import java.util.List;

import org.camunda.bpm.engine.ProcessEngineException;
import org.partneraccess.Variables;

/**
 * The segregation-of-duties rule a user task declares ({@code <camunda:property name="segregation" value="…"/>}): who
 * may not complete it. A comma-separated list of {@code requester}, {@code scopeChangeRequester},
 * {@code elevationRequester} (the one who asked for what is decided), {@code decider:<task id>} (whoever decided that
 * earlier task of the same instance), {@code assignee} (nobody but the task's assignee) — or {@code none}, said
 * explicitly. Requesters come from the variables the application sets at the start and staff cannot write; earlier
 * deciders from the decision record. A user task without a declaration cannot be deployed.
 */
record SegregationRules(String taskId, List<String> excludedVariables, List<String> earlierDeciders, boolean assigneeOnly) {

    static final String PROPERTY = "segregation";
    private static final String DECIDER = "decider:";

    static SegregationRules parse(String taskId, String declaration) {
        if (declaration == null || declaration.isBlank()) {
            throw new ProcessEngineException("User task " + taskId + " declares no segregation of duties rule: add "
                    + "<camunda:property name=\"" + PROPERTY + "\" value=\"requester|decider:<task id>|assignee|none\"/>");
        }
        List<String> excluded = new ArrayList<>();
        List<String> deciders = new ArrayList<>();
        boolean assigneeOnly = false;
        for (String token : declaration.split(",")) {
            String rule = token.trim();
            switch (rule) {
                case "none" -> { }
                case "assignee" -> assigneeOnly = true;
                case "requester" -> excluded.add(Variables.REQUESTER);
                case "scopeChangeRequester" -> excluded.add(Variables.SCOPE_CHANGE_REQUESTER);
                case "elevationRequester" -> excluded.add(Variables.ELEVATION_REQUESTER);
                default -> {
                    if (!rule.startsWith(DECIDER) || rule.length() == DECIDER.length()) {
                        throw new ProcessEngineException("User task " + taskId + ": unknown segregation rule '" + rule + "'");
                    }
                    deciders.add(rule.substring(DECIDER.length()));
                }
            }
        }
        return new SegregationRules(taskId, List.copyOf(excluded), List.copyOf(deciders), assigneeOnly);
    }
}
