package org.partneraccess;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.camunda.bpm.engine.impl.bpmn.behavior.UserTaskActivityBehavior;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.bpmn.parser.BpmnParseListener;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.persistence.entity.ProcessDefinitionEntity;
import org.camunda.bpm.engine.impl.pvm.process.ActivityImpl;
import org.camunda.bpm.engine.impl.pvm.process.ScopeImpl;
import org.camunda.bpm.engine.impl.util.xml.Element;
import org.partneraccess.continuity.OwnerReassignmentVariables;
import org.partneraccess.human.HumanAccessVariables;
import org.partneraccess.machine.MachineAccessVariables;
import org.partneraccess.modelchange.ModelChangeReviewVariables;
import org.partneraccess.partnership.PartnershipVariables;
import org.springframework.stereotype.Component;

/**
 * The wording of user task names, in one place. A model labels its tasks in plain words ("Approve person",
 * "Review partnership after risk downgrade"), so Modeler and the process pictures show no expressions; Tasklist
 * shows the same label with the object it is about written in after the object's word ("Approve person Pat
 * Partner — HIGH"), set as the task's name expression when the model is deployed.
 */
@Component
public class TaskNames extends AbstractProcessEnginePlugin {

    /** The word a process's labels use for its object, and how the object is named at runtime. */
    record Subject(String word, String name, boolean riskTier) {
    }

    private static final Map<String, Subject> SUBJECTS = Map.of(
            ProcessIds.PARTNERSHIP_PROCESS,
            new Subject("partnership", "${" + PartnershipVariables.LEGAL_NAME + "}", true),
            ProcessIds.HUMAN_ACCESS_PROCESS, new Subject("person",
                    "${" + HumanAccessVariables.FIRST_NAME + "} ${" + HumanAccessVariables.LAST_NAME + "}", true),
            ProcessIds.MACHINE_ACCESS_PROCESS,
            new Subject("machine", "\"${" + MachineAccessVariables.WORKLOAD_NAME + "}\"", true),
            ProcessIds.MODEL_CHANGE_REVIEW_PROCESS,
            new Subject("model change", "${" + ModelChangeReviewVariables.MODEL_CHANGE_NAME + "}", false),
            ProcessIds.OWNER_REASSIGNMENT_PROCESS,
            new Subject("ownership", "of ${" + OwnerReassignmentVariables.DEPARTED_USER + "}", false));

    /** What a task's verb asks for, as a noun: the overdue notice says "approval overdue", "review overdue". */
    private static final Map<String, String> WORK = Map.of("approve", "approval", "review", "review",
            "recertify", "recertification", "reassign", "reassignment");
    private static final Pattern QUALIFIER = Pattern.compile("\\s+(of|as|after|for)\\s.*|\\s*\\(.*$");

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        List<BpmnParseListener> listeners = configuration.getCustomPostBPMNParseListeners() == null ? new ArrayList<>()
                : new ArrayList<>(configuration.getCustomPostBPMNParseListeners());
        listeners.add(new AbstractBpmnParseListener() {
            @Override
            public void parseUserTask(Element element, ScopeImpl scope, ActivityImpl activity) {
                runtimeName(((ProcessDefinitionEntity) activity.getProcessDefinition()).getKey(), element.attribute("name")).ifPresent(name ->
                        ((UserTaskActivityBehavior) activity.getActivityBehavior()).getTaskDefinition().setNameExpression(
                                configuration.getExpressionManager().createExpression(name)));
            }
        });
        configuration.setCustomPostBPMNParseListeners(listeners);
    }

    /**
     * The name expression of a task labelled {@code label} in process {@code processKey}: the object's name after the
     * object's word, and the policy's risk tier when the task approves the object itself ("Approve partnership …"),
     * before a trailing qualifier in brackets. Empty when the label stays the name as it is: no label, a label that
     * is already an expression, or a process without a named object.
     */
    static Optional<String> runtimeName(String processKey, String label) {
        Subject subject = SUBJECTS.get(processKey);
        if (label == null || label.isBlank() || subject == null || label.contains("${") || label.contains("#{")) {
            return Optional.empty();
        }
        String object = subject.name();
        if (subject.riskTier() && label.toLowerCase(Locale.ROOT).startsWith("approve " + subject.word())) {
            object += " — ${" + Variables.RISK_TIER + "}";
        }
        Matcher word = Pattern.compile("\\b" + Pattern.quote(subject.word()) + "\\b", Pattern.CASE_INSENSITIVE).matcher(label);
        if (!word.find()) {
            // a label that does not use the object's word still names the object
            return Optional.of(label + ": " + object);
        }
        return Optional.of(label.substring(0, word.end()) + " " + object + label.substring(word.end()));
    }

    /**
     * What a task labelled {@code label} asks for, in words for a notice: "partnership approval", "drift review",
     * "elevation approval", "ownership reassignment"; "task" for a verb this wording does not know.
     */
    public static String work(String label) {
        if (label == null || label.isBlank()) {
            return "task";
        }
        String[] words = label.strip().split("\\s+", 2);
        String work = WORK.get(words[0].toLowerCase(Locale.ROOT));
        if (work == null) {
            return "task";
        }
        String object = words.length < 2 ? "" : QUALIFIER.matcher(words[1]).replaceFirst("").strip();
        return object.isEmpty() ? work : object.toLowerCase(Locale.ROOT) + " " + work;
    }
}
