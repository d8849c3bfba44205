package org.partneraccess.security;

import java.util.ArrayList;
import java.util.List;

import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.bpmn.behavior.UserTaskActivityBehavior;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.bpmn.parser.BpmnParse;
import org.camunda.bpm.engine.impl.bpmn.parser.BpmnParseListener;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.pvm.process.ActivityImpl;
import org.camunda.bpm.engine.impl.pvm.process.ScopeImpl;
import org.camunda.bpm.engine.impl.util.xml.Element;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/**
 * Segregation of duties in one place: every user task of every deployment gets one listener with the rule it
 * declares, so a new task cannot forget it, and a task that declares none is not deployed.
 */
@Component
class SegregationOfDutiesPlugin extends AbstractProcessEnginePlugin {

    private final TaskDecisionLog decisions;

    /** Lazy: the decision record reads staff groups through the engine this plugin configures. */
    @Autowired
    public SegregationOfDutiesPlugin(@Lazy TaskDecisionLog decisions) {
        this.decisions = decisions;
    }

    /** For the in-memory process unit tests' engine: the rules hold there too, on a decision log kept in memory. */
    public SegregationOfDutiesPlugin() {
        this(TaskDecisionLog.inMemory());
    }

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        List<BpmnParseListener> listeners = configuration.getCustomPostBPMNParseListeners() == null ? new ArrayList<>()
                : new ArrayList<>(configuration.getCustomPostBPMNParseListeners());
        FormFields forms = FormFields.shipped();
        listeners.add(new AbstractBpmnParseListener() {
            @Override
            public void parseUserTask(Element element, ScopeImpl scope, ActivityImpl activity) {
                SegregationRules rules = SegregationRules.parse(activity.getId(), declaration(element));
                ((UserTaskActivityBehavior) activity.getActivityBehavior()).getTaskDefinition()
                        .addTaskListener(TaskListener.EVENTNAME_COMPLETE, new SegregationOfDutiesListener(rules, decisions, forms));
            }
        });
        configuration.setCustomPostBPMNParseListeners(listeners);
    }

    private static String declaration(Element task) {
        Element extensions = task.element("extensionElements");
        Element properties = extensions == null ? null : extensions.elementNS(BpmnParse.CAMUNDA_BPMN_EXTENSIONS_NS, "properties");
        if (properties == null) {
            return null;
        }
        return properties.elementsNS(BpmnParse.CAMUNDA_BPMN_EXTENSIONS_NS, "property").stream()
                .filter(property -> SegregationRules.PROPERTY.equals(property.attribute("name")))
                .map(property -> property.attribute("value")).findFirst().orElse(null);
    }
}
