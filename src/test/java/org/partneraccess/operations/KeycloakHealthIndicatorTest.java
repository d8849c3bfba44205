package org.partneraccess.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.partneraccess.keycloak.KeycloakUnavailableException;
import org.partneraccess.keycloak.PartnerRealm;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

class KeycloakHealthIndicatorTest {

    private static final Duration TIMEOUT = Duration.ofMillis(300);

    private final PartnerRealm realm = mock(PartnerRealm.class);
    private final KeycloakHealthIndicator indicator = new KeycloakHealthIndicator(realm,
            new OperationsProperties(TIMEOUT, Duration.ofSeconds(30), Duration.ofDays(14)));

    @AfterEach
    void stop() {
        indicator.destroy();
    }

    @Test
    void upWhenThePartnerRealmAnswers() {
        assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void downWithTheGatewaysReasonWhenItFails() {
        doThrow(new KeycloakUnavailableException("look up own client failed: Keycloak answered HTTP 503", null))
                .when(realm).checkAccess();

        Health health = indicator.health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails().get("error").toString()).contains("HTTP 503");
    }

    @Test
    void downWithinTheTimeoutWhenKeycloakHangs() {
        doAnswer(invocation -> {
            Thread.sleep(10_000);
            return null;
        }).when(realm).checkAccess();

        long started = System.nanoTime();
        Health health = indicator.health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(TIMEOUT.plusSeconds(2));
        assertThat(health.getDetails().get("error").toString()).contains("no answer");
    }
}
