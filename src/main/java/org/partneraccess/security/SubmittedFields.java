package org.partneraccess.security;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.camunda.bpm.engine.impl.form.validator.FormFieldValidationException;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.interceptor.CommandExecutor;
import org.camunda.bpm.engine.impl.persistence.deploy.cache.DeploymentCache;
import org.camunda.bpm.engine.impl.persistence.entity.ProcessDefinitionEntity;
import org.camunda.bpm.engine.impl.persistence.entity.TaskEntity;
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
        Map<String, Object> variables = EngineCommandGuard.variables(submitted);
        if (variables.isEmpty()) {
            return;
        }
        TaskFormLookup form = engine.execute(new TaskFormLookup(taskId, List.copyOf(variables.keySet())));
        if (form.formId == null && form.current == null) {
            return; // no such task: the command itself answers 404
        }
        check(form.formId, variables, form.current, "task");
    }

    void checkStart(CommandExecutor engine, String definitionId, String definitionKey, String businessKey,
                    Object submitted) {
        if (businessKey != null && !businessKey.isBlank()) {
            throw new FormFieldValidationException("businessKey",
                    "businessKey: the server assigns business keys; a start may not name one");
        }
        String formId = engine.execute(new StartFormLookup(definitionId, definitionKey));
        check(formId, EngineCommandGuard.variables(submitted), Map.of(), "start");
    }

    private void check(String formId, Map<String, Object> variables, Map<String, Object> current, String what) {
        Map<String, FormFields.Field> declared = formId == null ? Map.of() : forms.of(formId);
        List<String> refusals = new ArrayList<>();
        for (String name : EngineCommandGuard.sorted(variables.keySet())) {
            FormFields.Field field = declared.get(name);
            Object value = EngineCommandGuard.valueOf(variables, name);
            if (field == null) {
                refusals.add(name + ": not a field of this " + what + "'s form" + (formId == null ? "" : " " + formId));
            } else if (!field.editable()) {
                if (!Objects.equals(String.valueOf(value), String.valueOf(current.get(name)))) {
                    refusals.add(name + ": shown by the form, not to be changed");
                }
            } else {
                field.refusal(value).ifPresent(reason -> refusals.add(name + ": " + reason));
            }
        }
        if (!refusals.isEmpty()) {
            throw new FormFieldValidationException(refusals.get(0).substring(0, refusals.get(0).indexOf(':')),
                    "Refused: " + String.join("; ", refusals));
        }
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

    private static final class TaskFormLookup implements Command<TaskFormLookup>, Lookup {
        private final String taskId;
        private final List<String> names;
        String formId;
        Map<String, Object> current;

        TaskFormLookup(String taskId, List<String> names) {
            this.taskId = taskId;
            this.names = names;
        }

        @Override
        public TaskFormLookup execute(CommandContext context) {
            TaskEntity task = taskId == null ? null : context.getTaskManager().findTaskById(taskId);
            if (task == null) {
                return this;
            }
            current = new LinkedHashMap<>();
            names.forEach(name -> current.put(name, task.getVariable(name)));
            if (task.getProcessDefinitionId() != null) {
                ProcessDefinitionEntity definition = context.getProcessEngineConfiguration().getDeploymentCache()
                        .findDeployedProcessDefinitionById(task.getProcessDefinitionId());
                formId = formRef(context, definition, task.getTaskDefinitionKey());
            }
            return this;
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
