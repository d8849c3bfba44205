package org.partneraccess.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;

/** The whole application against the managed Keycloak and the development SMTP server, one of each per test run. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// dev: the managed Keycloak with the demo users and the development SMTP server; test: settings for tests
@ActiveProfiles({"dev", "test"})
// metrics are exported as in production (tests would otherwise get a simple registry and no /actuator/prometheus)
@AutoConfigureObservability(tracing = false)
@Import(ItFixtures.class)
public @interface PartnerAccessTest {
}
