package org.partneraccess.security;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.RETURNS_DEEP_STUBS;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;

import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.UserQuery;
import org.camunda.bpm.engine.impl.identity.IdentityProviderException;
import org.junit.jupiter.api.Test;
import org.partneraccess.keycloak.KeycloakUnavailableException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.ResourceAccessException;

/**
 * The identity plugin reports every failure of the staff realm as its own exception: one that got no answer is Keycloak
 * unavailable, as the partner realm's are; any other stays what it is.
 */
class StaffDirectoryTest {

    private final IdentityService identity = mock(IdentityService.class, RETURNS_DEEP_STUBS);
    private final StaffDirectory staff = new StaffDirectory(identity, mock(StaffAccounts.class));

    @Test
    void aLookupThatTimesOutIsKeycloakUnavailable() {
        String timedOut = "I/O error on GET request for \"http://keycloak/admin/realms/staff/users\": Read timed out";
        lookupFailsWith(new ResourceAccessException(timedOut, new SocketTimeoutException("Read timed out")));

        assertThatThrownBy(() -> staff.isMember("sam.sponsor", StaffGroups.SPONSORS))
                .isInstanceOf(KeycloakUnavailableException.class)
                .hasMessage("staff realm lookup failed: " + timedOut);
    }

    @Test
    void anAnswerAskingToComeBackLaterIsKeycloakUnavailable() {
        lookupFailsWith(HttpServerErrorException.create(HttpStatus.SERVICE_UNAVAILABLE, "Service Unavailable",
                new HttpHeaders(), new byte[0], StandardCharsets.UTF_8));
        assertThatThrownBy(() -> staff.isMember("sam.sponsor", StaffGroups.SPONSORS))
                .isInstanceOf(KeycloakUnavailableException.class)
                .hasMessage("staff realm lookup failed: Keycloak answered HTTP 503");

        lookupFailsWith(HttpClientErrorException.create(HttpStatus.TOO_MANY_REQUESTS, "Too Many Requests",
                new HttpHeaders(), new byte[0], StandardCharsets.UTF_8));
        assertThatThrownBy(() -> staff.isMember("sam.sponsor", StaffGroups.SPONSORS))
                .isInstanceOf(KeycloakUnavailableException.class)
                .hasMessage("staff realm lookup failed: Keycloak answered HTTP 429");
    }

    @Test
    void aRefusalIsNotTakenForAnOutage() {
        IdentityProviderException refused = lookupFailsWith(HttpClientErrorException.create(HttpStatus.FORBIDDEN,
                "Forbidden", new HttpHeaders(), new byte[0], StandardCharsets.UTF_8));

        assertThatThrownBy(() -> staff.isMember("sam.sponsor", StaffGroups.SPONSORS)).isSameAs(refused);
    }

    /** As the plugin reports a failed request: wrapped in its own exception. */
    private IdentityProviderException lookupFailsWith(RuntimeException cause) {
        IdentityProviderException failure = new IdentityProviderException("Unable to query users", cause);
        UserQuery query = identity.createUserQuery().userId("sam.sponsor").memberOfGroup(StaffGroups.SPONSORS);
        doThrow(failure).when(query).count();
        return failure;
    }
}
