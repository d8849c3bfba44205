package org.partneraccess.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.DispatcherType;
import org.camunda.bpm.engine.rest.security.auth.ProcessEngineAuthenticationFilter;
import org.camunda.bpm.webapp.impl.security.auth.ContainerBasedAuthenticationFilter;
import org.glassfish.jersey.server.ServerProperties;
import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.info.InfoEndpoint;
import org.springframework.boot.actuate.metrics.export.prometheus.PrometheusScrapeEndpoint;
import org.springframework.boot.autoconfigure.jersey.ResourceConfigCustomizer;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authorization.AuthenticatedAuthorizationManager;
import org.springframework.security.authorization.AuthorityAuthorizationManager;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationManagers;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The APIs ({@code /api}, {@code /engine-rest}) take staff-realm bearer tokens only, access tokens meant for this API
 * ({@link ApiTokenValidation}); the dashboard and the Camunda webapps share one staff sign-in
 * ({@link StaffLoginConfiguration}). An incident reporter's token opens its reports and nothing else.
 * The actuator takes staff bearer tokens too, but its health and info stay open for probes.
 * Anything else is closed unless it is listed here as deliberately public.
 */
@Configuration
@org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity
public class SecurityConfiguration {

    /** The public keys that verify revocation receipts: open on purpose, anyone holding a receipt may check it. */
    public static final String RECEIPT_KEYS_PATH = "/api/receipts/keys";

    @Bean
    @Order(1)
    SecurityFilterChain apiSecurity(HttpSecurity http, SecondFactor secondFactor, ObjectMapper json) throws Exception {
        return http
                // path patterns, not MVC matchers: /engine-rest is a Jersey servlet, not a Spring MVC controller
                .securityMatcher(new OrRequestMatcher(path("/api/**"), path("/engine-rest/**")))
                .authorizeHttpRequests(auth -> auth
                        // who may report: the handlers' @PreAuthorize (security officers, incident reporters)
                        .requestMatchers(REPORTS).authenticated()
                        // open to anyone holding a receipt, like health to probes; an incident reporter reads nothing
                        .requestMatchers(path(HttpMethod.GET, RECEIPT_KEYS_PATH)).access(notAnIncidentReporter())
                        .requestMatchers(EngineRestAllowList.forStaff()).access(staffButNoIncidentReporter())
                        .requestMatchers(path("/engine-rest/**")).hasAuthority(StaffGroups.authority(StaffGroups.CAMUNDA_ADMIN))
                        .anyRequest().access(staffButNoIncidentReporter()))
                .oauth2ResourceServer(oauth2 -> oauth2.jwt(jwt -> jwt.jwtAuthenticationConverter(staffTokenConverter())))
                .addFilterAfter(new SecondFactorFilter(secondFactor, SECOND_FACTOR_ACTIONS, json), AuthorizationFilter.class)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                // bearer tokens are not sent by browsers on their own, so there is no CSRF to defend against here
                .csrf(csrf -> csrf.disable())
                .build();
    }

    /** Who may scrape metrics: the people who run the service and answer for its security and its processes. */
    private static final String[] METRICS_READERS = {StaffGroups.authority(StaffGroups.SECURITY_OFFICERS),
            StaffGroups.authority(StaffGroups.PROCESS_OWNERS), StaffGroups.authority(StaffGroups.CAMUNDA_ADMIN)};

    /**
     * All an incident reporter (a SIEM or SOAR) may call: its reports. It reads nothing (registry, inventory, evidence,
     * drift, audit, health details, the engine) and changes nothing else; which reports, and who else may make them,
     * the handlers' {@code @PreAuthorize} says.
     */
    private static final RequestMatcher[] REPORTS = {path(HttpMethod.POST, "/api/partnerships/{key}/incidents"),
            path(HttpMethod.POST, "/api/identities/{id}/incidents"),
            path(HttpMethod.POST, "/api/partnerships/{key}/risk-downgrades")};

    /**
     * What staff do through {@code /api} that needs a second factor ({@link SecondFactor}): reports, the partnership's
     * lifecycle actions and drift corrections. Approvals and deployments are held to it inside the engine.
     */
    private static final RequestMatcher SECOND_FACTOR_ACTIONS = new OrRequestMatcher(new OrRequestMatcher(REPORTS),
            path(HttpMethod.POST, "/api/partnerships/{key}/termination"),
            path(HttpMethod.POST, "/api/partnerships/{key}/suspension"),
            path(HttpMethod.POST, "/api/partnerships/{key}/resumption"),
            path(HttpMethod.POST, "/api/drift/reconciliations"));

    private static AuthorizationManager<RequestAuthorizationContext> staffButNoIncidentReporter() {
        return AuthorizationManagers.allOf(AuthenticatedAuthorizationManager.authenticated(), notAnIncidentReporter());
    }

    /** Granted to anyone, anonymous callers included, except a caller in the incident reporters' group. */
    private static AuthorizationManager<RequestAuthorizationContext> notAnIncidentReporter() {
        return AuthorizationManagers.not(AuthorityAuthorizationManager.hasAuthority(
                StaffGroups.authority(StaffGroups.INCIDENT_REPORTERS)));
    }

    @Bean
    @Order(0)
    SecurityFilterChain actuatorSecurity(HttpSecurity http) throws Exception {
        return http
                .securityMatcher(EndpointRequest.toAnyEndpoint())
                .authorizeHttpRequests(auth -> auth
                        // probes and load balancers call health without a token; details need one (show-details)
                        .requestMatchers(EndpointRequest.to(HealthEndpoint.class, InfoEndpoint.class))
                        .access(notAnIncidentReporter())
                        .requestMatchers(EndpointRequest.to(PrometheusScrapeEndpoint.class)).hasAnyAuthority(METRICS_READERS)
                        .anyRequest().denyAll())
                .oauth2ResourceServer(oauth2 -> oauth2.jwt(jwt -> jwt.jwtAuthenticationConverter(staffTokenConverter())))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain webSecurity(HttpSecurity http) throws Exception {
        return http
                .authorizeHttpRequests(auth -> auth
                        // the API description is public on purpose: it holds no data, and every call it describes needs a token
                        .requestMatchers(path("/v3/api-docs"), path("/v3/api-docs/**"), path("/swagger-ui.html"),
                                path("/swagger-ui/**")).permitAll()
                        .requestMatchers(path("/error")).permitAll()
                        .anyRequest().denyAll())
                .headers(headers -> headers.frameOptions(frame -> frame.sameOrigin()))
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .anonymous(Customizer.withDefaults())
                .build();
    }

    static RequestMatcher path(String pattern) {
        return PathPatternRequestMatcher.withDefaults().matcher(pattern);
    }

    static RequestMatcher path(HttpMethod method, String pattern) {
        return PathPatternRequestMatcher.withDefaults().matcher(method, pattern);
    }

    @Bean
    JwtAuthenticationConverter staffTokenConverter() {
        JwtGrantedAuthoritiesConverter groups = new JwtGrantedAuthoritiesConverter();
        groups.setAuthoritiesClaimName(StaffGroups.GROUPS_CLAIM);
        groups.setAuthorityPrefix(StaffGroups.AUTHORITY_PREFIX);
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(groups);
        converter.setPrincipalClaimName(ApiTokenValidation.PRINCIPAL_CLAIM);
        return converter;
    }

    /**
     * The webapps' user is the staff sign-in's ({@link WebappSignIn}); registered right after Spring Security's filters,
     * which load the sign-in from the session, and before the webapps' own.
     */
    @Bean
    FilterRegistrationBean<ContainerBasedAuthenticationFilter> webappSignIn() {
        FilterRegistrationBean<ContainerBasedAuthenticationFilter> registration =
                new FilterRegistrationBean<>(new ContainerBasedAuthenticationFilter());
        registration.setName("webapp-sign-in");
        registration.addInitParameter(ProcessEngineAuthenticationFilter.AUTHENTICATION_PROVIDER_PARAM,
                WebappSignIn.class.getName());
        registration.setOrder(SecurityProperties.DEFAULT_FILTER_ORDER + 1);
        registration.addUrlPatterns("/camunda/app/*", "/camunda/api/*");
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        return registration;
    }

    /** A webapp session acts only while its name stands for the account it was pinned to. */
    @Bean
    FilterRegistrationBean<WebappSessionPins> webappSessionPins(StaffAccounts accounts, ObjectMapper json) {
        FilterRegistrationBean<WebappSessionPins> registration =
                new FilterRegistrationBean<>(new WebappSessionPins(accounts, json));
        registration.setName("webapp-session-pins");
        registration.addUrlPatterns("/camunda/api/*");
        return registration;
    }

    /**
     * The webapps' engine API holds staff to the writes of {@code /engine-rest}; the other webapp APIs (Cockpit's,
     * Tasklist's, Admin's plugins) call only their own resources.
     */
    @Bean
    FilterRegistrationBean<WebappEngineDoor> webappEngineDoor(ObjectMapper json) {
        FilterRegistrationBean<WebappEngineDoor> registration = new FilterRegistrationBean<>(new WebappEngineDoor(json));
        registration.setName("webapp-engine-door");
        registration.addUrlPatterns("/camunda/api/engine/*");
        return registration;
    }

    /**
     * A refusal from inside an engine command answers its 4xx at {@code /engine-rest}, Keycloak's outage 503
     * ({@link EngineRefusals}).
     */
    @Bean
    ResourceConfigCustomizer engineRestRefusals() {
        return config -> config.register(EngineRefusals.class);
    }

    /**
     * And in the webapps' JAX-RS APIs, the engine's among them: Jersey builds each from its application class and the
     * Jersey properties it finds among the servlet context's attributes, so the refusals are named there (one
     * attribute for all of them).
     */
    @Bean
    ServletContextInitializer webappRefusals() {
        return servletContext -> {
            Object named = servletContext.getAttribute(ServerProperties.PROVIDER_CLASSNAMES);
            servletContext.setAttribute(ServerProperties.PROVIDER_CLASSNAMES, named == null
                    ? EngineRefusals.class.getName() : named + "," + EngineRefusals.class.getName());
        };
    }

    /** Hands the bearer-authenticated staff user to the engine so that Camunda's authorizations apply. */
    @Bean
    FilterRegistrationBean<ProcessEngineAuthenticationFilter> engineRestAuthentication() {
        FilterRegistrationBean<ProcessEngineAuthenticationFilter> registration =
                new FilterRegistrationBean<>(new ProcessEngineAuthenticationFilter());
        registration.setName("engine-rest-authentication");
        registration.addInitParameter(ProcessEngineAuthenticationFilter.AUTHENTICATION_PROVIDER_PARAM,
                StaffTokenAuthenticationProvider.class.getName());
        registration.addUrlPatterns("/engine-rest/*");
        return registration;
    }
}
