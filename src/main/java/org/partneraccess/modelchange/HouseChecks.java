package org.partneraccess.modelchange;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.BusinessRuleTask;
import org.camunda.bpm.model.bpmn.instance.CatchEvent;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.MessageEventDefinition;
import org.camunda.bpm.model.bpmn.instance.ReceiveTask;
import org.camunda.bpm.model.bpmn.instance.SendTask;
import org.camunda.bpm.model.bpmn.instance.ServiceTask;
import org.camunda.bpm.model.bpmn.instance.ThrowEvent;
import org.camunda.bpm.model.bpmn.instance.UserTask;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaExecutionListener;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaFailedJobRetryTimeCycle;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaTaskListener;
import org.camunda.bpm.model.xml.instance.ModelElementInstance;
import org.partneraccess.ProcessIds;
import org.partneraccess.security.FormFields;
import org.partneraccess.security.SavePoints;

/**
 * The house rules a changed process must still keep, as a verdict per rule for the reviewer: user tasks declare their
 * segregation rule and a shipped form, every Keycloak or mail call is a save point, every message of the contract the
 * live version catches is still caught. A FAILED rule is shown, not refused: weighing it is the security officer's
 * review (the deployment checks refuse what would run code or skip segregation).
 */
final class HouseChecks {

    static final String PASSED = "PASSED";
    static final String FAILED = "FAILED";

    private static final Pattern BEAN = Pattern.compile("^[$#]\\{\\s*(\\w+)\\s*}$");
    private static final FormFields FORMS = FormFields.shipped();

    private HouseChecks() {
    }

    /** A file the engine deploys as a BPMN process. */
    static boolean isProcess(String name) {
        return name.endsWith(".bpmn") || name.endsWith(".bpmn20.xml");
    }

    /** The verdicts for every process of the change ({@code live}: the file names' live contents). */
    static List<String> of(Map<String, String> changed, Map<String, String> live, Bpmnlint lint) {
        List<String> lines = new ArrayList<>();
        changed.forEach((name, content) -> {
            if (isProcess(name)) {
                lines.add("House checks of " + name + " (on FAILED, you decide):");
                BpmnModelInstance model = model(content);
                lines.addAll(List.of(segregation(model), forms(model), savePoints(model),
                        messages(model, live.get(name) == null ? null : model(live.get(name))), lint.verdict(content)));
            }
        });
        return lines;
    }

    private static String segregation(BpmnModelInstance model) {
        int tasks = model.getModelElementsByType(UserTask.class).size();
        return verdict(List.of(), "every user task (" + tasks + ") declares its segregation rule"
                + " (a task without one is refused before review)");
    }

    private static String forms(BpmnModelInstance model) {
        List<String> wrong = new ArrayList<>();
        for (UserTask task : model.getModelElementsByType(UserTask.class)) {
            String form = task.getCamundaFormRef();
            if (form == null || !FORMS.exists(form)) {
                wrong.add(task.getId() + (form == null ? " has no form" : " uses form " + form + ", which is not shipped"
                        + " (its fields could not be submitted)"));
            }
        }
        return verdict(wrong, "every user task uses a shipped form");
    }

    private static String savePoints(BpmnModelInstance model) {
        List<String> wrong = new ArrayList<>();
        Map<FlowNode, String> calls = new java.util.LinkedHashMap<>();
        model.getModelElementsByType(ServiceTask.class).forEach(task -> calls.put(task, task.getCamundaDelegateExpression()));
        model.getModelElementsByType(SendTask.class).forEach(task -> calls.put(task, task.getCamundaDelegateExpression()));
        model.getModelElementsByType(BusinessRuleTask.class)
                .forEach(task -> calls.put(task, task.getCamundaDelegateExpression()));
        calls.forEach((activity, expression) -> {
            String bean = savePointBean(expression);
            if (bean != null && !isSavePoint(activity)) {
                wrong.add(activity.getId() + " calls " + bean + " without asyncBefore and a retry cycle");
            }
        });
        for (MessageEventDefinition definition : model.getModelElementsByType(MessageEventDefinition.class)) {
            String bean = savePointBean(definition.getCamundaDelegateExpression());
            if (bean != null && definition.getParentElement() instanceof ThrowEvent event && !isSavePoint(event)) {
                wrong.add(event.getId() + " calls " + bean + " without asyncBefore and a retry cycle");
            }
        }
        for (CamundaExecutionListener listener : model.getModelElementsByType(CamundaExecutionListener.class)) {
            listenerCall(listener, savePointBean(listener.getCamundaDelegateExpression()), wrong);
        }
        for (CamundaTaskListener listener : model.getModelElementsByType(CamundaTaskListener.class)) {
            listenerCall(listener, savePointBean(listener.getCamundaDelegateExpression()), wrong);
        }
        return verdict(wrong, "every Keycloak or mail call is a save point (asyncBefore with a retry cycle)");
    }

    private static void listenerCall(ModelElementInstance listener, String bean, List<String> wrong) {
        if (bean != null) {
            wrong.add(owner(listener) + " calls " + bean + " from a listener, which is never a save point");
        }
    }

    private static String messages(BpmnModelInstance model, BpmnModelInstance live) {
        if (live == null) {
            return verdict(List.of(), "every contract message the live version catches is still caught (none: no live version)");
        }
        Set<String> kept = caught(live);
        kept.retainAll(ProcessIds.MESSAGES);
        Set<String> lost = new TreeSet<>(kept);
        lost.removeAll(caught(model));
        return verdict(lost.stream().map(message -> message + " is no longer caught").toList(),
                "every contract message the live version catches is still caught "
                        + "(" + (kept.isEmpty() ? "it catches none" : String.join(", ", kept)) + ")");
    }

    private static Set<String> caught(BpmnModelInstance model) {
        Set<String> names = new TreeSet<>();
        for (MessageEventDefinition definition : model.getModelElementsByType(MessageEventDefinition.class)) {
            if (definition.getParentElement() instanceof CatchEvent && definition.getMessage() != null) {
                names.add(definition.getMessage().getName());
            }
        }
        for (ReceiveTask task : model.getModelElementsByType(ReceiveTask.class)) {
            if (task.getMessage() != null) {
                names.add(task.getMessage().getName());
            }
        }
        return names;
    }

    private static boolean isSavePoint(FlowNode node) {
        return node.isCamundaAsyncBefore() && node.getExtensionElements() != null
                && !node.getExtensionElements().getChildElementsByType(CamundaFailedJobRetryTimeCycle.class).isEmpty();
    }

    /** The save-point bean a delegate expression names, or null. */
    private static String savePointBean(String expression) {
        if (expression == null) {
            return null;
        }
        Matcher bean = BEAN.matcher(expression.strip());
        return bean.matches() && SavePoints.DELEGATES.contains(bean.group(1)) ? bean.group(1) : null;
    }

    private static String owner(ModelElementInstance element) {
        for (ModelElementInstance parent = element.getParentElement(); parent != null; parent = parent.getParentElement()) {
            if (parent instanceof BaseElement base && base.getId() != null) {
                return base.getId();
            }
        }
        return "the process";
    }

    private static String verdict(Collection<String> failures, String rule) {
        return failures.isEmpty() ? "  " + PASSED + " " + rule
                : "  " + FAILED + " " + rule + ": " + String.join("; ", failures);
    }

    private static BpmnModelInstance model(String content) {
        return Bpmn.readModelFromStream(new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)));
    }
}
