package org.partneraccess.security;

import java.io.IOException;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.camunda.bpm.webapp.impl.security.auth.Authentication;
import org.camunda.bpm.webapp.impl.security.auth.AuthenticationUtil;
import org.camunda.bpm.webapp.impl.security.auth.UserAuthentication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The webapps' session API to the engine ({@code /camunda/api/engine/engine/{engine}/...}) holds staff to the same
 * writes as {@code /engine-rest} ({@link EngineRestAllowList}): a signed-in user who is not a Camunda administrator
 * gets 403 for any other write before the engine's resource runs. The engine's guard would refuse the command anyway,
 * but many resources fail before it is reached (a body they cannot read, a check of their own) or turn its refusal
 * into a 500, so without this door a refusal through Tasklist's session looked like a server error. Reads pass to the
 * engine's guard and authorizations; a call without a signed-in user passes to the webapps' own authentication.
 */
class WebappEngineDoor extends OncePerRequestFilter {

    private static final Logger LOG = LoggerFactory.getLogger(WebappEngineDoor.class);
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");
    private static final RequestMatcher ENGINE_API = PathPatternRequestMatcher.withDefaults()
            .matcher(EngineRestAllowList.WEBAPP_ENGINE_API + "/**");

    private final RequestMatcher staffWrites = EngineRestAllowList.forStaffInWebapps();
    private final ObjectMapper json;

    WebappEngineDoor(ObjectMapper json) {
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (READS.contains(request.getMethod()) || staffWrites.matches(request)) {
            chain.doFilter(request, response);
            return;
        }
        RequestMatcher.MatchResult engineApi = ENGINE_API.matcher(request);
        HttpSession session = request.getSession(false);
        Authentication user = engineApi.isMatch() && session != null
                ? AuthenticationUtil.getAuthsFromSession(session)
                        .getAuthenticationForProcessEngine(engineApi.getVariables().get("engine"))
                : null;
        if (user == null || isAdministrator(user)) {
            chain.doFilter(request, response);
            return;
        }
        String call = request.getMethod() + " " + request.getRequestURI().substring(request.getContextPath().length());
        LOG.warn("Refused {} to staff user {} in a webapp session: only Camunda administrators may", call, user.getName());
        response.setStatus(HttpServletResponse.SC_FORBIDDEN);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        // the engine API's own error shape, which Tasklist and Cockpit show
        json.writeValue(response.getWriter(), Map.of("type", "AuthorizationException",
                "message", "Only Camunda administrators may do this (" + call + ")"));
    }

    private static boolean isAdministrator(Authentication user) {
        return user instanceof UserAuthentication signedIn && signedIn.getGroupIds() != null
                && signedIn.getGroupIds().contains(StaffGroups.CAMUNDA_ADMIN);
    }
}
