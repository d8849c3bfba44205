package org.partneraccess.security.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Properties;
import java.util.Set;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cfg.StandaloneInMemProcessEngineConfiguration;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.support.GenericApplicationContext;

/**
 * The second line of defence on its own: an engine without the deployment policy, so a model naming any bean is
 * deployed, still resolves only the allow-listed beans of the application context.
 */
class ExpressionBeansTest {

    private static GenericApplicationContext context;
    private static Engine engine;

    /** A record, not a field of type ProcessEngine: Camunda's test extensions fill those with their own engine. */
    private record Engine(ProcessEngine processEngine) {
    }

    @BeforeAll
    static void engineWithRestrictedBeans() {
        context = new GenericApplicationContext();
        Properties secrets = new Properties();
        secrets.setProperty("password", "s3cret");
        context.registerBean("environment", Properties.class, () -> secrets);
        Properties helper = new Properties();
        helper.setProperty("greeting", "hello");
        context.registerBean("helper", Properties.class, () -> helper);
        context.refresh();

        StandaloneInMemProcessEngineConfiguration configuration = new StandaloneInMemProcessEngineConfiguration();
        configuration.setProcessEngineName("restricted-beans");
        configuration.setJdbcUrl("jdbc:h2:mem:restricted-beans;DB_CLOSE_DELAY=1000");
        configuration.setJobExecutorActivate(false);
        configuration.setProcessEnginePlugins(List.of(new ExpressionBeans(context, Set.of("helper"))));
        engine = new Engine(configuration.buildProcessEngine());
    }

    @AfterAll
    static void close() {
        engine.processEngine().close();
        context.close();
    }

    @Test
    void anAllowListedBeanResolves() {
        deploy("ReadsHelper", "${execution.setVariable('read', helper.getProperty('greeting'))}");

        String instance = engine.processEngine().getRuntimeService().startProcessInstanceByKey("ReadsHelper").getId();

        assertThat(engine.processEngine().getRuntimeService().getVariable(instance, "read")).isEqualTo("hello");
    }

    @Test
    void aBeanOffTheListDoesNotResolveThoughTheContextHasIt() {
        assertThat(context.containsBean("environment")).isTrue();
        deploy("ReadsEnvironment", "${execution.setVariable('leak', environment.getProperty('password'))}");

        assertThatThrownBy(() -> engine.processEngine().getRuntimeService().startProcessInstanceByKey("ReadsEnvironment"))
                .isInstanceOf(ProcessEngineException.class).hasMessageContaining("environment")
                .hasMessageNotContaining("s3cret");
        ProcessEngineConfigurationImpl configuration =
                (ProcessEngineConfigurationImpl) engine.processEngine().getProcessEngineConfiguration();
        assertThat(configuration.getBeans().containsKey("environment")).isFalse();
        assertThat(configuration.getBeans().containsKey("helper")).isTrue();
        assertThat(engine.processEngine().getRuntimeService().createProcessInstanceQuery().count()).isEqualTo(
                engine.processEngine().getRuntimeService().createProcessInstanceQuery().processDefinitionKey("ReadsHelper")
                        .count());
    }

    private static void deploy(String key, String expression) {
        engine.processEngine().getRepositoryService().createDeployment().addModelInstance(key + ".bpmn",
                Bpmn.createExecutableProcess(key).camundaHistoryTimeToLive(1).startEvent()
                        .serviceTask("Task_Evaluate").camundaExpression(expression)
                        .userTask("Task_Wait").endEvent().done()).deploy();
    }
}
