package org.partneraccess.dev;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogs;
import org.springframework.mock.env.MockEnvironment;

/** The production path: with an external Keycloak and a mail host configured, no development service starts. */
class DevServicesEnvironmentPostProcessorTest {

    @Test
    void externalKeycloakAndSmtpStartNothing() {
        MockEnvironment env = new MockEnvironment()
                .withProperty("partner-access.keycloak.url", "https://idp.example.org")
                .withProperty("partner-access.keycloak.client-secret", "from-the-environment")
                .withProperty("spring.mail.host", "smtp.example.org")
                // a home without a distribution: starting a managed server here would fail loudly
                .withProperty("partner-access.managed-keycloak.home", "no-such-directory");

        new DevServicesEnvironmentPostProcessor(new DeferredLogs()).postProcessEnvironment(env, new SpringApplication());

        assertThat(env.getPropertySources().contains(DevServicesEnvironmentPostProcessor.PROPERTY_SOURCE)).isFalse();
        assertThat(env.getProperty("partner-access.keycloak.url")).isEqualTo("https://idp.example.org");
        assertThat(env.getProperty("spring.mail.host")).isEqualTo("smtp.example.org");
    }
}
