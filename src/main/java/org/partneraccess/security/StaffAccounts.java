package org.partneraccess.security;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.jboss.resteasy.client.jaxrs.internal.ResteasyClientBuilderImpl;
import org.keycloak.OAuth2Constants;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import org.keycloak.representations.idm.UserRepresentation;
import org.partneraccess.keycloak.KeycloakCalls;
import org.partneraccess.keycloak.KeycloakProperties;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * Whether a staff account can still act: read from the staff realm itself with the application's staff-realm
 * credential ({@code view-users} of that realm, which the identity plugin holds already). The engine's identity
 * service cannot tell: the identity plugin lists disabled users like any other.
 */
@Service
public class StaffAccounts implements DisposableBean {

    private final Keycloak staffRealm;
    private final String realm;
    private final StaffPins pins;

    StaffAccounts(KeycloakProperties keycloak, @Value("${plugin.identity.keycloak.client-id}") String clientId,
                  @Value("${partner-access.keycloak.staff-client-secret:}") String clientSecret, StaffPins pins) {
        this.realm = keycloak.staffRealm();
        this.pins = pins;
        // the token is fetched on the first call: the application starts while Keycloak is still down
        this.staffRealm = KeycloakBuilder.builder()
                .serverUrl(keycloak.url())
                .realm(keycloak.staffRealm())
                .grantType(OAuth2Constants.CLIENT_CREDENTIALS)
                .clientId(clientId)
                .clientSecret(clientSecret)
                .resteasyClient(new ResteasyClientBuilderImpl()
                        .connectTimeout(keycloak.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                        .readTimeout(keycloak.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                        .build())
                .build();
    }

    /**
     * The state of the account the name stands for; a failure to ask Keycloak is an exception, never "deleted". An
     * account that holds the name but is not the one the name was pinned to ({@link StaffPins}) means the person the
     * name stood for is gone: deleted.
     */
    public AccountState state(String userId) {
        return account(userId).filter(user -> pins.refusal(userId, user.getId()).isEmpty())
                .map(user -> Boolean.FALSE.equals(user.isEnabled()) ? AccountState.DISABLED : AccountState.ENABLED)
                .orElse(AccountState.DELETED);
    }

    /**
     * Whether a staff user known by name only (a webapp sign-in, a sponsor or owner being named) may act or be named:
     * the account that holds the name now must be the one the name was pinned to; a name first seen is pinned. A name
     * no account holds is refused too.
     */
    public Optional<String> refusalOfName(String username) {
        return account(username).map(user -> pins.refusal(username, user.getId()))
                .orElse(Optional.of("no account of the staff realm is named " + username));
    }

    private Optional<UserRepresentation> account(String username) {
        if (username == null || username.isBlank()) {
            return Optional.empty();
        }
        // a staff realm that does not answer is Keycloak unavailable, as for every other call to Keycloak
        List<UserRepresentation> found = KeycloakCalls.mapFailures("search staff user " + username,
                () -> staffRealm.realm(realm).users().searchByUsername(username, true));
        return found.stream().filter(user -> username.equalsIgnoreCase(user.getUsername())).findFirst();
    }

    public enum AccountState {
        ENABLED, DISABLED, DELETED
    }

    @Override
    public void destroy() {
        staffRealm.close();
    }
}
