package org.partneraccess.security;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.camunda.bpm.engine.impl.form.validator.FormFieldValidationException;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.interceptor.CommandExecutor;
import org.camunda.bpm.engine.impl.persistence.deploy.cache.DeploymentCache;
import org.camunda.bpm.engine.impl.persistence.entity.ProcessDefinitionEntity;
import org.camunda.bpm.engine.impl.persistence.entity.TaskEntity;
import org.camunda.bpm.engine.variable.VariableMap;
import org.camunda.bpm.engine.variable.value.TypedValue;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.StartEvent;
import org.camunda.bpm.model.bpmn.instance.UserTask;

/**
 * What a staff user may submit: a start only its start form's editable fields and no business key (the server assigns
 * keys); a task only its form's editable fields. A shown (disabled) field may come back unchanged, as a form may send
 * it; changed, it is refused. Every refusal names the variable.
 */
final class SubmittedFields {

    /** The guard's own reads; they run inside a command context and are not checked again. */
    interface Lookup {
    }

    private final FormFields forms;

    SubmittedFields(FormFields forms) {
        this.forms = forms;
    }

    void checkTask(CommandExecutor engine, String taskId, Object submitted) {
        Map<String, Object> variables = variables(submitted);
        TaskForm form = engine.execute(new TaskFormLookup(taskId, List.copyOf(variables.keySet())));
        if (form != null) { // no such task: the command itself answers 404
            check(form.formId(), variables, form.current(), "task");
            checkDecision(form.formId(), variables);
        }
    }

    /**
     * A decision is explicit: a form with an approve checkbox gets it, and a rejection (the box submitted unticked)
     * gets its reason, so a decision never rests on a value left over from an earlier round or on a slip.
     */
    private void checkDecision(String formId, Map<String, Object> variables) {
        SortedMap<String, String> refusals = new TreeMap<>();
        for (FormFields.Field reason : forms.of(formId).values()) {
            if (reason.reasonFor() == null) {
                continue;
            }
            Object decision = valueOf(variables, reason.reasonFor());
            if (decision == null) {
                refusals.put(reason.reasonFor(), "decide: true approves, false rejects (with a reason in "
                        + reason.key() + ")");
            } else if (!Boolean.parseBoolean(String.valueOf(decision))
                    && String.valueOf(Objects.requireNonNullElse(valueOf(variables, reason.key()), "")).isBlank()) {
                refusals.put(reason.key(), "a rejection needs a reason; the requester is told it");
            }
        }
        refuse(refusals);
    }

    void checkStart(CommandExecutor engine, String definitionId, String definitionKey, String businessKey,
                    Object submitted) {
        if (businessKey != null && !businessKey.isBlank()) {
            throw new FormFieldValidationException("businessKey",
                    "businessKey: the server assigns business keys; a start may not name one");
        }
        String formId = engine.execute(new StartFormLookup(definitionId, definitionKey));
        check(formId, variables(submitted), Map.of(), "start");
    }

    private void check(String formId, Map<String, Object> variables, Map<String, Object> current, String what) {
        Map<String, FormFields.Field> declared = formId == null ? Map.of() : forms.of(formId);
        SortedMap<String, String> refusals = new TreeMap<>();
        for (String name : variables.keySet()) {
            FormFields.Field field = declared.get(name);
            Object value = valueOf(variables, name);
            if (field == null) {
                refusals.put(name, "not a field of this " + what + "'s form" + (formId == null ? "" : " " + formId));
            } else if (!field.editable()) {
                if (!Objects.equals(String.valueOf(value), String.valueOf(current.get(name)))) {
                    refusals.put(name, "shown by the form, not to be changed");
                }
            } else {
                field.refusal(value).ifPresent(reason -> refusals.put(name, reason));
            }
        }
        refuse(refusals);
    }

    private static void refuse(SortedMap<String, String> refusals) {
        if (!refusals.isEmpty()) {
            throw new FormFieldValidationException(refusals.firstKey(), "Refused: " + refusals.entrySet().stream()
                    .map(refusal -> refusal.getKey() + ": " + refusal.getValue()).collect(Collectors.joining("; ")));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> variables(Object submitted) {
        return submitted == null ? Map.of() : (Map<String, Object>) submitted;
    }

    /** The plain value, whether the map holds typed values (the REST API) or plain ones (the Java API). */
    private static Object valueOf(Map<String, Object> variables, String name) {
        if (variables instanceof VariableMap typed) {
            TypedValue value = typed.getValueTyped(name);
            return value == null ? null : value.getValue();
        }
        return variables.get(name);
    }

    private static String formRef(CommandContext context, ProcessDefinitionEntity definition, String elementId) {
        DeploymentCache cache = context.getProcessEngineConfiguration().getDeploymentCache();
        BpmnModelInstance model = cache.findBpmnModelInstanceForProcessDefinition(definition);
        if (elementId != null) {
            return model.getModelElementById(elementId) instanceof UserTask task ? task.getCamundaFormRef() : null;
        }
        return model.getModelElementsByType(StartEvent.class).stream()
                .filter(start -> start.getParentElement() instanceof Process)
                .map(StartEvent::getCamundaFormRef).filter(Objects::nonNull).findFirst().orElse(null);
    }

    private record TaskForm(String formId, Map<String, Object> current) {
    }

    /** The task's form and the current values of the submitted names; null for no such task. */
    private record TaskFormLookup(String taskId, List<String> names) implements Command<TaskForm>, Lookup {
        @Override
        public TaskForm execute(CommandContext context) {
            TaskEntity task = taskId == null ? null : context.getTaskManager().findTaskById(taskId);
            if (task == null) {
                return null;
            }
            Map<String, Object> current = new HashMap<>();
            names.forEach(name -> current.put(name, task.getVariable(name)));
            String formId = null;
            if (task.getProcessDefinitionId() != null) {
                ProcessDefinitionEntity definition = context.getProcessEngineConfiguration().getDeploymentCache()
                        .findDeployedProcessDefinitionById(task.getProcessDefinitionId());
                formId = formRef(context, definition, task.getTaskDefinitionKey());
            }
            return new TaskForm(formId, current);
        }
    }

    private record StartFormLookup(String definitionId, String definitionKey) implements Command<String>, Lookup {
        @Override
        public String execute(CommandContext context) {
            DeploymentCache cache = context.getProcessEngineConfiguration().getDeploymentCache();
            ProcessDefinitionEntity definition = definitionId != null
                    ? cache.findDeployedProcessDefinitionById(definitionId)
                    : cache.findDeployedLatestProcessDefinitionByKey(definitionKey);
            return formRef(context, definition, null);
        }
    }
}
