package org.partneraccess.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;
import org.springframework.security.web.authentication.logout.LogoutHandler;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * Signing out of any of the staff pages (dashboard, Tasklist, Cockpit, Admin) ends the staff realm's session too, from
 * the server (the realm's logout endpoint with the sign-in's refresh token and the client's credentials): the webapps
 * sign out by a script call, which cannot follow a redirect to the realm, and a realm session left behind would sign
 * the next visitor of that browser straight back in.
 */
final class StaffSignOut implements LogoutHandler {

    private static final Logger log = LoggerFactory.getLogger(StaffSignOut.class);

    private final OAuth2AuthorizedClientRepository clients;
    private final RestClient http = RestClient.create();

    StaffSignOut(OAuth2AuthorizedClientRepository clients) {
        this.clients = clients;
    }

    @Override
    public void logout(HttpServletRequest request, HttpServletResponse response, Authentication authentication) {
        if (!(authentication instanceof OAuth2AuthenticationToken token)) {
            return;
        }
        OAuth2AuthorizedClient client = clients.loadAuthorizedClient(token.getAuthorizedClientRegistrationId(),
                authentication, request);
        if (client == null || client.getRefreshToken() == null) {
            return;
        }
        ClientRegistration registration = client.getClientRegistration();
        String endSession = String.valueOf(registration.getProviderDetails().getConfigurationMetadata()
                .get("end_session_endpoint"));
        MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        form.add("client_id", registration.getClientId());
        form.add("client_secret", registration.getClientSecret());
        form.add("refresh_token", client.getRefreshToken().getTokenValue());
        try {
            http.post().uri(endSession).contentType(MediaType.APPLICATION_FORM_URLENCODED).body(form).retrieve()
                    .toBodilessEntity();
        } catch (RestClientException e) {
            // the application's session still ends; the realm's ends at its idle timeout
            log.warn("The staff realm did not end the session of {}: {}", authentication.getName(), e.toString());
        }
        clients.removeAuthorizedClient(token.getAuthorizedClientRegistrationId(), authentication, request, response);
    }
}
