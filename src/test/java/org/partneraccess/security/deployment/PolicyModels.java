package org.partneraccess.security.deployment;

/**
 * Models for the deployment policy's tests, kept apart from the unit test: touching that class starts its in-memory
 * engine, which would then answer as the process engine of an integration test's running application.
 */
final class PolicyModels {

    private PolicyModels() {
    }

    static String process(String body) {
        return process(body, "");
    }

    static String process(String body, String definitions) {
        String start = body.contains("<bpmn:startEvent") ? "" : "<bpmn:startEvent id=\"StartEvent_Template\" />";
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                    id="Definitions_Attack" targetNamespace="http://bpmn.io/schema/bpmn">
                  %s
                  <bpmn:process id="AttackProcess" isExecutable="true" camunda:historyTimeToLive="P1D">
                  %s
                  %s
                  </bpmn:process>
                </bpmn:definitions>
                """.formatted(definitions, start, body);
    }

    static String decision(String definitions, String input, String inputEntry, String outputEntry) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" xmlns:camunda="http://camunda.org/schema/1.0/dmn"
                    id="Definitions_Attack" name="Attack" namespace="http://camunda.org/schema/1.0/dmn" %s>
                  <decision id="AttackDecision" name="Attack" camunda:historyTimeToLive="P1D">
                    <decisionTable id="DecisionTable_1">
                      <input id="Input_1"><inputExpression id="InputExpression_1" typeRef="string" %s><text>kind</text></inputExpression></input>
                      <output id="Output_1" name="tier" typeRef="string" />
                      <rule id="Rule_1">
                        <inputEntry id="InputEntry_1" %s><text>"a"</text></inputEntry>
                        <outputEntry id="OutputEntry_1" %s><text>"LOW"</text></outputEntry>
                      </rule>
                    </decisionTable>
                  </decision>
                </definitions>
                """.formatted(definitions, input, inputEntry, outputEntry);
    }
}
