package org.partneraccess.keycloak;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.keycloak.admin.client.Keycloak;

class KeycloakRequestMetricsTest {

    @RegisterExtension
    static WireMockExtension wireMock = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @ParameterizedTest
    @CsvSource({
            "/realms/partner/protocol/openid-connect/token, /realms/{realm}/protocol/openid-connect/token",
            "/admin/realms/partner/users, /admin/realms/{realm}/users",
            "/admin/realms/partner/users/0b7f6c1e-7d7a-4c55-9f43-3c1f0d9e2a11, /admin/realms/{realm}/users/{id}",
            "/admin/realms/partner/users/0b7f6c1e-7d7a-4c55-9f43-3c1f0d9e2a11/logout, /admin/realms/{realm}/users/{id}/logout",
            "/admin/realms/partner/users/u-1/groups/g-1, /admin/realms/{realm}/users/{id}/groups/{id}",
            "/admin/realms/partner/clients/abc/default-client-scopes/def, /admin/realms/{realm}/clients/{id}/default-client-scopes/{id}",
            "/admin/realms/partner/clients/abc/client-secret, /admin/realms/{realm}/clients/{id}/client-secret",
            "/admin/realms/partner/client-scopes, /admin/realms/{realm}/client-scopes",
            "/admin/realms/staff/something/pa-m-42, /admin/realms/{realm}/something/{id}"})
    void urisBecomeTemplatesWithoutIdsOrRealmNames(String path, String template) {
        assertThat(KeycloakRequestMetrics.uriTemplate(path)).isEqualTo(template);
    }

    @Test
    void everyCallIsTimedByMethodTemplateAndOutcome() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        KeycloakProperties properties = new KeycloakProperties(wireMock.baseUrl(), "partner", "staff",
                "partner-access-provisioner", "secret-for-tests", Duration.ofMillis(500), Duration.ofSeconds(1), 20,
                Duration.ofSeconds(30));
        wireMock.stubFor(post("/realms/partner/protocol/openid-connect/token").willReturn(okJson(
                "{\"access_token\":\"t\",\"token_type\":\"Bearer\",\"expires_in\":300}")));
        wireMock.stubFor(get("/admin/realms/partner/users/u-1").willReturn(aResponse().withStatus(404)));
        wireMock.stubFor(get("/admin/realms/partner/users/u-2").willReturn(aResponse().withStatus(503)));

        try (Keycloak client = KeycloakConfiguration.adminClient(properties, registry)) {
            PartnerUsers partnerUsers = new PartnerUsers(new KeycloakCalls(client, properties));
            assertThat(partnerUsers.findUserById("u-1")).isEmpty();
            assertThat(catchThrowable(() -> partnerUsers.findUserById("u-2"))).isInstanceOf(KeycloakUnavailableException.class);
        }

        assertThat(timer(registry, "POST", "/realms/{realm}/protocol/openid-connect/token", "SUCCESS").count())
                .isEqualTo(1);
        assertThat(timer(registry, "GET", "/admin/realms/{realm}/users/{id}", "CLIENT_ERROR").count()).isEqualTo(1);
        Timer failed = timer(registry, "GET", "/admin/realms/{realm}/users/{id}", "SERVER_ERROR");
        assertThat(failed.count()).isEqualTo(1);
        assertThat(failed.getId().getTag("status")).isEqualTo("503");
    }

    private static Timer timer(SimpleMeterRegistry registry, String method, String uri, String outcome) {
        return registry.get(KeycloakRequestMetrics.METRIC).tag("method", method).tag("uri", uri).tag("outcome", outcome)
                .timer();
    }
}
