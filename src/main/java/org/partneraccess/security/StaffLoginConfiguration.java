package org.partneraccess.security;

import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.authority.mapping.GrantedAuthoritiesMapper;
import org.springframework.security.oauth2.client.oidc.web.logout.OidcClientInitiatedLogoutSuccessHandler;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestCustomizers;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUserAuthority;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.logout.HttpStatusReturningLogoutSuccessHandler;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The third door: the dashboard's pages, for people in a browser. They sign in at the staff realm (OpenID Connect
 * authorization code with PKCE, through the app's existing confidential client of the staff realm) and get a session
 * for these pages only. The API chains stay bearer-only and stateless: a dashboard session opens nothing under
 * {@code /api} or {@code /engine-rest}, and a bearer token opens no dashboard page.
 */
@Configuration(proxyBeanMethods = false)
public class StaffLoginConfiguration {

    /** Registration id of the staff realm; the redirect URI ends with it: {@code /login/oauth2/code/staff}. */
    public static final String REGISTRATION_ID = "staff";
    /** Paths of the sign-in itself. */
    static final String AUTHORIZATION_BASE = "/oauth2/authorization";
    static final String REDIRECT_BASE = "/login/oauth2/code";

    /** The overview: the people who answer for security, audit and the processes. */
    private static final String[] OVERVIEW_READERS = {StaffGroups.authority(StaffGroups.SECURITY_OFFICERS),
            StaffGroups.authority(StaffGroups.AUDITORS), StaffGroups.authority(StaffGroups.PROCESS_OWNERS)};
    /**
     * Detail pages (people, machines, evidence): as the inventory and evidence API, security officers and auditors.
     * The actions on a partnership's page (incident, suspension, resumption) are for security officers only.
     */
    private static final String[] DETAIL_READERS = {StaffGroups.authority(StaffGroups.SECURITY_OFFICERS),
            StaffGroups.authority(StaffGroups.AUDITORS)};
    /**
     * A user's own requests: whoever may ask for something (requesters; sponsors and identity owners ask for
     * elevations and machines) and whoever opens the dashboard anyway. The page shows the caller's requests only; a
     * machine's page only its owner, its requester and the detail readers.
     */
    private static final String[] REQUEST_READERS = {StaffGroups.authority(StaffGroups.REQUESTERS),
            StaffGroups.authority(StaffGroups.SPONSORS), StaffGroups.authority(StaffGroups.IDENTITY_OWNERS),
            StaffGroups.authority(StaffGroups.SECURITY_OFFICERS), StaffGroups.authority(StaffGroups.AUDITORS),
            StaffGroups.authority(StaffGroups.PROCESS_OWNERS)};

    /** Whether the caller may open the overview, so that pages link to it only for them. */
    public static boolean mayOpenOverview(Authentication caller) {
        return hasAny(caller, OVERVIEW_READERS);
    }

    /** Whether the caller may open the lists and detail pages behind the overview. */
    public static boolean mayOpenDetails(Authentication caller) {
        return hasAny(caller, DETAIL_READERS);
    }

    private static boolean hasAny(Authentication caller, String[] authorities) {
        return caller != null && caller.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .anyMatch(Set.of(authorities)::contains);
    }

    @Bean
    @Order(1)
    SecurityFilterChain dashboardSecurity(HttpSecurity http, ClientRegistrationRepository clients, StaffPins pins,
                                          SecondFactor secondFactor, StaffSignOut signOut, ObjectMapper json)
            throws Exception {
        OidcClientInitiatedLogoutSuccessHandler endSession = new OidcClientInitiatedLogoutSuccessHandler(clients);
        endSession.setPostLogoutRedirectUri("{baseUrl}/dashboard");
        RequestMatcher actions = new OrRequestMatcher(post("/dashboard/partnerships/*/incidents"),
                post("/dashboard/partnerships/*/suspension"), post("/dashboard/partnerships/*/resumption"),
                post("/dashboard/partnerships/*/termination"), post("/dashboard/partnerships/*/identity-incidents"));
        return http
                .securityMatcher(new OrRequestMatcher(path("/dashboard"), path("/dashboard/**"),
                        path(AUTHORIZATION_BASE + "/**"), path(REDIRECT_BASE + "/**"), path("/login"), path("/logout")))
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers(path("/dashboard")).hasAnyAuthority(OVERVIEW_READERS)
                        .requestMatchers(path("/dashboard/requests"), path("/dashboard/requests/**"),
                                path("/dashboard/my-machines/**"))
                        .hasAnyAuthority(REQUEST_READERS)
                        .requestMatchers(actions).hasAuthority(StaffGroups.authority(StaffGroups.SECURITY_OFFICERS))
                        .requestMatchers(path("/dashboard/**")).hasAnyAuthority(DETAIL_READERS)
                        .requestMatchers(path("/login")).permitAll()
                        .anyRequest().authenticated())
                .oauth2Login(login -> login
                        .authorizationEndpoint(endpoint -> endpoint.authorizationRequestResolver(signIns(clients,
                                secondFactor)))
                        .userInfoEndpoint(userInfo -> userInfo.userAuthoritiesMapper(staffGroups())
                                .oidcUserService(pinnedUsers(pins))))
                // the partnership's page carries the security officers' actions
                .addFilterAfter(new StepUp(secondFactor, path("/dashboard/partnerships/*"), new HttpSessionRequestCache()),
                        AuthorizationFilter.class)
                .addFilterAfter(new SecondFactorFilter(secondFactor, actions, json), StepUp.class)
                .logout(logout -> logout.addLogoutHandler(signOut).logoutSuccessHandler(endSession))
                .headers(headers -> headers
                        .frameOptions(frame -> frame.deny())
                        .contentSecurityPolicy(csp -> csp.policyDirectives("default-src 'none'; "
                                + "style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'")))
                .build();
    }

    /**
     * The Camunda webapps behind the same staff sign-in: a page sends to the staff realm, a script's call without a
     * session gets 401, and the webapps' own password form is closed ({@link WebappSignIn} gives them the signed-in
     * user). Their sign-out ends the whole staff session. The webapps carry their own CSRF protection and need their
     * scripts, so this chain keeps Spring's CSRF and content policy out of their way.
     */
    @Bean
    @Order(1)
    SecurityFilterChain webappSecurity(HttpSecurity http, SecondFactor secondFactor, StaffSignOut signOut)
            throws Exception {
        RequestMatcher api = path("/camunda/api/**");
        return http
                .securityMatcher(new OrRequestMatcher(path("/camunda/**"), path("/")))
                .authorizeHttpRequests(auth -> auth
                        // with a trailing slash too: Jersey routes both (the engine refuses it as well)
                        .requestMatchers(path(HttpMethod.POST, WEBAPP_JOB_EXECUTION),
                                path(HttpMethod.POST, WEBAPP_JOB_EXECUTION + "/")).denyAll()
                        .requestMatchers(path(HttpMethod.POST, WEBAPP_PASSWORD_SIGN_IN)).denyAll()
                        .requestMatchers(path("/camunda/app/**"), api).authenticated()
                        .anyRequest().permitAll())
                .exceptionHandling(errors -> errors
                        .defaultAuthenticationEntryPointFor(new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED), api)
                        .defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint(AUTHORIZATION_BASE + "/"
                                + REGISTRATION_ID), AnyRequestMatcher.INSTANCE))
                .addFilterAfter(new StepUp(secondFactor, path("/camunda/app/**"), new HttpSessionRequestCache()),
                        AuthorizationFilter.class)
                .logout(logout -> logout.logoutRequestMatcher(webappSignOut())
                        .addLogoutHandler(signOut)
                        .logoutSuccessHandler(new HttpStatusReturningLogoutSuccessHandler(HttpStatus.OK)))
                .csrf(csrf -> csrf.disable())
                .headers(headers -> headers.frameOptions(frame -> frame.sameOrigin()))
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .build();
    }

    /**
     * Running a job by hand: the engine checks the caller's grant inside the job's execution, so a refused caller still
     * counts as a failed attempt and uses up the job's retries (a few calls would stop an end-date timer with an
     * incident). The engine REST API keeps it for Camunda administrators (it is not on the staff allow-list); the
     * webapps, which offer no such action, not at all.
     */
    private static final String WEBAPP_JOB_EXECUTION = "/camunda/api/engine/engine/*/job/*/execute";
    /** The webapps' own password sign-in: staff sign in at the staff realm instead. */
    private static final String WEBAPP_PASSWORD_SIGN_IN = "/camunda/api/admin/auth/user/*/login/**";

    /**
     * The webapps' sign-out call, as their script sends it: with the webapps' CSRF header matching their CSRF cookie, so
     * another site cannot sign a user out (the webapps' own check runs after this chain).
     */
    private static RequestMatcher webappSignOut() {
        RequestMatcher call = path(HttpMethod.POST, "/camunda/api/admin/auth/user/*/logout");
        return request -> {
            if (!call.matches(request) || request.getCookies() == null) {
                return false;
            }
            String header = request.getHeader("X-XSRF-TOKEN");
            return header != null && java.util.Arrays.stream(request.getCookies())
                    .anyMatch(cookie -> "XSRF-TOKEN".equals(cookie.getName()) && header.equals(cookie.getValue()));
        };
    }

    @Bean
    StaffSignOut staffSignOut(OAuth2AuthorizedClientRepository authorizedClients) {
        return new StaffSignOut(authorizedClients);
    }

    /** Sign-ins through the staff realm with PKCE, asking for the second factor when a step-up sends there. */
    private static OAuth2AuthorizationRequestResolver signIns(ClientRegistrationRepository clients,
                                                              SecondFactor secondFactor) {
        DefaultOAuth2AuthorizationRequestResolver resolver =
                new DefaultOAuth2AuthorizationRequestResolver(clients, AUTHORIZATION_BASE);
        resolver.setAuthorizationRequestCustomizer(OAuth2AuthorizationRequestCustomizers.withPkce());
        return StepUp.asking(resolver, secondFactor.properties().acr());
    }

    /** The staff realm as an OpenID provider; its endpoints are Keycloak's, so nothing is fetched at start. */
    @Bean
    ClientRegistrationRepository staffRealmRegistration(
            @Value("${partner-access.keycloak.url}") String keycloakUrl,
            @Value("${partner-access.keycloak.staff-realm}") String staffRealm,
            @Value("${plugin.identity.keycloak.client-id}") String clientId,
            @Value("${partner-access.keycloak.staff-client-secret:}") String clientSecret) {
        String issuer = keycloakUrl + "/realms/" + staffRealm;
        String oidc = issuer + "/protocol/openid-connect";
        return new InMemoryClientRegistrationRepository(ClientRegistration.withRegistrationId(REGISTRATION_ID)
                .clientName("Staff realm")
                .clientId(clientId)
                .clientSecret(clientSecret)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .redirectUri("{baseUrl}" + REDIRECT_BASE + "/{registrationId}")
                .scope("openid", "profile")
                .issuerUri(issuer)
                .authorizationUri(oidc + "/auth")
                .tokenUri(oidc + "/token")
                .jwkSetUri(oidc + "/certs")
                .userInfoUri(oidc + "/userinfo")
                .userNameAttributeName("preferred_username")
                .providerConfigurationMetadata(Map.of("end_session_endpoint", oidc + "/logout"))
                .build());
    }

    /** A sign-in whose name no longer stands for the account it was pinned to ({@link StaffPins}) is refused. */
    static OAuth2UserService<OidcUserRequest, OidcUser> pinnedUsers(StaffPins pins) {
        OidcUserService users = new OidcUserService();
        return request -> {
            OidcUser user = users.loadUser(request);
            Optional<String> refusal = pins.refusal(user.getPreferredUsername(), user.getSubject());
            if (refusal.isPresent()) {
                throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.ACCESS_DENIED, refusal.get(),
                        null));
            }
            return user;
        };
    }

    /** Staff groups from the ID token's {@code groups} claim, as the same authorities a bearer token gives. */
    static GrantedAuthoritiesMapper staffGroups() {
        return authorities -> {
            Set<GrantedAuthority> mapped = new HashSet<>(authorities);
            for (GrantedAuthority authority : authorities) {
                if (authority instanceof OidcUserAuthority oidc
                        && oidc.getIdToken().getClaim(StaffGroups.GROUPS_CLAIM) instanceof Collection<?> groups) {
                    groups.forEach(group -> mapped.add(new SimpleGrantedAuthority(StaffGroups.authority(
                            String.valueOf(group)))));
                }
            }
            return mapped;
        };
    }

    /** What a security officer does from a partnership's page; the handlers check the role again. */
    private static RequestMatcher post(String pattern) {
        return SecurityConfiguration.path(HttpMethod.POST, pattern);
    }

    private static RequestMatcher path(String pattern) {
        return SecurityConfiguration.path(pattern);
    }

    private static RequestMatcher path(HttpMethod method, String pattern) {
        return SecurityConfiguration.path(method, pattern);
    }
}
