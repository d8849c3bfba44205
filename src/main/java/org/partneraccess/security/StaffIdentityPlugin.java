package org.partneraccess.security;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.identity.IdentityProviderException;
import org.camunda.bpm.engine.impl.identity.ReadOnlyIdentityProvider;
import org.camunda.bpm.engine.impl.interceptor.Session;
import org.camunda.bpm.engine.impl.interceptor.SessionFactory;
import org.camunda.bpm.extension.keycloak.plugin.KeycloakIdentityProviderPlugin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpClientErrorException;

/**
 * Camunda users and groups, and the webapp login, come from the staff realm.
 * Keycloak answers a wrong password with 400 invalid_grant, which the plugin reports as a failure of Keycloak;
 * here it is what it is, a refused login (401), not a server error.
 */
@Component
@ConfigurationProperties(prefix = "plugin.identity.keycloak")
public class StaffIdentityPlugin extends KeycloakIdentityProviderPlugin {

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        super.preInit(configuration);
        SessionFactory keycloak = configuration.getIdentityProviderSessionFactory();
        configuration.setIdentityProviderSessionFactory(new SessionFactory() {
            @Override
            public Class<?> getSessionType() {
                return keycloak.getSessionType();
            }

            @Override
            public Session openSession() {
                return refusingBadCredentials((ReadOnlyIdentityProvider) keycloak.openSession());
            }
        });
    }

    private static ReadOnlyIdentityProvider refusingBadCredentials(ReadOnlyIdentityProvider session) {
        return (ReadOnlyIdentityProvider) Proxy.newProxyInstance(StaffIdentityPlugin.class.getClassLoader(),
                new Class<?>[] {ReadOnlyIdentityProvider.class}, (proxy, method, args) -> {
                    try {
                        return method.invoke(session, args);
                    } catch (InvocationTargetException e) {
                        Throwable cause = e.getCause();
                        if (method.getName().equals("checkPassword") && cause instanceof IdentityProviderException
                                && cause.getCause() instanceof HttpClientErrorException refused
                                && refused.getStatusCode().is4xxClientError()) {
                            return false;
                        }
                        throw cause;
                    }
                });
    }
}
