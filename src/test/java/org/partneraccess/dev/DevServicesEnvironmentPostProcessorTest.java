package org.partneraccess.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.logging.DeferredLogs;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.env.MockEnvironment;

/**
 * Development services only in the dev profile. Without it the production path: with an external Keycloak and a mail
 * host configured nothing starts, and without them the application refuses to start rather than fall back to one.
 */
@ExtendWith(OutputCaptureExtension.class)
class DevServicesEnvironmentPostProcessorTest {

    private final DevServicesEnvironmentPostProcessor devServices = new DevServicesEnvironmentPostProcessor(new DeferredLogs());

    @Test
    void externalKeycloakAndSmtpStartNothing() {
        MockEnvironment env = production()
                .withProperty("partner-access.keycloak.url", "https://idp.example.org")
                .withProperty("partner-access.keycloak.client-secret", "from-the-environment")
                .withProperty("spring.mail.host", "smtp.example.org");

        devServices.postProcessEnvironment(env, new SpringApplication());

        assertThat(env.getPropertySources().contains(DevServicesEnvironmentPostProcessor.PROPERTY_SOURCE)).isFalse();
        assertThat(env.getProperty("partner-access.keycloak.url")).isEqualTo("https://idp.example.org");
        assertThat(env.getProperty("spring.mail.host")).isEqualTo("smtp.example.org");
    }

    @Test
    void withoutTheDevProfileAMissingKeycloakStopsTheStart() {
        MockEnvironment env = production().withProperty("spring.mail.host", "smtp.example.org");

        assertThatThrownBy(() -> devServices.postProcessEnvironment(env, new SpringApplication()))
                .isInstanceOf(DevServicesNotAllowedException.class)
                .hasMessageContaining("refuses to start")
                .hasMessageContaining("no Keycloak is configured (set KEYCLOAK_URL")
                .hasMessageContaining("'dev' profile")
                .message().doesNotContain("SMTP_HOST");
        assertThat(env.getPropertySources().contains(DevServicesEnvironmentPostProcessor.PROPERTY_SOURCE)).isFalse();
        assertThatThrownBy(ManagedKeycloak::current).as("no managed Keycloak started").isInstanceOf(IllegalStateException.class);
    }

    @Test
    void withoutTheDevProfileAMissingMailServerStopsTheStart() {
        MockEnvironment env = production().withProperty("partner-access.keycloak.url", "https://idp.example.org");

        assertThatThrownBy(() -> devServices.postProcessEnvironment(env, new SpringApplication()))
                .isInstanceOf(DevServicesNotAllowedException.class)
                .hasMessageContaining("no SMTP server is configured (set SMTP_HOST)")
                .message().doesNotContain("KEYCLOAK_URL");
        assertThat(env.getPropertySources().contains(DevServicesEnvironmentPostProcessor.PROPERTY_SOURCE)).isFalse();
    }

    /** Another profile, such as postgres, is no dev profile. */
    @Test
    void otherProfilesStartNoDevelopmentService() {
        MockEnvironment env = production();
        env.setActiveProfiles("postgres", "test");

        assertThatThrownBy(() -> devServices.postProcessEnvironment(env, new SpringApplication()))
                .isInstanceOf(DevServicesNotAllowedException.class)
                .hasMessageContaining("KEYCLOAK_URL").hasMessageContaining("SMTP_HOST");
    }

    /** The whole start, as {@code java -jar} without the profile: registered for every start, and reported plainly. */
    @Test
    void anApplicationStartedWithoutTheDevProfileAndWithoutKeycloakFails(CapturedOutput output) {
        SpringApplicationBuilder application = new SpringApplicationBuilder(NothingElse.class)
                .web(WebApplicationType.NONE).logStartupInfo(false);

        // empty whatever the environment of the build sets
        assertThatThrownBy(() -> application.run("--partner-access.keycloak.url=", "--spring.mail.host=",
                "--spring.profiles.active="))
                .isInstanceOf(DevServicesNotAllowedException.class);
        assertThat(output).contains("APPLICATION FAILED TO START", "no Keycloak is configured (set KEYCLOAK_URL",
                "SPRING_PROFILES_ACTIVE=dev");
    }

    @Test
    void theFailureAnalysisSaysWhatIsMissingAndWhatToDo() {
        DevServicesNotAllowedException refusal = new DevServicesNotAllowedException(
                List.of("no Keycloak is configured (set KEYCLOAK_URL)"));

        FailureAnalysis analysis = new DevServicesNotAllowedFailureAnalyzer().analyze(refusal);

        assertThat(analysis.getDescription()).contains("refuses to start", "KEYCLOAK_URL");
        assertThat(analysis.getAction()).contains("'dev' Spring profile", "./mvnw spring-boot:run");
    }

    /**
     * The dev profile asks for the development services: the managed Keycloak is started (here it fails, as no
     * distribution is at its home, which shows it was tried) ...
     */
    @Test
    void theDevProfileStartsTheManagedKeycloak() {
        MockEnvironment env = production().withProperty("spring.mail.host", "smtp.example.org");
        env.setActiveProfiles("dev", "postgres");

        assertThatThrownBy(() -> devServices.postProcessEnvironment(env, new SpringApplication()))
                .isInstanceOf(IllegalStateException.class)
                .isNotInstanceOf(DevServicesNotAllowedException.class)
                .hasMessageContaining("No Keycloak distribution at");
        assertThat(Path.of("no-such-directory")).as("nothing written beside a missing distribution").doesNotExist();
    }

    /** ... and the development SMTP server, whose address becomes the mail properties; an external Keycloak is kept. */
    @Test
    void theDevProfileStartsTheDevelopmentSmtpServer() {
        MockEnvironment env = production()
                .withProperty("partner-access.keycloak.url", "https://idp.example.org")
                .withProperty("partner-access.dev-mail.port", "0");
        env.setActiveProfiles("dev");

        devServices.postProcessEnvironment(env, new SpringApplication());

        assertThat(env.getPropertySources().get(DevServicesEnvironmentPostProcessor.PROPERTY_SOURCE).getSource())
                .isEqualTo(Map.of("spring.mail.host", "127.0.0.1", "spring.mail.port", DevMailServer.current().port()));
        assertThat(env.getProperty("spring.mail.host")).isEqualTo("127.0.0.1");
        assertThat(env.getProperty("partner-access.keycloak.url")).isEqualTo("https://idp.example.org");
    }

    /** No profile; a home without a distribution: starting a managed server here would fail loudly. */
    private static MockEnvironment production() {
        return new MockEnvironment().withProperty("partner-access.managed-keycloak.home", "no-such-directory");
    }

    @Configuration(proxyBeanMethods = false)
    static class NothingElse {
    }
}
