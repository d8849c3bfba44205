package org.partneraccess.keycloak;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

/** The gateway against a stubbed Keycloak: what it sends, and how each kind of failure comes out. */
class KeycloakGatewayWireMockTest {

    private static final String SECRET = "provisioner-secret-for-tests";
    private static final String TOKEN = "/realms/partner/protocol/openid-connect/token";
    private static final String ADMIN = "/admin/realms/partner";
    private static final String USERS = ADMIN + "/users";
    private static final String CLIENTS = ADMIN + "/clients";
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final PartnerUsers.PartnerUser PAT = new PartnerUsers.PartnerUser("pat@acme.example",
            "pat@acme.example", "Pat", "Partner", "acme", "identity-1");

    @RegisterExtension
    static WireMockExtension wireMock = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private Keycloak keycloak;
    private PartnerUsers partnerUsers;
    private PartnerClients partnerClients;
    private PartnerRealm partnerRealm;

    @BeforeEach
    void connect() {
        keycloak = KeycloakConfiguration.adminClient(properties(wireMock.baseUrl()));
        KeycloakProperties properties = properties(wireMock.baseUrl());
        KeycloakCalls calls = new KeycloakCalls(keycloak, properties);
        partnerUsers = new PartnerUsers(calls);
        partnerRealm = new PartnerRealm(calls, properties);
        partnerClients = new PartnerClients(calls, partnerRealm);
        wireMock.stubFor(post(TOKEN).willReturn(okJson(
                json(Map.of("access_token", "test-token", "token_type", "Bearer", "expires_in", 300)))));
        // a new user is created into its partnership's group, which exists here
        wireMock.stubFor(get(urlPathEqualTo(ADMIN + "/groups")).willReturn(okJson(
                json(List.of(Map.of("id", "g-acme", "name", "partner-acme", "path", "/partner-acme"))))));
        warmUp();
    }

    /**
     * WireMock answers its very first request in a JVM slowly (it loads and compiles its request handling), which on a
     * busy machine exceeds the one-second read timeout of these tests; one request of our own takes that out of them.
     */
    private static void warmUp() {
        try {
            java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(wireMock.baseUrl() + TOKEN))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        wireMock.resetRequests();
    }

    @AfterEach
    void close() {
        keycloak.close();
    }

    // ---- failures ----

    @Test
    void serverErrorOnCreateIsRetryable() {
        stubUserLookup(List.of());
        wireMock.stubFor(post(USERS).willReturn(aResponse().withStatus(500)));

        assertThatThrownBy(() -> partnerUsers.ensureUser(PAT))
                .isInstanceOf(KeycloakUnavailableException.class)
                .hasMessageContaining("HTTP 500");
    }

    @Test
    void slowKeycloakIsRetryableAndDoesNotHang() {
        stubUserLookup(List.of());
        wireMock.stubFor(post(USERS).willReturn(aResponse().withStatus(201).withFixedDelay(5_000)));

        long started = System.nanoTime();
        Throwable thrown = catchThrowable(() -> partnerUsers.ensureUser(PAT));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(thrown).isInstanceOf(KeycloakUnavailableException.class).hasMessageContaining("timed out");
        assertThat(took).as("gave up after the read timeout").isLessThan(READ_TIMEOUT.multipliedBy(2).plusSeconds(1));
    }

    @Test
    void connectionResetIsRetryable() {
        stubUserLookup(List.of());
        wireMock.stubFor(post(USERS).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        assertThatThrownBy(() -> partnerUsers.ensureUser(PAT)).isInstanceOf(KeycloakUnavailableException.class);
        wireMock.verify(1, postRequestedFor(urlPathEqualTo(USERS)));
    }

    @Test
    void unreachableKeycloakIsRetryable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (Keycloak unreachable = KeycloakConfiguration.adminClient(properties("http://127.0.0.1:" + closedPort))) {
            PartnerUsers partnerUsers = new PartnerUsers(new KeycloakCalls(unreachable, properties("http://127.0.0.1:" + closedPort)));

            assertThatThrownBy(() -> partnerUsers.findUser("pat@acme.example"))
                    .isInstanceOf(KeycloakUnavailableException.class)
                    .hasMessageContaining("connection refused");
        }
    }

    @Test
    void forbiddenIsRejectedWithItsStatus() {
        wireMock.stubFor(get(USERS + "/u-1").willReturn(okJson(json(user("u-1", "pat@acme.example", "identity-1")))));
        wireMock.stubFor(put(USERS + "/u-1").willReturn(aResponse().withStatus(403)));

        Throwable thrown = catchThrowable(() -> partnerUsers.disableUser("u-1", "identity-1"));

        assertThat(thrown).isInstanceOf(KeycloakRejectedException.class);
        assertThat(((KeycloakRejectedException) thrown).status()).isEqualTo(403);
        assertThat(thrown).hasMessageContaining("disable user u-1").hasMessageNotContaining(SECRET);
    }

    @Test
    void refusedCredentialsAreRejectedWithoutQuotingTheSecret() {
        wireMock.stubFor(post(TOKEN).willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                .withBody(json(Map.of("error", "unauthorized_client")))));

        Throwable thrown = catchThrowable(() -> partnerUsers.findUser("pat@acme.example"));

        assertThat(thrown).isInstanceOf(KeycloakRejectedException.class).hasMessageNotContaining(SECRET);
        assertThat(((KeycloakRejectedException) thrown).status()).isEqualTo(401);
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            assertThat(String.valueOf(cause.getMessage())).doesNotContain(SECRET);
        }
    }

    @Test
    void tokenEndpointDownIsRetryable() {
        wireMock.stubFor(post(TOKEN).willReturn(aResponse().withStatus(503)));

        assertThatThrownBy(() -> partnerUsers.findUser("pat@acme.example")).isInstanceOf(KeycloakUnavailableException.class);
    }

    // ---- partner people ----

    @Test
    void conflictOnCreateMeansCreatedConcurrentlyAndReturnsTheExistingUser() {
        wireMock.stubFor(userLookup().inScenario("race").whenScenarioStateIs(STARTED).willReturn(okJson("[]")));
        wireMock.stubFor(post(USERS).inScenario("race").willReturn(aResponse().withStatus(409))
                .willSetStateTo("created elsewhere"));
        wireMock.stubFor(userLookup().inScenario("race").whenScenarioStateIs("created elsewhere")
                .willReturn(okJson(json(List.of(user("u-9", "pat@acme.example", "identity-1"))))));

        assertThat(partnerUsers.ensureUser(PAT)).isEqualTo("u-9");
        wireMock.verify(1, postRequestedFor(urlPathEqualTo(USERS)));
    }

    @Test
    void existingUserIsReturnedWithoutCreating() {
        stubUserLookup(List.of(user("u-1", "pat@acme.example", "identity-1")));

        assertThat(partnerUsers.ensureUser(PAT)).isEqualTo("u-1");
        wireMock.verify(0, postRequestedFor(urlPathEqualTo(USERS)));
    }

    @Test
    void existingUserOfAnotherIdentityIsNotTakenOver() {
        stubUserLookup(List.of(user("u-1", "pat@acme.example", "identity-7")));

        Throwable thrown = catchThrowable(() -> partnerUsers.ensureUser(PAT));

        assertThat(thrown).isInstanceOf(KeycloakRejectedException.class);
        assertThat(((KeycloakRejectedException) thrown).status()).isEqualTo(409);
        wireMock.verify(0, postRequestedFor(urlPathEqualTo(USERS)));
    }

    @Test
    void newUserCarriesRegistryIdsAndMustSetAPassword() throws Exception {
        stubUserLookup(List.of());
        wireMock.stubFor(post(USERS).willReturn(aResponse().withStatus(201)
                .withHeader("Location", wireMock.baseUrl() + USERS + "/u-new")));

        assertThat(partnerUsers.ensureUser(PAT)).isEqualTo("u-new");

        JsonNode sent = onlyRequestBody("POST", USERS);
        assertThat(sent.get("username").asText()).isEqualTo("pat@acme.example");
        assertThat(sent.get("enabled").asBoolean()).isTrue();
        assertThat(sent.get("emailVerified").asBoolean()).isFalse();
        assertThat(texts(sent.get("requiredActions"))).containsExactly("TERMS_AND_CONDITIONS", "UPDATE_PASSWORD");
        assertThat(texts(sent.get("groups"))).as("created into its partnership group").containsExactly("/partner-acme");
        assertThat(texts(sent.get("attributes").get(KeycloakAttributes.PARTNERSHIP))).containsExactly("acme");
        assertThat(texts(sent.get("attributes").get(KeycloakAttributes.IDENTITY))).containsExactly("identity-1");
    }

    @Test
    void deletingAUserThatIsGoneSucceeds() {
        wireMock.stubFor(delete(USERS + "/u-1").willReturn(aResponse().withStatus(404)));

        partnerUsers.deleteUser("u-1");

        wireMock.verify(1, deleteRequestedFor(urlPathEqualTo(USERS + "/u-1")));
    }

    @Test
    void unknownUserIdIsEmpty() {
        wireMock.stubFor(get(USERS + "/u-404").willReturn(aResponse().withStatus(404)));

        assertThat(partnerUsers.findUserById("u-404")).isEmpty();
    }

    @Test
    void usersOfAPartnershipAreFoundByAttribute() {
        wireMock.stubFor(get(urlPathEqualTo(USERS)).withQueryParam("q", equalTo(KeycloakAttributes.PARTNERSHIP + ":acme"))
                .willReturn(okJson(json(List.of(user("u-1", "pat@acme.example", "identity-1"))))));

        assertThat(partnerUsers.findUsersOfPartnership("acme")).extracting(UserRepresentation::getId).containsExactly("u-1");
    }

    // ---- partner machines ----

    @Test
    void clientsOfAPartnershipAreFilteredFromAllPages() {
        List<Map<String, Object>> firstPage = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            firstPage.add(client("c-" + i, "other-" + i, "identity-x", "globex"));
        }
        firstPage.set(42, client("c-42", "pa-m-42", "identity-2", "acme"));
        wireMock.stubFor(get(urlPathEqualTo(CLIENTS)).withQueryParam("first", equalTo("0"))
                .withQueryParam("max", equalTo("100")).willReturn(okJson(json(firstPage))));
        wireMock.stubFor(get(urlPathEqualTo(CLIENTS)).withQueryParam("first", equalTo("100"))
                .willReturn(okJson(json(List.of(client("c-100", "pa-m-100", "identity-3", "acme"))))));

        assertThat(partnerClients.findClientsOfPartnership("acme")).extracting(ClientRepresentation::getClientId)
                .containsExactly("pa-m-42", "pa-m-100");
    }

    @Test
    void newMachineClientIsServiceAccountOnlyWithExactlyTheRequestedScopes() throws Exception {
        stubScopes();
        stubClientLookup(List.of());
        wireMock.stubFor(post(CLIENTS).willReturn(aResponse().withStatus(201)
                .withHeader("Location", wireMock.baseUrl() + CLIENTS + "/c-new")));
        wireMock.stubFor(delete(urlPathMatching(CLIENTS + "/c-new/.*-client-scopes/.*")).willReturn(aResponse().withStatus(204)));

        assertThat(partnerClients.ensureMachineClient(machine(PartnerClients.AuthMethod.CLIENT_SECRET, null))).isEqualTo("c-new");

        JsonNode sent = onlyRequestBody("POST", CLIENTS);
        assertThat(sent.get("clientId").asText()).isEqualTo("pa-m-1");
        assertThat(sent.get("protocol").asText()).isEqualTo("openid-connect");
        assertThat(sent.get("publicClient").asBoolean()).isFalse();
        assertThat(sent.get("serviceAccountsEnabled").asBoolean()).isTrue();
        assertThat(sent.get("standardFlowEnabled").asBoolean()).isFalse();
        assertThat(sent.get("implicitFlowEnabled").asBoolean()).isFalse();
        assertThat(sent.get("directAccessGrantsEnabled").asBoolean()).isFalse();
        assertThat(sent.get("fullScopeAllowed").asBoolean()).isFalse();
        assertThat(sent.get("clientAuthenticatorType").asText()).isEqualTo("client-secret");
        assertThat(texts(sent.get("defaultClientScopes"))).containsExactly("orders.read", "invoices.read", "basic",
                "partner-access-introspection");
        assertThat(texts(sent.get("optionalClientScopes"))).isEmpty();
        JsonNode attributes = sent.get("attributes");
        assertThat(attributes.get(KeycloakAttributes.PARTNERSHIP).asText()).isEqualTo("acme");
        assertThat(attributes.get(KeycloakAttributes.IDENTITY).asText()).isEqualTo("identity-2");
        assertThat(attributes.get("access.token.lifespan").asText()).isEqualTo("60");
        assertThat(attributes.get("oauth2.device.authorization.grant.enabled").asText()).isEqualTo("false");
        assertThat(attributes.get("oidc.ciba.grant.enabled").asText()).isEqualTo("false");

        // Keycloak links the representation's scopes and its own service-account scope, nothing else: only that goes
        assertThat(scopeChanges()).containsExactly("DELETE default-client-scopes/s-service-account");
        wireMock.verify(0, getRequestedFor(urlPathMatching(CLIENTS + "/c-new/.*")));
        wireMock.verify(1, getRequestedFor(urlPathEqualTo(ADMIN + "/client-scopes")));
    }

    @Test
    void anExistingClientIsSetToExactlyTheRequestedScopesFromItsLookup() {
        stubScopes();
        // what an earlier attempt, or an older version, may have left: links as the lookup lists them, by name
        Map<String, Object> found = new java.util.HashMap<>(client("c-old", "pa-m-1", "identity-2"));
        found.put("defaultClientScopes", List.of("basic", "profile", "service_account"));
        found.put("optionalClientScopes", List.of("offline_access", "orders.read"));
        stubClientLookup(List.of(found));
        wireMock.stubFor(put(urlPathMatching(CLIENTS + "/c-old/default-client-scopes/.*")).willReturn(aResponse().withStatus(204)));
        wireMock.stubFor(delete(urlPathMatching(CLIENTS + "/c-old/.*-client-scopes/.*")).willReturn(aResponse().withStatus(204)));

        assertThat(partnerClients.ensureMachineClient(machine(PartnerClients.AuthMethod.CLIENT_SECRET, null))).isEqualTo("c-old");

        wireMock.verify(0, postRequestedFor(urlPathEqualTo(CLIENTS)));
        wireMock.verify(0, getRequestedFor(urlPathMatching(CLIENTS + "/c-old/.*")));
        assertThat(scopeChanges()).containsExactlyInAnyOrder("DELETE optional-client-scopes/s-offline",
                "DELETE optional-client-scopes/s-orders", "DELETE default-client-scopes/s-profile",
                "DELETE default-client-scopes/s-service-account", "PUT default-client-scopes/s-orders",
                "PUT default-client-scopes/s-invoices", "PUT default-client-scopes/s-introspection");
        // Keycloak would ignore the default link while orders.read is still linked as optional
        assertThat(scopeChanges()).containsSubsequence("DELETE optional-client-scopes/s-orders",
                "PUT default-client-scopes/s-orders");
    }

    @Test
    void scopeOfAnotherProtocolIsRefused() {
        wireMock.stubFor(get(ADMIN + "/client-scopes").willReturn(okJson(json(List.of(scope("s-orders", "orders.read"),
                Map.of("id", "s-invoices", "name", "invoices.read", "protocol", "saml"))))));

        assertThatThrownBy(() -> partnerClients.ensureMachineClient(machine(PartnerClients.AuthMethod.CLIENT_SECRET, null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invoices.read");
        wireMock.verify(0, postRequestedFor(urlPathEqualTo(CLIENTS)));
    }

    @Test
    void signedJwtClientReadsKeysFromItsJwksUrl() throws Exception {
        stubScopes();
        stubClientLookup(List.of());
        wireMock.stubFor(post(CLIENTS).willReturn(aResponse().withStatus(201)
                .withHeader("Location", wireMock.baseUrl() + CLIENTS + "/c-jwt")));
        stubScopesOfClient("c-jwt", List.of(scope("s-orders", "orders.read"), scope("s-invoices", "invoices.read")));

        partnerClients.ensureMachineClient(machine(PartnerClients.AuthMethod.SIGNED_JWT, "https://acme.example/jwks.json"));

        JsonNode sent = onlyRequestBody("POST", CLIENTS);
        assertThat(sent.get("clientAuthenticatorType").asText()).isEqualTo("client-jwt");
        assertThat(sent.get("attributes").get("use.jwks.url").asText()).isEqualTo("true");
        assertThat(sent.get("attributes").get("jwks.url").asText()).isEqualTo("https://acme.example/jwks.json");
        assertThat(sent.get("attributes").get("token.endpoint.auth.signing.alg").asText()).isEqualTo("RS256");
    }

    @Test
    void conflictOnClientCreateReturnsTheExistingClient() {
        stubScopes();
        wireMock.stubFor(clientLookup().inScenario("race").whenScenarioStateIs(STARTED).willReturn(okJson("[]")));
        wireMock.stubFor(post(CLIENTS).inScenario("race").willReturn(aResponse().withStatus(409))
                .willSetStateTo("created elsewhere"));
        wireMock.stubFor(clientLookup().inScenario("race").whenScenarioStateIs("created elsewhere")
                .willReturn(okJson(json(List.of(client("c-7", "pa-m-1", "identity-2"))))));
        stubScopesOfClient("c-7", List.of(scope("s-orders", "orders.read"), scope("s-invoices", "invoices.read")));

        assertThat(partnerClients.ensureMachineClient(machine(PartnerClients.AuthMethod.CLIENT_SECRET, null))).isEqualTo("c-7");
        wireMock.verify(1, postRequestedFor(urlPathEqualTo(CLIENTS)));
    }

    @Test
    void unknownScopeIsRefusedBeforeAnythingIsCreated() {
        wireMock.stubFor(get(ADMIN + "/client-scopes").willReturn(okJson(json(List.of(scope("s-orders", "orders.read"))))));

        assertThatThrownBy(() -> partnerClients.ensureMachineClient(machine(PartnerClients.AuthMethod.CLIENT_SECRET, null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invoices.read")
                .hasMessageNotContaining("orders.read");
        wireMock.verify(0, postRequestedFor(urlPathEqualTo(CLIENTS)));
    }

    @Test
    void deletingAnAbsentClientSucceedsWithoutADelete() {
        stubClientLookup(List.of());

        partnerClients.deleteClient("pa-m-1", "identity-2");

        wireMock.verify(0, deleteRequestedFor(urlPathMatching(CLIENTS + "/.*")));
    }

    @Test
    void aReplacedSecretIsNeitherReturnedNorQuotedWhenKeycloakFails() {
        stubClientLookup(List.of(client("c-1", "pa-m-1", "identity-2")));
        wireMock.stubFor(post(CLIENTS + "/c-1/client-secret").willReturn(aResponse().withStatus(503)
                .withBody("{\"type\":\"secret\",\"value\":\"fresh-secret\"}")));

        Throwable thrown = catchThrowable(() -> partnerClients.replaceSecret("pa-m-1", "identity-2"));
        assertThat(thrown).isInstanceOf(KeycloakUnavailableException.class).hasNoCause()
                .hasMessageContaining("replace secret of client pa-m-1").hasMessageNotContaining("fresh-secret");
    }

    @Test
    void anObjectThatDoesNotCarryTheRegistryIdentityIsNotActedOn() {
        wireMock.stubFor(get(USERS + "/u-1").willReturn(okJson(json(user("u-1", "pat@acme.example", "identity-1")))));
        stubClientLookup(List.of(client("c-1", "pa-m-1", "identity-2")));

        assertThat(catchThrowable(() -> partnerUsers.disableUser("u-1", "identity-9")))
                .isInstanceOf(KeycloakRejectedException.class).hasMessageContaining("not bound to identity identity-9");
        assertThat(catchThrowable(() -> partnerUsers.enableUser("u-1", "identity-9"))).isInstanceOf(KeycloakRejectedException.class);
        assertThat(catchThrowable(() -> partnerClients.disableClient("pa-m-1", "identity-9"))).isInstanceOf(KeycloakRejectedException.class);
        assertThat(catchThrowable(() -> partnerClients.enableClient("pa-m-1", "identity-9"))).isInstanceOf(KeycloakRejectedException.class);
        assertThat(catchThrowable(() -> partnerClients.deleteClient("pa-m-1", "identity-9"))).isInstanceOf(KeycloakRejectedException.class);
        assertThat(catchThrowable(() -> partnerClients.replaceSecret("pa-m-1", "identity-9"))).isInstanceOf(KeycloakRejectedException.class);
        assertThat(catchThrowable(() -> partnerClients.disableClient(partnerClients.findClient("pa-m-1").orElseThrow(), "identity-9")))
                .isInstanceOf(KeycloakRejectedException.class);

        wireMock.verify(0, putRequestedFor(urlPathMatching(ADMIN + "/.*")));
        wireMock.verify(0, deleteRequestedFor(urlPathMatching(ADMIN + "/.*")));
        wireMock.verify(0, postRequestedFor(urlPathMatching(ADMIN + "/.*")));
    }

    @Test
    void lifespanIsWrittenAsSecondsOnTheExistingClient() throws Exception {
        stubClientLookup(List.of(client("c-1", "pa-m-1", "identity-2")));
        wireMock.stubFor(put(CLIENTS + "/c-1").willReturn(aResponse().withStatus(204)));

        partnerClients.setAccessTokenLifespan(partnerClients.findClient("pa-m-1").orElseThrow(), Duration.ofMinutes(2));

        JsonNode sent = onlyRequestBody("PUT", CLIENTS + "/c-1");
        assertThat(sent.get("attributes").get("access.token.lifespan").asText()).isEqualTo("120");
        assertThat(sent.get("attributes").get(KeycloakAttributes.IDENTITY).asText()).isEqualTo("identity-2");
    }

    // ---- usage events ----

    @Test
    void loginEventsAreReadOldestFirstInAFixedWindowPageByPage() {
        java.time.Instant from = java.time.Instant.parse("2026-11-01T10:00:00Z");
        java.time.Instant to = java.time.Instant.parse("2026-11-01T10:05:00.250Z");
        List<Map<String, Object>> full = new ArrayList<>();
        for (int i = 0; i < PartnerRealm.EVENT_PAGE_SIZE; i++) {
            full.add(event("CLIENT_LOGIN", from.toEpochMilli() + i, "sa-" + i, "pa-m-" + i));
        }
        wireMock.stubFor(events().withQueryParam("first", equalTo("0")).willReturn(okJson(json(full))));
        wireMock.stubFor(events().withQueryParam("first", equalTo(String.valueOf(PartnerRealm.EVENT_PAGE_SIZE)))
                .willReturn(okJson(json(List.of(
                        requiredAction("UPDATE_PASSWORD", to.toEpochMilli() - 2, "u-1"),
                        requiredAction("TERMS_AND_CONDITIONS", to.toEpochMilli() - 1, "u-1"),
                        event("LOGIN", to.toEpochMilli(), "u-1", "account-console"))))));

        List<PartnerRealm.LoginEvent> seen = new ArrayList<>();
        long count = partnerRealm.forEachLoginEvent(from, to, seen::add);

        // of the required actions only the accepted terms: the password alone is no sign of the person
        assertThat(count).isEqualTo(PartnerRealm.EVENT_PAGE_SIZE + 2);
        assertThat(seen).hasSize(PartnerRealm.EVENT_PAGE_SIZE + 2);
        assertThat(seen.get(0)).isEqualTo(new PartnerRealm.LoginEvent("CLIENT_LOGIN", from, "sa-0", "pa-m-0", null));
        assertThat(seen.get(seen.size() - 2)).isEqualTo(new PartnerRealm.LoginEvent(
                PartnerRealm.TERMS_ACCEPTED, to.minusMillis(1), "u-1", "account-console", null));
        assertThat(seen.get(seen.size() - 1)).isEqualTo(new PartnerRealm.LoginEvent("LOGIN", to, "u-1",
                "account-console", null));
        List<com.github.tomakehurst.wiremock.verification.LoggedRequest> requests = wireMock.findAll(
                com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(urlPathEqualTo(ADMIN + "/events")));
        assertThat(requests).hasSize(2).allSatisfy(request -> {
            assertThat(request.queryParameter("type").values()).containsExactly("LOGIN", "CLIENT_LOGIN",
                    "CUSTOM_REQUIRED_ACTION");
            assertThat(request.queryParameter("dateFrom").firstValue()).isEqualTo(String.valueOf(from.toEpochMilli()));
            assertThat(request.queryParameter("dateTo").firstValue()).isEqualTo(String.valueOf(to.toEpochMilli()));
            assertThat(request.queryParameter("direction").firstValue()).isEqualTo("asc");
            assertThat(request.queryParameter("max").firstValue())
                    .isEqualTo(String.valueOf(PartnerRealm.EVENT_PAGE_SIZE));
        });
    }

    @Test
    void noEventsMeansOneRequest() {
        wireMock.stubFor(events().willReturn(okJson("[]")));

        assertThat(partnerRealm.forEachLoginEvent(java.time.Instant.EPOCH, java.time.Instant.now(), event -> {
            throw new AssertionError("no event expected");
        })).isZero();
        wireMock.verify(1, com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
                urlPathEqualTo(ADMIN + "/events")));
    }

    @Test
    void eventsWithoutViewEventsAreRejectedAndAServerErrorIsRetryable() {
        wireMock.stubFor(events().willReturn(aResponse().withStatus(403)));
        Throwable forbidden = catchThrowable(() -> partnerRealm.forEachLoginEvent(java.time.Instant.EPOCH,
                java.time.Instant.now(), event -> { }));
        assertThat(forbidden).isInstanceOf(KeycloakRejectedException.class).hasMessageContaining("read login events");
        assertThat(((KeycloakRejectedException) forbidden).status()).isEqualTo(403);

        wireMock.stubFor(events().willReturn(aResponse().withStatus(503)));
        assertThatThrownBy(() -> partnerRealm.forEachLoginEvent(java.time.Instant.EPOCH, java.time.Instant.now(),
                event -> { })).isInstanceOf(KeycloakUnavailableException.class);
    }

    // ---- stubs ----

    private static MappingBuilder events() {
        return get(urlPathEqualTo(ADMIN + "/events"));
    }

    private static Map<String, Object> requiredAction(String action, long time, String userId) {
        return Map.of("type", "CUSTOM_REQUIRED_ACTION", "time", time, "userId", userId, "clientId", "account-console",
                "realmId", "partner", "details", Map.of("custom_required_action", action));
    }

    private static Map<String, Object> event(String type, long time, String userId, String clientId) {
        return Map.of("type", type, "time", time, "userId", userId, "clientId", clientId, "realmId", "partner");
    }

    private static KeycloakProperties properties(String url) {
        return new KeycloakProperties(url, "partner", "staff", "partner-access-provisioner", SECRET,
                Duration.ofMillis(500), READ_TIMEOUT, 20, Duration.ofSeconds(30));
    }

    private static PartnerClients.MachineClient machine(PartnerClients.AuthMethod authMethod, String jwksUrl) {
        return new PartnerClients.MachineClient("pa-m-1", "Acme order sync", "reads open orders", "acme",
                "identity-2", List.of("orders.read", "invoices.read"), Duration.ofSeconds(60), authMethod, jwksUrl);
    }

    private static MappingBuilder userLookup() {
        return get(urlPathEqualTo(USERS)).withQueryParam("username", equalTo("pat@acme.example"))
                .withQueryParam("exact", equalTo("true"));
    }

    private static void stubUserLookup(List<?> found) {
        wireMock.stubFor(userLookup().willReturn(okJson(json(found))));
    }

    private static MappingBuilder clientLookup() {
        return get(urlPathEqualTo(CLIENTS)).withQueryParam("clientId", equalTo("pa-m-1"));
    }

    private static void stubClientLookup(List<?> found) {
        wireMock.stubFor(clientLookup().willReturn(okJson(json(found))));
    }

    private static void stubScopes() {
        wireMock.stubFor(get(ADMIN + "/client-scopes").willReturn(okJson(json(List.of(scope("s-basic", "basic"),
                scope("s-profile", "profile"), scope("s-offline", "offline_access"), scope("s-orders", "orders.read"),
                scope("s-invoices", "invoices.read"), scope("s-introspection", "partner-access-introspection"),
                scope("s-service-account", "service_account"))))));
    }

    private static void stubScopesOfClient(String id, List<?> defaults) {
        wireMock.stubFor(get(CLIENTS + "/" + id + "/default-client-scopes").willReturn(okJson(json(defaults))));
        wireMock.stubFor(get(CLIENTS + "/" + id + "/optional-client-scopes").willReturn(okJson("[]")));
        wireMock.stubFor(put(urlPathMatching(CLIENTS + "/" + id + "/default-client-scopes/.*"))
                .willReturn(aResponse().withStatus(204)));
    }

    private static Map<String, Object> user(String id, String username, String identityId) {
        return Map.of("id", id, "username", username, "enabled", true, "attributes", Map.of(
                KeycloakAttributes.PARTNERSHIP, List.of("acme"), KeycloakAttributes.IDENTITY, List.of(identityId)));
    }

    private static Map<String, Object> client(String id, String clientId, String identityId) {
        return client(id, clientId, identityId, "acme");
    }

    private static Map<String, Object> client(String id, String clientId, String identityId, String partnershipKey) {
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("id", id);
        client.put("clientId", clientId);
        client.put("enabled", true);
        client.put("attributes", Map.of(KeycloakAttributes.PARTNERSHIP, partnershipKey,
                KeycloakAttributes.IDENTITY, identityId, "access.token.lifespan", "60"));
        return client;
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

    private static JsonNode onlyRequestBody(String method, String path) throws JsonProcessingException {
        List<String> bodies = wireMock.getAllServeEvents().stream()
                .filter(event -> event.getRequest().getMethod().getName().equals(method))
                .filter(event -> event.getRequest().getUrl().split("\\?")[0].equals(path))
                .map(event -> event.getRequest().getBodyAsString())
                .toList();
        assertThat(bodies).as(method + " " + path).hasSize(1);
        return JSON.readTree(bodies.get(0));
    }

    /** Scope link changes in the order they reached Keycloak, e.g. "PUT default-client-scopes/s-orders". */
    private static List<String> scopeChanges() {
        List<String> changes = new ArrayList<>(wireMock.getAllServeEvents().stream()
                .filter(event -> event.getRequest().getUrl().contains("-client-scopes/"))
                .map(event -> event.getRequest().getMethod().getName() + " "
                        + event.getRequest().getUrl().replaceAll(".*/((default|optional)-client-scopes/.*)", "$1"))
                .toList());
        Collections.reverse(changes);
        return changes;
    }

    private static List<String> texts(JsonNode array) {
        return array == null ? List.of() : StreamSupport.stream(array.spliterator(), false)
                .map(JsonNode::asText).toList();
    }
}
