package org.partneraccess.security.deployment;

import java.util.Set;
import java.util.TreeSet;

import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The deployment policy and the bean restriction, both from the delegates this application context holds. */
@Configuration(proxyBeanMethods = false)
class DeploymentPolicyConfiguration {

    @Bean
    DeploymentPolicyPlugin deploymentPolicyPlugin(ApplicationContext context) {
        return new DeploymentPolicyPlugin(DelegateBeans.of(context));
    }

    @Bean
    ExpressionBeans expressionBeans(ApplicationContext context) {
        Set<String> names = new TreeSet<>(DelegateBeans.of(context));
        for (String helper : DeploymentAllowList.HELPER_BEANS.keySet()) {
            if (!context.containsBean(helper)) {
                throw new IllegalStateException("The allow-listed helper bean " + helper + " does not exist");
            }
            names.add(helper);
        }
        return new ExpressionBeans(context, names);
    }
}
