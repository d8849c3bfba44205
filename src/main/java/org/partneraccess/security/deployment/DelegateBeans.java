package org.partneraccess.security.deployment;

import java.util.Set;
import java.util.TreeSet;

import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.annotation.AnnotationBeanNameGenerator;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AssignableTypeFilter;
import org.springframework.stereotype.Component;

/**
 * The beans a {@code camunda:delegateExpression} may name: the application's own delegates and listeners, found by
 * type rather than listed by hand, so a new delegate needs no second registration.
 */
final class DelegateBeans {

    static final Set<Class<?>> TYPES = Set.of(JavaDelegate.class, TaskListener.class, ExecutionListener.class);

    private DelegateBeans() {
    }

    /** The delegate beans of the running application context. */
    static Set<String> of(ListableBeanFactory beans) {
        Set<String> names = new TreeSet<>();
        for (Class<?> type : TYPES) {
            // no eager initialisation: the engine is being built, and delegates depend on its services
            for (String name : beans.getBeanNamesForType(type, false, false)) {
                Class<?> beanType = beans.getType(name, false);
                if (beanType != null && inApplication(beanType)) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    /** The same names from the class path, for an engine without the application context. */
    static Set<String> scan() {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        TYPES.forEach(type -> scanner.addIncludeFilter(new AssignableTypeFilter(type)));
        AnnotationBeanNameGenerator naming = AnnotationBeanNameGenerator.INSTANCE;
        DefaultListableBeanFactory registry = new DefaultListableBeanFactory();
        Set<String> names = new TreeSet<>();
        for (BeanDefinition candidate : scanner.findCandidateComponents(DeploymentAllowList.DELEGATE_PACKAGE)) {
            if (((AnnotatedBeanDefinition) candidate).getMetadata().isAnnotated(Component.class.getName())) {
                names.add(naming.generateBeanName(candidate, registry));
            }
        }
        return names;
    }

    private static boolean inApplication(Class<?> type) {
        return type.getName().startsWith(DeploymentAllowList.DELEGATE_PACKAGE + ".");
    }
}
