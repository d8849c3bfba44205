package org.partneraccess.dev;

import java.util.List;

/**
 * The application was started without the dev profile and without a service it needs: it refuses to start rather
 * than fall back to a development service.
 */
public class DevServicesNotAllowedException extends IllegalStateException {

    static final String ACTION = "Configure the missing services for this environment. For development, activate the '"
            + DevServicesEnvironmentPostProcessor.DEV_PROFILE + "' Spring profile (SPRING_PROFILES_ACTIVE="
            + DevServicesEnvironmentPostProcessor.DEV_PROFILE + "; ./mvnw spring-boot:run does): only then are the "
            + "managed Keycloak with the demo users and the development SMTP server started.";

    private final List<String> missing;

    DevServicesNotAllowedException(List<String> missing) {
        super("Partner Access refuses to start: " + String.join(" and ", missing) + ", and the '"
                + DevServicesEnvironmentPostProcessor.DEV_PROFILE + "' profile that would start development services "
                + "instead is not active. " + ACTION);
        this.missing = List.copyOf(missing);
    }

    /** What is missing, one sentence each. */
    public List<String> missing() {
        return missing;
    }
}
