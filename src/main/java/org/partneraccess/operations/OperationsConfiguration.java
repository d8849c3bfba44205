package org.partneraccess.operations;

import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Health, metrics and the logging context of API requests. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableConfigurationProperties(OperationsProperties.class)
class OperationsConfiguration {

    @Bean
    FilterRegistrationBean<RequestLoggingContext> requestLoggingContext() {
        FilterRegistrationBean<RequestLoggingContext> registration = new FilterRegistrationBean<>(new RequestLoggingContext());
        registration.addUrlPatterns("/api/*");
        // before Spring Security, so that its log lines carry the context too
        registration.setOrder(SecurityProperties.DEFAULT_FILTER_ORDER - 1);
        return registration;
    }
}
