package org.partneraccess.operations;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Health, metrics, API documentation and the logging context of API requests. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableConfigurationProperties(OperationsProperties.class)
class OperationsConfiguration {

    /** The name under which the OpenAPI document declares the staff bearer token. */
    static final String STAFF_TOKEN = "staff-token";

    @Bean
    FilterRegistrationBean<RequestLoggingContext> requestLoggingContext() {
        FilterRegistrationBean<RequestLoggingContext> registration = new FilterRegistrationBean<>(new RequestLoggingContext());
        registration.addUrlPatterns("/api/*");
        // before Spring Security, so that its log lines carry the context too
        registration.setOrder(SecurityProperties.DEFAULT_FILTER_ORDER - 1);
        return registration;
    }

    @Bean
    OpenAPI partnerAccessApi() {
        return new OpenAPI()
                .info(new Info().title("Partner Access API").version("1")
                        .description("Partnerships, their partner identities and audit evidence. Every call needs an "
                                + "access token of the staff realm; what a caller may do follows their staff groups. "
                                + "Errors are RFC 9457 problem details."))
                .components(new Components().addSecuritySchemes(STAFF_TOKEN, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")
                        .description("Access token of the staff realm, e.g. from the public client partner-access-cli")))
                .addSecurityItem(new SecurityRequirement().addList(STAFF_TOKEN));
    }
}
