package org.partneraccess.keycloak;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.keycloak.admin.client.Keycloak;

/**
 * A partnership's identity provider against a stubbed Keycloak: what is created (hidden from login, linked to no login
 * flow, tagged with the registry ids), that one of another trust is never taken over or switched, and how failures
 * come out (the shared mapping, KeycloakCalls).
 */
class PartnerIdentityProvidersWireMockTest {

    private static final String TOKEN = "/realms/partner/protocol/openid-connect/token";
    private static final String PROVIDERS = "/admin/realms/partner/identity-provider/instances";
    private static final String ACME = PROVIDERS + "/pa-t-acme";
    private static final String SERVER_INFO = "/admin/serverinfo";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PartnerIdentityProviders.WorkloadIssuer ISSUER = new PartnerIdentityProviders.WorkloadIssuer(
            "acme", "trust-1", PartnerIdentityProviders.Kind.KUBERNETES, "https://k8s.acme.example", null);

    @RegisterExtension
    static WireMockExtension wireMock = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private Keycloak keycloak;
    private PartnerIdentityProviders providers;

    @BeforeEach
    void connect() {
        KeycloakProperties properties = new KeycloakProperties(wireMock.baseUrl(), "partner", "staff",
                "partner-access-provisioner", "secret-for-tests", Duration.ofMillis(500), Duration.ofSeconds(2), 20,
                Duration.ofSeconds(30));
        keycloak = KeycloakConfiguration.adminClient(properties);
        providers = new PartnerIdentityProviders(new KeycloakCalls(keycloak, properties));
        wireMock.stubFor(post(TOKEN).willReturn(okJson("{\"access_token\":\"t\",\"token_type\":\"Bearer\",\"expires_in\":300}")));
    }

    @AfterEach
    void close() {
        keycloak.close();
    }

    @Test
    void aNewProviderIsHiddenFromLoginTaggedAndForClientAssertionsOnly() throws Exception {
        wireMock.stubFor(get(ACME).willReturn(aResponse().withStatus(404)));
        wireMock.stubFor(post(PROVIDERS).willReturn(aResponse().withStatus(201)
                .withHeader("Location", wireMock.baseUrl() + ACME)));

        providers.ensure(ISSUER);

        JsonNode sent = JSON.readTree(wireMock.findAll(postRequestedFor(urlPathEqualTo(PROVIDERS))).get(0).getBodyAsString());
        assertThat(sent.get("alias").asText()).isEqualTo("pa-t-acme");
        assertThat(sent.get("providerId").asText()).isEqualTo("kubernetes");
        assertThat(sent.get("enabled").asBoolean()).isTrue();
        assertThat(sent.get("hideOnLogin").asBoolean()).isTrue();
        assertThat(sent.get("linkOnly").asBoolean()).isTrue();
        assertThat(sent.get("config").get("issuer").asText()).isEqualTo("https://k8s.acme.example");
        assertThat(sent.get("config").get(KeycloakAttributes.PARTNERSHIP).asText()).isEqualTo("acme");
        assertThat(sent.get("config").get(KeycloakAttributes.IDENTITY).asText()).isEqualTo("trust-1");
    }

    @Test
    void aProviderOfAnotherTrustIsNeitherTakenOverNorSwitched() {
        wireMock.stubFor(get(ACME).willReturn(okJson(provider("trust-other"))));

        assertThatThrownBy(() -> providers.ensure(ISSUER)).isInstanceOf(KeycloakRejectedException.class)
                .hasMessageContaining("not bound to trust trust-1");
        assertThatThrownBy(() -> providers.disable("acme", "trust-1")).isInstanceOf(KeycloakRejectedException.class)
                .satisfies(e -> assertThat(((KeycloakRejectedException) e).status()).isEqualTo(409));
        assertThat(wireMock.findAll(postRequestedFor(urlPathEqualTo(PROVIDERS)))).isEmpty();
        assertThat(wireMock.findAll(putRequestedFor(urlPathEqualTo(ACME)))).isEmpty();
    }

    @Test
    void disablingReadsTheWholeProviderAndWritesItBackSwitchedOff() throws Exception {
        wireMock.stubFor(get(ACME).willReturn(okJson(provider("trust-1"))));
        wireMock.stubFor(put(ACME).willReturn(aResponse().withStatus(204)));

        providers.disable("acme", "trust-1");

        JsonNode sent = JSON.readTree(wireMock.findAll(putRequestedFor(urlPathEqualTo(ACME))).get(0).getBodyAsString());
        assertThat(sent.get("enabled").asBoolean()).isFalse();
        assertThat(sent.get("config").get("issuer").asText()).as("configuration kept").isEqualTo("https://k8s.acme.example");
    }

    @Test
    void failuresComeOutAsTheGatewayMapsThem() {
        wireMock.stubFor(get(ACME).willReturn(aResponse().withStatus(503)));
        assertThatThrownBy(() -> providers.disable("acme", "trust-1")).isInstanceOf(KeycloakUnavailableException.class);

        wireMock.stubFor(get(ACME).willReturn(okJson(provider("trust-1"))));
        wireMock.stubFor(put(ACME).willReturn(aResponse().withStatus(403)));
        assertThatThrownBy(() -> providers.enable("acme", "trust-1")).isInstanceOf(KeycloakRejectedException.class)
                .hasMessageContaining("HTTP 403");
    }

    @Test
    void aProviderTypeIsOfferedWhenTheServerListsIt() {
        // the list the admin console offers types from; Keycloak 26.7 answers the SPIFFE type's own endpoint with a 500
        wireMock.stubFor(get(SERVER_INFO).willReturn(okJson(serverInfo("kubernetes", "oidc", "spiffe"))));
        assertThat(providers.offers(PartnerIdentityProviders.Kind.SPIFFE)).isTrue();
        assertThat(providers.offers(PartnerIdentityProviders.Kind.KUBERNETES)).isTrue();

        // the feature spiffe off: the server does not list the type
        wireMock.stubFor(get(SERVER_INFO).willReturn(okJson(serverInfo("kubernetes", "oidc"))));
        assertThat(providers.offers(PartnerIdentityProviders.Kind.SPIFFE)).isFalse();
        assertThat(providers.offers(PartnerIdentityProviders.Kind.OIDC)).isTrue();

        wireMock.stubFor(get(SERVER_INFO).willReturn(aResponse().withStatus(503)));
        assertThatThrownBy(() -> providers.offers(PartnerIdentityProviders.Kind.SPIFFE))
                .isInstanceOf(KeycloakUnavailableException.class);
    }

    /** The server info as Keycloak answers it, reduced to the identity provider types it runs. */
    private static String serverInfo(String... providerIds) {
        try {
            return JSON.writeValueAsString(Map.of("identityProviders", java.util.Arrays.stream(providerIds)
                    .map(id -> Map.of("id", id, "name", id, "groupName", "User-defined")).toList()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String provider(String trustId) {
        try {
            return JSON.writeValueAsString(Map.of("alias", "pa-t-acme", "internalId", "idp-1", "providerId", "kubernetes",
                    "enabled", true, "hideOnLogin", true, "config", Map.of("issuer", "https://k8s.acme.example",
                            KeycloakAttributes.PARTNERSHIP, "acme", KeycloakAttributes.IDENTITY, trustId)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
