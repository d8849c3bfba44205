package org.partneraccess.security;

import java.io.IOException;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Holds the actions that need a second factor ({@link SecondFactor}) to it, before any handler runs: a caller without
 * it gets 403 naming what is missing, and an API client the step-up challenge of RFC 9470 ({@code WWW-Authenticate:
 * Bearer error="insufficient_user_authentication"} with the {@code acr_values} and {@code max_age} to ask for).
 * An incident reporter's client (a machine) reports without one.
 */
final class SecondFactorFilter extends OncePerRequestFilter {

    private final SecondFactor secondFactor;
    private final RequestMatcher actions;
    private final ObjectMapper json;

    SecondFactorFilter(SecondFactor secondFactor, RequestMatcher actions, ObjectMapper json) {
        this.secondFactor = secondFactor;
        this.actions = actions;
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        if (actions.matches(request) && caller != null && caller.isAuthenticated() && !isIncidentReporter(caller)) {
            Optional<String> missing = secondFactor.missing(caller);
            if (missing.isPresent()) {
                refuse(response, missing.get());
                return;
            }
        }
        chain.doFilter(request, response);
    }

    private void refuse(HttpServletResponse response, String missing) throws IOException {
        SecondFactorProperties required = secondFactor.properties();
        response.setStatus(HttpStatus.FORBIDDEN.value());
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"insufficient_user_authentication\", "
                + "error_description=\"A second factor is required\", acr_values=\"" + required.acr() + "\", max_age="
                + required.maxAge().toSeconds());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, "This action needs " + missing
                + ". Sign in again with the second factor and repeat it.");
        problem.setTitle("Second factor required");
        json.writeValue(response.getWriter(), problem);
    }

    private static boolean isIncidentReporter(Authentication caller) {
        return StaffGroups.groupsOf(caller).contains(StaffGroups.INCIDENT_REPORTERS);
    }
}
