package org.partneraccess.keycloak;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.keycloak.admin.client.Keycloak;

/** The gateway calls of the machine track against a stubbed Keycloak: secrets never in a failure, events read right. */
class KeycloakGatewayMachineWireMockTest {

    private static final String TOKEN = "/realms/partner/protocol/openid-connect/token";
    private static final String ADMIN = "/admin/realms/partner";
    private static final String CLIENTS = ADMIN + "/clients";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static WireMockExtension wireMock = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private Keycloak keycloak;
    private PartnerClients partnerClients;
    private PartnerRealm partnerRealm;

    @BeforeEach
    void connect() {
        KeycloakProperties properties = new KeycloakProperties(wireMock.baseUrl(), "partner", "staff",
                "partner-access-provisioner", "provisioner-secret-for-tests", Duration.ofMillis(500), Duration.ofSeconds(1), 20,
                Duration.ofSeconds(30));
        keycloak = KeycloakConfiguration.adminClient(properties);
        KeycloakCalls calls = new KeycloakCalls(keycloak, properties);
        partnerRealm = new PartnerRealm(calls, properties);
        partnerClients = new PartnerClients(calls, partnerRealm);
        wireMock.stubFor(post(TOKEN).willReturn(okJson(
                json(Map.of("access_token", "test-token", "token_type", "Bearer", "expires_in", 300)))));
        wireMock.stubFor(get(urlPathEqualTo(CLIENTS)).withQueryParam("clientId", equalTo("pa-m-1"))
                .willReturn(okJson(json(List.of(Map.of("id", "c-1", "clientId", "pa-m-1", "enabled", true,
                        "attributes", Map.of(KeycloakAttributes.IDENTITY, "identity-1")))))));
    }

    @AfterEach
    void close() {
        keycloak.close();
    }

    @Test
    void replacingASecretReturnsNothingAndAFailureQuotesNoSecret() {
        wireMock.stubFor(post(CLIENTS + "/c-1/client-secret")
                .willReturn(okJson(json(Map.of("type", "secret", "value", "fresh-secret")))));
        partnerClients.replaceSecret("pa-m-1", "identity-1");
        wireMock.verify(postRequestedFor(urlPathEqualTo(CLIENTS + "/c-1/client-secret")));

        wireMock.stubFor(post(CLIENTS + "/c-1/client-secret").willReturn(aResponse().withStatus(503)
                .withBody("{\"value\":\"leaked-secret\"}")));
        assertThatThrownBy(() -> partnerClients.replaceSecret("pa-m-1", "identity-1"))
                .isInstanceOf(KeycloakUnavailableException.class)
                .hasNoCause()
                .hasMessageNotContaining("leaked-secret");
    }

    @Test
    void lastUseIsTheNewestClientLoginEventOfTheClient() {
        long at = Instant.parse("2026-11-20T08:15:30Z").toEpochMilli();
        wireMock.stubFor(get(urlPathEqualTo(ADMIN + "/events")).withQueryParam("type", equalTo("CLIENT_LOGIN"))
                .withQueryParam("client", equalTo("pa-m-1")).withQueryParam("max", equalTo("1"))
                .willReturn(okJson(json(List.of(Map.of("time", at, "type", "CLIENT_LOGIN", "clientId", "pa-m-1"))))));

        assertThat(partnerRealm.lastClientLogin("pa-m-1")).contains(Instant.ofEpochMilli(at));
        wireMock.verify(getRequestedFor(urlPathEqualTo(ADMIN + "/events")).withQueryParam("first", equalTo("0")));
    }

    @Test
    void noEventMeansNoKnownUseAndAnUnavailableEventStoreIsRetryable() {
        wireMock.stubFor(get(urlPathEqualTo(ADMIN + "/events")).willReturn(okJson("[]")));
        assertThat(partnerRealm.lastClientLogin("pa-m-1")).isEmpty();

        wireMock.stubFor(get(urlPathEqualTo(ADMIN + "/events")).willReturn(aResponse().withStatus(500)));
        assertThatThrownBy(() -> partnerRealm.lastClientLogin("pa-m-1")).isInstanceOf(KeycloakUnavailableException.class);
    }

    @Test
    void signedJwtClientWithInlinePublicKeysNeedsNoUrl() throws Exception {
        wireMock.stubFor(get(ADMIN + "/client-scopes").willReturn(okJson(json(List.of(scope("s-basic", "basic"),
                scope("s-orders", "orders.read"), scope("s-introspection", "partner-access-introspection"))))));
        wireMock.stubFor(get(urlPathEqualTo(CLIENTS)).withQueryParam("clientId", equalTo("pa-m-2")).willReturn(okJson("[]")));
        wireMock.stubFor(post(CLIENTS).willReturn(aResponse().withStatus(201)
                .withHeader("Location", wireMock.baseUrl() + CLIENTS + "/c-2")));
        wireMock.stubFor(get(CLIENTS + "/c-2/default-client-scopes").willReturn(okJson("[]")));
        wireMock.stubFor(get(CLIENTS + "/c-2/optional-client-scopes").willReturn(okJson("[]")));
        wireMock.stubFor(put(urlPathMatching(CLIENTS + "/c-2/default-client-scopes/.*")).willReturn(aResponse().withStatus(204)));
        String jwks = "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"k1\",\"n\":\"AQAB\",\"e\":\"AQAB\"}]}";

        partnerClients.ensureMachineClient(new PartnerClients.MachineClient("pa-m-2", "Acme agent",
                "plans shipments", "acme",
                "identity-3", List.of("orders.read"), Duration.ofSeconds(60), PartnerClients.AuthMethod.SIGNED_JWT,
                null, jwks));

        JsonNode sent = JSON.readTree(wireMock.getAllServeEvents().stream()
                .filter(event -> event.getRequest().getMethod().getName().equals("POST")
                        && event.getRequest().getUrl().equals(CLIENTS))
                .findFirst().orElseThrow().getRequest().getBodyAsString());
        assertThat(sent.get("clientAuthenticatorType").asText()).isEqualTo("client-jwt");
        assertThat(sent.get("attributes").get("use.jwks.url").asText()).isEqualTo("false");
        assertThat(sent.get("attributes").get("use.jwks.string").asText()).isEqualTo("true");
        assertThat(sent.get("attributes").get("jwks.string").asText()).isEqualTo(jwks);
    }

    @Test
    void aSignedJwtClientNeedsExactlyOneSourceOfKeys() {
        for (String[] keys : new String[][] {{null, null}, {"https://acme.example/jwks.json", "{\"keys\":[]}"}}) {
            assertThatThrownBy(() -> partnerClients.ensureMachineClient(new PartnerClients.MachineClient("pa-m-3", "x", "y",
                    "acme", "identity-4", List.of("orders.read"), Duration.ofSeconds(60),
                    PartnerClients.AuthMethod.SIGNED_JWT, keys[0], keys[1])))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        wireMock.verify(0, postRequestedFor(urlPathEqualTo(CLIENTS)));
    }

    private static Map<String, Object> scope(String id, String name) {
        return Map.of("id", id, "name", name, "protocol", "openid-connect");
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
