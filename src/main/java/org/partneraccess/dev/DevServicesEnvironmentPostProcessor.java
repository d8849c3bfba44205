package org.partneraccess.dev;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.Profiles;
import org.springframework.util.StringUtils;

/**
 * Starts the development services before any bean needs them, in the {@value #DEV_PROFILE} profile only: a real
 * Keycloak (with the demo users) when no external one is configured, and an SMTP server when no mail host is configured.
 * Their addresses and generated secrets become properties. Without the profile nothing is started, and a missing
 * Keycloak or mail server stops the start: the application never falls back to a development convenience.
 */
public class DevServicesEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    /** The Spring profile that allows the development services; {@code ./mvnw spring-boot:run} activates it. */
    public static final String DEV_PROFILE = "dev";
    static final String PROPERTY_SOURCE = "partnerAccessDevServices";

    // logging is not set up yet at this point; a deferred log is replayed once it is
    private final Log log;

    public DevServicesEnvironmentPostProcessor(DeferredLogFactory logs) {
        this.log = logs.getLog(DevServicesEnvironmentPostProcessor.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        if (!env.acceptsProfiles(Profiles.of(DEV_PROFILE))) {
            requireExternalServices(env);
            return;
        }
        Map<String, Object> properties = new HashMap<>();
        // the mail server first: Keycloak is told where it is
        if (!StringUtils.hasText(env.getProperty("spring.mail.host"))
                && env.getProperty("partner-access.dev-mail.enabled", Boolean.class, true)) {
            DevMailServer mail = DevMailServer.ensureStarted(env.getProperty("partner-access.dev-mail.port", Integer.class, 2525));
            log.info(mail.summary());
            properties.put("spring.mail.host", "127.0.0.1");
            properties.put("spring.mail.port", mail.port());
        }
        if (!StringUtils.hasText(env.getProperty("partner-access.keycloak.url"))
                && env.getProperty("partner-access.managed-keycloak.enabled", Boolean.class, true)) {
            ManagedKeycloak keycloak = ManagedKeycloak.ensureStarted(new ManagedKeycloak.Settings(
                    Path.of(env.getProperty("partner-access.managed-keycloak.home", "target/keycloak/keycloak-26.7.3")),
                    env.getProperty("partner-access.managed-keycloak.port", Integer.class, 8180),
                    env.getProperty("partner-access.managed-keycloak.management-port", Integer.class, 9180),
                    env.getProperty("partner-access.managed-keycloak.database", "dev-file"),
                    env.getProperty("partner-access.managed-keycloak.startup-timeout", Duration.class,
                            Duration.ofMinutes(3)),
                    // the partner realm mails its invitations through the same server as the app
                    String.valueOf(properties.getOrDefault("spring.mail.host", env.getProperty("spring.mail.host", "127.0.0.1"))),
                    Integer.parseInt(String.valueOf(properties.getOrDefault("spring.mail.port",
                            env.getProperty("spring.mail.port", "25")))),
                    // SPIFFE trust domains switched on: the managed Keycloak gets the preview feature they need
                    env.getProperty("partner-access.trust.spiffe.enabled", Boolean.class, false)));
            log.info(keycloak.summary());
            properties.put("partner-access.keycloak.url", keycloak.url());
            properties.put("partner-access.keycloak.client-secret", keycloak.secret(ManagedKeycloak.PROVISIONER_SECRET_ENV));
            properties.put("partner-access.keycloak.staff-client-secret",
                    keycloak.secret(ManagedKeycloak.STAFF_CLIENT_SECRET_ENV));
            properties.put("partner-access.keycloak.introspector-secret",
                    keycloak.secret(ManagedKeycloak.INTROSPECTOR_SECRET_ENV));
        }
        if (!properties.isEmpty()) {
            env.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE, properties));
        }
    }

    /** Outside the dev profile the Keycloak and the mail server are the operator's; without them the start fails. */
    private static void requireExternalServices(ConfigurableEnvironment env) {
        List<String> missing = new ArrayList<>();
        if (!StringUtils.hasText(env.getProperty("partner-access.keycloak.url"))) {
            missing.add("no Keycloak is configured (set KEYCLOAK_URL, with KEYCLOAK_CLIENT_SECRET and "
                    + "KEYCLOAK_STAFF_CLIENT_SECRET)");
        }
        if (!StringUtils.hasText(env.getProperty("spring.mail.host"))) {
            missing.add("no SMTP server is configured (set SMTP_HOST)");
        }
        if (!missing.isEmpty()) {
            throw new DevServicesNotAllowedException(missing);
        }
    }

    @Override
    public int getOrder() {
        // after the application's config files are loaded, so profiles and KEYCLOAK_URL are known
        return Ordered.LOWEST_PRECEDENCE;
    }
}
