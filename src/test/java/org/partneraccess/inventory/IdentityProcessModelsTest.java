package org.partneraccess.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BoundaryEvent;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.IntermediateCatchEvent;
import org.camunda.bpm.model.bpmn.instance.MessageEventDefinition;
import org.camunda.bpm.model.bpmn.instance.ReceiveTask;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;
import org.camunda.bpm.model.bpmn.instance.StartEvent;
import org.camunda.bpm.model.bpmn.instance.SubProcess;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaExecutionListener;
import org.camunda.bpm.model.xml.instance.ModelElementInstance;
import org.junit.jupiter.api.Test;
import org.partneraccess.ProcessIds;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;

/**
 * The partnership decides; the process of each person and machine follows one identity message per meaning, handled
 * in one place: no message handled by two elements that can wait at the same time, and no listener that sets a
 * variable (what a trigger means is sent by the application, not written by the model).
 */
class IdentityProcessModelsTest {

    private static final List<String> IDENTITY_PROCESSES = List.of(ProcessIds.HUMAN_ACCESS_PROCESS,
            ProcessIds.MACHINE_ACCESS_PROCESS);
    private static final Set<String> IDENTITY_MESSAGES = Set.of(ProcessIds.MESSAGE_IDENTITY_ACCESS_ENDS,
            ProcessIds.MESSAGE_IDENTITY_ACCESS_SUSPENDED, ProcessIds.MESSAGE_IDENTITY_ACCESS_RESUMED);
    /** What the earlier identity models waited for; sent only to their instances (see IdentityProcesses). */
    private static final Set<String> LEGACY_MESSAGES = Set.of(ProcessIds.MESSAGE_IDENTITY_INCIDENT_REPORTED,
            ProcessIds.MESSAGE_PARTNER_INCIDENT_REPORTED, ProcessIds.MESSAGE_PARTNERSHIP_TERMINATED,
            ProcessIds.MESSAGE_PARTNERSHIP_SUSPENDED, ProcessIds.MESSAGE_PARTNERSHIP_RESUMED,
            ProcessIds.MESSAGE_ACCESS_END_DATE_REACHED, ProcessIds.MESSAGE_MACHINE_UNUSED_REVOKED);

    @Test
    void eachIdentityProcessHandlesEachIdentityMessageInOnePlace() throws IOException {
        for (String process : IDENTITY_PROCESSES) {
            assertHandledOnce(process, model(process));
        }
    }

    @Test
    void noIdentityProcessHasAnExecutionListenerOrSetsAVariableInAnExpression() throws IOException {
        for (String process : IDENTITY_PROCESSES) {
            assertThat(model(process).getModelElementsByType(CamundaExecutionListener.class)).as("listeners of %s", process)
                    .isEmpty();
            try (InputStream in = new ClassPathResource("bpmn/" + process + ".bpmn").getInputStream()) {
                assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                        .as("%s sets no variable in an expression", process).doesNotContain("setVariable");
            }
        }
    }

    /** The check itself: it refuses a model that handles a message twice or sets a variable in a listener. */
    @Test
    void theCheckRefusesTheEarlierModels() throws IOException {
        BpmnModelInstance earlierMachine = read(new ClassPathResource("earlier-models/MachineAccessProcess.bpmn"));
        assertThat(catches(earlierMachine).get(ProcessIds.MESSAGE_IDENTITY_INCIDENT_REPORTED)).hasSize(2);
        assertThat(earlierMachine.getModelElementsByType(CamundaExecutionListener.class)).isNotEmpty();
        BpmnModelInstance earlierHuman = read(new ClassPathResource("earlier-models/HumanAccessProcess.bpmn"));
        assertThat(handlers(catches(earlierHuman).get(ProcessIds.MESSAGE_PARTNERSHIP_SUSPENDED))).hasSize(2);
    }

    private static void assertHandledOnce(String process, BpmnModelInstance model) {
        Map<String, List<FlowNode>> catches = catches(model);
        assertThat(catches.keySet()).as("%s catches no earlier trigger message", process).doesNotContainAnyElementsOf(LEGACY_MESSAGES);
        for (String message : IDENTITY_MESSAGES) {
            List<FlowNode> catching = catches.getOrDefault(message, List.of());
            assertThat(catching).as("%s catches %s", process, message).isNotEmpty();
            List<FlowNode> handlers = handlers(catching);
            assertThat(handlers).as("%s handles %s in one boundary event or event subprocess at most", process, message)
                    .hasSizeLessThanOrEqualTo(1);
            // a second catch only on the path the one handler starts (the machine's retention): never waiting at once
            FlowNode first = handlers.isEmpty() ? catching.get(0) : handlers.get(0);
            Set<FlowNode> after = downstream(first);
            for (FlowNode other : catching) {
                if (other != first) {
                    assertThat(after).as("%s: %s caught by %s also waits while %s does", process, message, other.getId(),
                            first.getId()).contains(other);
                }
            }
        }
    }

    /** Boundary events and the start events of event subprocesses: where a message interrupts whatever runs. */
    private static List<FlowNode> handlers(List<FlowNode> catching) {
        return catching.stream().filter(node -> node instanceof BoundaryEvent || node instanceof StartEvent).toList();
    }

    private static Map<String, List<FlowNode>> catches(BpmnModelInstance model) {
        Map<String, List<FlowNode>> catches = new LinkedHashMap<>();
        for (MessageEventDefinition definition : model.getModelElementsByType(MessageEventDefinition.class)) {
            ModelElementInstance event = definition.getParentElement();
            boolean catching = event instanceof BoundaryEvent || event instanceof IntermediateCatchEvent
                    || event instanceof StartEvent start && start.getParentElement() instanceof SubProcess;
            if (catching && definition.getMessage() != null) {
                catches.computeIfAbsent(definition.getMessage().getName(), name -> new ArrayList<>()).add((FlowNode) event);
            }
        }
        for (ReceiveTask task : model.getModelElementsByType(ReceiveTask.class)) {
            catches.computeIfAbsent(task.getMessage().getName(), name -> new ArrayList<>()).add(task);
        }
        return catches;
    }

    private static Set<FlowNode> downstream(FlowNode from) {
        Set<FlowNode> seen = new HashSet<>();
        Deque<FlowNode> next = new ArrayDeque<>(List.of(from));
        while (!next.isEmpty()) {
            for (SequenceFlow flow : next.pop().getOutgoing()) {
                if (seen.add(flow.getTarget())) {
                    next.push(flow.getTarget());
                }
            }
        }
        return seen;
    }

    private static BpmnModelInstance model(String process) throws IOException {
        return read(new ClassPathResource("bpmn/" + process + ".bpmn"));
    }

    private static BpmnModelInstance read(Resource resource) throws IOException {
        try (InputStream in = resource.getInputStream()) {
            return Bpmn.readModelFromStream(in);
        }
    }
}
