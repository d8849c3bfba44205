package org.partneraccess.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.identity.IdentityProviderException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.partneraccess.keycloak.KeycloakUnavailableException;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.web.client.ResourceAccessException;

/**
 * An engine with the plugin: a command that fails because Keycloak did not answer, the application's call or the
 * identity plugin's, is not logged as the engine's error; any other failure still is.
 */
@ExtendWith(OutputCaptureExtension.class)
class OutageLoggingPluginTest {

    private static ProcessEngineConfigurationImpl configuration;
    private static ProcessEngine engine;

    @BeforeAll
    static void engine() {
        configuration = (ProcessEngineConfigurationImpl) ProcessEngineConfiguration
                .createStandaloneInMemProcessEngineConfiguration()
                .setJdbcUrl("jdbc:h2:mem:outage-logging;DB_CLOSE_DELAY=-1")
                .setProcessEngineName("outage-logging");
        configuration.getProcessEnginePlugins().add(new OutageLoggingPlugin());
        engine = configuration.buildProcessEngine();
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    @Test
    void keycloakNotAnsweringIsNoEngineError(CapturedOutput output) {
        fail(new KeycloakUnavailableException("staff realm lookup failed: Read timed out", null));
        fail(new IdentityProviderException("Unable to query users", new ResourceAccessException("Read timed out")));
        assertThat(output.getOut()).doesNotContain("ENGINE-16004");
    }

    @Test
    void anyOtherFailureStillIs(CapturedOutput output) {
        fail(new IllegalStateException("something broke"));
        fail(new IdentityProviderException("Configured administratorGroupName x does not exist."));
        assertThat(output.getOut().lines().filter(line -> line.contains("ENGINE-16004"))).hasSize(2)
                .allMatch(line -> line.contains("ERROR"));
    }

    private static void fail(RuntimeException failure) {
        assertThatThrownBy(() -> configuration.getCommandExecutorTxRequired().execute(context -> {
            throw failure;
        })).isSameAs(failure);
    }
}
