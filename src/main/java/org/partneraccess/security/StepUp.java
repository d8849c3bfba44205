package org.partneraccess.security;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Steps a browser up before the pages where its user acts (Tasklist, Cockpit, Admin, a partnership's page with its
 * actions): someone of the {@linkplain SecondFactor#ACTING_GROUPS acting groups} signed in with a password alone is sent
 * back to the staff realm asking for the second factor, and returns to the page they opened. The actions themselves
 * check again ({@link SecondFactorFilter}, the engine's guard), so a page reached another way acts no further.
 */
final class StepUp extends OncePerRequestFilter {

    /** The parameter of the sign-in path that asks the realm for the second factor. */
    static final String PARAMETER = "acr";

    private final SecondFactor secondFactor;
    private final RequestMatcher pages;
    private final RequestCache requests;

    StepUp(SecondFactor secondFactor, RequestMatcher pages, RequestCache requests) {
        this.secondFactor = secondFactor;
        this.pages = pages;
        this.requests = requests;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        if (HttpMethod.GET.matches(request.getMethod()) && acceptsPage(request) && pages.matches(request)
                && SecondFactor.actsOnAccess(caller) && secondFactor.missing(caller).isPresent()) {
            requests.saveRequest(request, response);
            response.sendRedirect(request.getContextPath() + StaffLoginConfiguration.AUTHORIZATION_BASE + "/"
                    + StaffLoginConfiguration.REGISTRATION_ID + "?" + PARAMETER + "="
                    + secondFactor.properties().acr());
            return;
        }
        chain.doFilter(request, response);
    }

    /** A page a person opens, not a script's call or an asset: only a page can take the detour through the realm. */
    private static boolean acceptsPage(HttpServletRequest request) {
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        return accept != null && accept.contains(MediaType.TEXT_HTML_VALUE);
    }

    /** Adds the second factor's {@code acr_values} to the sign-in when the step-up asks for it. */
    static OAuth2AuthorizationRequestResolver asking(OAuth2AuthorizationRequestResolver resolver, String acr) {
        return new OAuth2AuthorizationRequestResolver() {
            @Override
            public OAuth2AuthorizationRequest resolve(HttpServletRequest request) {
                return stepUp(request, resolver.resolve(request));
            }

            @Override
            public OAuth2AuthorizationRequest resolve(HttpServletRequest request, String registrationId) {
                return stepUp(request, resolver.resolve(request, registrationId));
            }

            private OAuth2AuthorizationRequest stepUp(HttpServletRequest request, OAuth2AuthorizationRequest signIn) {
                if (signIn == null || !acr.equals(request.getParameter(PARAMETER))) {
                    return signIn;
                }
                return OAuth2AuthorizationRequest.from(signIn)
                        .additionalParameters(parameters -> parameters.put("acr_values", acr)).build();
            }
        };
    }
}
