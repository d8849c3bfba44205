package org.partneraccess.keycloak;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.keycloak.admin.client.Keycloak;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class KeycloakConfigurationTest {

    @RegisterExtension
    static WireMockExtension wireMock = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(KeycloakConfiguration.class);

    @Test
    void startsWithoutContactingKeycloak() {
        context.withPropertyValues("partner-access.keycloak.url=" + wireMock.baseUrl(),
                        "partner-access.keycloak.client-secret=s3cret")
                .run(started -> {
                    assertThat(started).hasNotFailed().hasSingleBean(Keycloak.class);
                    KeycloakProperties properties = started.getBean(KeycloakProperties.class);
                    assertThat(properties.partnerRealm()).isEqualTo("partner");
                    assertThat(properties.staffRealm()).isEqualTo("staff");
                    assertThat(properties.clientId()).isEqualTo("partner-access-provisioner");
                    assertThat(properties.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(properties.readTimeout()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(properties.toString()).doesNotContain("s3cret");
                });
        assertThat(wireMock.getAllServeEvents()).isEmpty();
    }

    @Test
    void refusesToStartWithoutUrlOrSecret() {
        context.withPropertyValues("partner-access.keycloak.url=", "partner-access.keycloak.client-secret=")
                .run(started -> assertThat(started).hasFailed()
                        .getFailure().rootCause().hasMessageContaining("url").hasMessageContaining("clientSecret"));
    }
}
