package org.partneraccess.security;

import java.io.IOException;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.camunda.bpm.webapp.impl.security.auth.AuthenticationUtil;
import org.camunda.bpm.webapp.impl.security.auth.UserAuthentication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The webapps' sessions ({@code /camunda/api/...}) act as the name their user signed in with at the staff realm
 * ({@link WebappSignIn}). Before a session's first call, the name must still
 * stand for the account it was pinned to ({@link StaffPins}); a refused session is ended. Checked once per sign-in:
 * a session keeps the name it signed in with, whatever happens to the account afterwards.
 */
class WebappSessionPins extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(WebappSessionPins.class);
    private static final String CONFIRMED = WebappSessionPins.class.getName() + ".";

    private final StaffAccounts accounts;
    private final ObjectMapper json;

    WebappSessionPins(StaffAccounts accounts, ObjectMapper json) {
        this.accounts = accounts;
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        HttpSession session = request.getSession(false);
        if (session != null) {
            for (UserAuthentication user : AuthenticationUtil.getAuthsFromSession(session).getAuthentications()) {
                // the sign-in's own object: a new sign-in under the same name in this session is checked again
                if (session.getAttribute(CONFIRMED + user.getName()) == user) {
                    continue;
                }
                Optional<String> refusal;
                try {
                    refusal = accounts.refusalOfName(user.getName());
                } catch (RuntimeException staffRealmUnavailable) {
                    log.warn("Could not confirm the staff account of {}: {}", user.getName(), staffRealmUnavailable.toString());
                    refuse(response, HttpStatus.SERVICE_UNAVAILABLE, "the staff realm could not confirm your account; try again");
                    return;
                }
                if (refusal.isPresent()) {
                    session.invalidate();
                    refuse(response, HttpStatus.UNAUTHORIZED, "this account may not act: " + refusal.get());
                    return;
                }
                session.setAttribute(CONFIRMED + user.getName(), user);
            }
        }
        chain.doFilter(request, response);
    }

    private void refuse(HttpServletResponse response, HttpStatus status, String detail) throws IOException {
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getWriter(), ProblemDetail.forStatusAndDetail(status, detail));
    }
}
