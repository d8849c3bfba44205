package org.partneraccess.security;

import java.util.ArrayList;

import jakarta.servlet.http.HttpServletRequest;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.rest.security.auth.AuthenticationResult;
import org.camunda.bpm.engine.rest.security.auth.impl.ContainerBasedAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;

/**
 * Tasklist, Cockpit and Admin take their user from the staff sign-in the dashboard uses (OpenID Connect at the staff
 * realm, one session for all of them): the webapps' own password form is closed. The groups are the sign-in's, as for
 * the dashboard; the webapps still check their application grants with them.
 */
public class WebappSignIn extends ContainerBasedAuthenticationProvider {

    @Override
    public AuthenticationResult extractAuthenticatedUser(HttpServletRequest request, ProcessEngine engine) {
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        if (!(caller instanceof OAuth2AuthenticationToken signedIn) || signedIn.getName() == null
                || signedIn.getName().isBlank()) {
            return AuthenticationResult.unsuccessful();
        }
        AuthenticationResult result = AuthenticationResult.successful(signedIn.getName());
        result.setGroups(new ArrayList<>(StaffGroups.groupsOf(signedIn)));
        return result;
    }
}
