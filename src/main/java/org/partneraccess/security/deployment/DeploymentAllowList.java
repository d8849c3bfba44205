package org.partneraccess.security.deployment;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a deployed model may name, in one place. Extending it is a code change, reviewed like any other: a model
 * owner can combine what is here, never reach past it.
 */
public final class DeploymentAllowList {

    /** Helper beans an expression may call, with the methods (name/number of arguments) the shipped models use. */
    public static final Map<String, Set<String>> HELPER_BEANS = Map.of(
            "sponsors", Set.of("of/1", "none/0"),
            "expiryBackstop", Set.of("dueAfter/1"));

    /**
     * Calls on the engine's own objects: variables only. These objects reach every engine service
     * ({@code getProcessEngineServices()}) with no authorization check.
     */
    public static final Map<String, Set<String>> ENGINE_OBJECTS = Map.of(
            "execution", Set.of("getVariable/1", "getVariableLocal/1", "getVariableLocalTyped/1", "setVariable/2"),
            "task", Set.of(),
            "caseExecution", Set.of(),
            "externalTask", Set.of());

    /** Where the beans a {@code camunda:delegateExpression} may name live: the application's own delegates. */
    public static final String DELEGATE_PACKAGE = "org.partneraccess";

    /**
     * The resources a deployment may hold: models and Camunda Forms. HTML or script would be an embedded form, run in
     * an approver's Tasklist session.
     */
    public static final List<String> RESOURCE_SUFFIXES = List.of(".bpmn", ".bpmn20.xml", ".dmn", ".dmn11.xml", ".form");

    private DeploymentAllowList() {
    }
}
