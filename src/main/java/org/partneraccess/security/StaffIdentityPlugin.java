package org.partneraccess.security;

import org.camunda.bpm.extension.keycloak.plugin.KeycloakIdentityProviderPlugin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.stereotype.Component;

/** Camunda users and groups, and the webapp login, come from the staff realm. */
@Component
@ConfigurationProperties(prefix = "plugin.identity.keycloak")
public class StaffIdentityPlugin extends KeycloakIdentityProviderPlugin {
}
