package org.partneraccess.forms;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
class FormsConfiguration {

    /** Both doors Tasklist may load a form through: its session API and the engine REST API. */
    @Bean
    FilterRegistrationBean<GuidedFormFilter> guidedForms(ObjectMapper json, FormChoices choices) {
        FilterRegistrationBean<GuidedFormFilter> registration = new FilterRegistrationBean<>(new GuidedFormFilter(json, choices));
        registration.setName("guided-forms");
        registration.addUrlPatterns("/engine-rest/*", "/camunda/api/engine/*");
        return registration;
    }
}
