package org.partneraccess.security;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jboss.resteasy.client.jaxrs.internal.ResteasyClientBuilderImpl;
import org.keycloak.OAuth2Constants;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import org.keycloak.representations.idm.UserRepresentation;
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

    StaffAccounts(KeycloakProperties keycloak, @Value("${plugin.identity.keycloak.client-id}") String clientId,
                  @Value("${partner-access.keycloak.staff-client-secret:}") String clientSecret) {
        this.realm = keycloak.staffRealm();
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

    /** The account's state in the staff realm; a failure to ask Keycloak is an exception, never "deleted". */
    public AccountState state(String userId) {
        if (userId == null || userId.isBlank()) {
            return AccountState.DELETED;
        }
        List<UserRepresentation> found = staffRealm.realm(realm).users().searchByUsername(userId, true);
        return found.stream().filter(user -> userId.equalsIgnoreCase(user.getUsername())).findFirst()
                .map(user -> Boolean.FALSE.equals(user.isEnabled()) ? AccountState.DISABLED : AccountState.ENABLED)
                .orElse(AccountState.DELETED);
    }

    public enum AccountState {
        ENABLED, DISABLED, DELETED
    }

    @Override
    public void destroy() {
        staffRealm.close();
    }
}
