package org.partneraccess.security.deployment;

import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.spring.SpringExpressionManager;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.context.ApplicationContext;

/**
 * Expressions resolve only the allow-listed beans, not the whole application context: the second line of defence,
 * should an expression ever get past the deployment policy. Camunda's own mechanism ({@code setBeans}); the Spring
 * engine factory builds its expression manager before the plugins run, so it is replaced here with one that reads the
 * same map.
 */
public class ExpressionBeans extends AbstractProcessEnginePlugin {

    private final ApplicationContext context;
    private final Set<String> names;

    public ExpressionBeans(ApplicationContext context, Set<String> names) {
        this.context = context;
        this.names = Set.copyOf(names);
    }

    public Set<String> names() {
        return names;
    }

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        Map<Object, Object> beans = new AllowListedBeans(context, names);
        configuration.setBeans(beans);
        configuration.setExpressionManager(new SpringExpressionManager(context, beans));
    }

    /**
     * The allow-listed beans, each looked up when an expression first asks for it: delegates depend on the engine's
     * services, so they cannot be created while the engine is.
     */
    static final class AllowListedBeans extends AbstractMap<Object, Object> {

        private final BeanFactory beans;
        private final Set<String> names;

        AllowListedBeans(BeanFactory beans, Set<String> names) {
            this.beans = beans;
            this.names = Set.copyOf(names);
        }

        @Override
        public boolean containsKey(Object key) {
            return names.contains(key);
        }

        @Override
        public Object get(Object key) {
            return names.contains(key) ? beans.getBean((String) key) : null;
        }

        @Override
        public Set<Entry<Object, Object>> entrySet() {
            return names.stream().map(name -> (Entry<Object, Object>) new SimpleImmutableEntry<Object, Object>(name,
                    beans.getBean(name))).collect(Collectors.toSet());
        }
    }
}
