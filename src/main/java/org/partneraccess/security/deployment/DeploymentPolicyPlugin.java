package org.partneraccess.security.deployment;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.camunda.bpm.dmn.engine.DmnEngineConfiguration;
import org.camunda.bpm.dmn.engine.impl.DefaultDmnEngineConfiguration;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.BpmnParseFactory;
import org.camunda.bpm.engine.impl.cfg.DefaultBpmnParseFactory;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.persistence.deploy.Deployer;

/**
 * A deployment cannot run code: every BPMN parse, DMN transform and new deployment is checked against the
 * {@link DeploymentAllowList}, whichever way it comes (engine REST, Modeler, the application's own auto-deployment, a
 * definition read back into the cache).
 */
public class DeploymentPolicyPlugin extends AbstractProcessEnginePlugin {

    private final Set<String> delegateBeans;

    /** @param delegateBeans the beans a {@code camunda:delegateExpression} may name */
    public DeploymentPolicyPlugin(Set<String> delegateBeans) {
        this.delegateBeans = Set.copyOf(delegateBeans);
    }

    /** For an engine without the application context (the process unit tests): the delegates found on the class path. */
    public static DeploymentPolicyPlugin withApplicationDelegates() {
        return new DeploymentPolicyPlugin(DelegateBeans.scan());
    }

    public Set<String> delegateBeans() {
        return delegateBeans;
    }

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        BpmnModelCheck bpmn = new BpmnModelCheck(new ExpressionCheck(delegateBeans));
        BpmnParseFactory existing = configuration.getBpmnParseFactory();
        if (existing != null && existing.getClass() != DefaultBpmnParseFactory.class) {
            // fail closed: another parse would bypass the policy
            throw new IllegalStateException("A BPMN parse factory is already set: " + existing.getClass().getName());
        }
        configuration.setBpmnParseFactory(parser -> new PolicyBpmnParse(parser, bpmn));

        if (configuration.getDmnEngineConfiguration() == null) {
            configuration.setDmnEngineConfiguration(
                    (DefaultDmnEngineConfiguration) DmnEngineConfiguration.createDefaultDmnEngineConfiguration());
        }
        DefaultDmnEngineConfiguration dmn = configuration.getDmnEngineConfiguration();
        dmn.getTransformer().getTransformListeners().add(new DmnModelCheck(configuration::getDmnEngineConfiguration));

        List<Deployer> deployers = configuration.getCustomPreDeployers() == null ? new ArrayList<>()
                : new ArrayList<>(configuration.getCustomPreDeployers());
        deployers.add(0, new DeploymentResourceCheck(configuration::getDmnEngineConfiguration));
        configuration.setCustomPreDeployers(deployers);
    }
}
