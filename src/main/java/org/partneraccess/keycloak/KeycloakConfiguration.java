package org.partneraccess.keycloak;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import org.jboss.resteasy.client.jaxrs.internal.ResteasyClientBuilderImpl;
import org.keycloak.OAuth2Constants;
import org.keycloak.admin.client.JacksonProvider;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import org.keycloak.admin.client.spi.StreamMessageBodyReader;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(KeycloakProperties.class)
public class KeycloakConfiguration {

    @Bean(destroyMethod = "close")
    Keycloak partnerRealmAdminClient(KeycloakProperties properties, ObjectProvider<MeterRegistry> metrics) {
        return adminClient(properties, metrics.getIfAvailable());
    }

    /** Without metrics. */
    static Keycloak adminClient(KeycloakProperties properties) {
        return adminClient(properties, null);
    }

    /**
     * Builds the admin client without contacting Keycloak: the token is fetched on the first call, so the
     * application starts even while Keycloak is still down. With a registry, every call is timed.
     */
    static Keycloak adminClient(KeycloakProperties properties, MeterRegistry metrics) {
        ResteasyClientBuilderImpl http = new ResteasyClientBuilderImpl();
        // one route (Keycloak), so the whole pool may serve it
        http.connectionPoolSize(properties.connectionPoolSize())
                .maxPooledPerRoute(properties.connectionPoolSize())
                // a saturated pool must fail like a slow Keycloak, not block a job thread forever
                .connectionCheckoutTimeout(properties.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .connectTimeout(properties.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(properties.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                // the same providers the admin client registers for itself when it builds its own client
                .register(StreamMessageBodyReader.class)
                .register(JacksonProvider.class, 100);
        if (metrics != null) {
            http.register(new KeycloakRequestMetrics(metrics));
        }
        return KeycloakBuilder.builder()
                .serverUrl(properties.url())
                .realm(properties.partnerRealm())
                .grantType(OAuth2Constants.CLIENT_CREDENTIALS)
                .clientId(properties.clientId())
                .clientSecret(properties.clientSecret())
                .resteasyClient(http.build())
                .build();
    }
}
