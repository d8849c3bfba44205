package org.partneraccess.keycloak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.partneraccess.support.ItFixtures;
import org.partneraccess.support.PartnerAccessTest;
import org.partneraccess.support.Tokens;
import org.springframework.beans.factory.annotation.Autowired;

/** The gateway against the real Keycloak server: what it creates is asserted in Keycloak and by real token requests. */
@PartnerAccessTest
class KeycloakGatewayIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    ItFixtures fixtures;
    @Autowired
    PartnerUsers partnerUsers;
    @Autowired
    PartnerClients partnerClients;
    @Autowired
    PartnerRealm partnerRealm;

    @Test
    void createsAPartnerUserOnceWithRegistryAttributes() {
        String username = "pat-" + UUID.randomUUID() + "@partner.example.org";
        PartnerUsers.PartnerUser user = new PartnerUsers.PartnerUser(username, username, "Pat", "Partner",
                "acme-test", "identity-1");

        String id = partnerUsers.ensureUser(user);
        assertThat(partnerUsers.ensureUser(user)).as("looked up, not created twice").isEqualTo(id);

        UserRepresentation stored = partnerUsers.findUserById(id).orElseThrow();
        assertThat(stored.isEnabled()).isTrue();
        assertThat(stored.getAttributes().get(KeycloakAttributes.PARTNERSHIP)).containsExactly("acme-test");
        assertThat(stored.getAttributes().get(KeycloakAttributes.IDENTITY)).containsExactly("identity-1");
        assertThat(partnerUsers.findUsersOfPartnership("acme-test")).extracting(UserRepresentation::getId).contains(id);

        assertThatThrownBy(() -> partnerUsers.disableUser(id, "identity-2")).as("another identity's revocation")
                .isInstanceOf(KeycloakRejectedException.class);
        assertThat(partnerUsers.findUserById(id).orElseThrow().isEnabled()).isTrue();
        partnerUsers.disableUser(id, "identity-1");
        assertThat(partnerUsers.findUserById(id).orElseThrow().isEnabled()).isFalse();
        partnerUsers.deleteUser(id);
        partnerUsers.deleteUser(id);
        assertThat(partnerUsers.findUser(username)).isEmpty();
    }

    @Test
    void machineClientGetsATokenWithOnlyItsScopesUntilDisabled() throws Exception {
        String clientId = "pa-m-" + UUID.randomUUID().toString().substring(0, 8);
        PartnerClients.MachineClient machine = new PartnerClients.MachineClient(clientId, "Acme order sync",
                "reads open orders", "acme-test", "identity-2", List.of("orders.read", "invoices.read"),
                Duration.ofSeconds(60), PartnerClients.AuthMethod.CLIENT_SECRET, null);

        String internalId = partnerClients.ensureMachineClient(machine);
        assertThat(partnerClients.ensureMachineClient(machine)).isEqualTo(internalId);

        ClientRepresentation client = partnerClients.findClient(clientId).orElseThrow();
        assertThat(client.isPublicClient()).isFalse();
        assertThat(client.isServiceAccountsEnabled()).isTrue();
        assertThat(client.isStandardFlowEnabled()).isFalse();
        assertThat(client.isDirectAccessGrantsEnabled()).isFalse();
        assertThat(client.isImplicitFlowEnabled()).isFalse();
        assertThat(client.getAttributes()).containsEntry(KeycloakAttributes.PARTNERSHIP, "acme-test")
                .containsEntry(KeycloakAttributes.IDENTITY, "identity-2")
                .containsEntry("access.token.lifespan", "60");
        assertThat(partnerClients.defaultClientScopesOf(clientId)).containsExactlyInAnyOrder("orders.read", "invoices.read",
                "basic", "partner-access-introspection");
        assertThat(partnerClients.findClientsOfPartnership("acme-test")).extracting(ClientRepresentation::getClientId)
                .contains(clientId);

        String secret = partnerClients.currentSecret(clientId).orElseThrow();
        HttpResponse<String> granted = Tokens.clientCredentials(fixtures.keycloakUrl(), "partner", clientId, secret);
        assertThat(granted.statusCode()).as(granted.body()).isEqualTo(200);
        JsonNode token = JSON.readTree(granted.body());
        assertThat(token.get("expires_in").asInt()).isEqualTo(60);
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(token.get("access_token").asText().split("\\.")[1]));
        assertThat(List.of(claims.get("scope").asText().split(" "))).contains("orders.read", "invoices.read")
                .doesNotContain("orders.write", "payments.initiate");

        assertThatThrownBy(() -> partnerClients.disableClient(clientId, "identity-1")).as("another identity's revocation")
                .isInstanceOf(KeycloakRejectedException.class);
        assertThat(partnerClients.findClient(clientId).orElseThrow().isEnabled()).isTrue();
        partnerClients.disableClient(clientId, "identity-2");
        assertThat(partnerClients.findClient(clientId).orElseThrow().isEnabled()).isFalse();
        HttpResponse<String> refused = Tokens.clientCredentials(fixtures.keycloakUrl(), "partner", clientId, secret);
        assertThat(refused.statusCode()).isIn(400, 401);

        partnerClients.enableClient(clientId, "identity-2");
        partnerClients.replaceSecret(clientId, "identity-2");
        String rotated = partnerClients.currentSecret(clientId).orElseThrow();
        assertThat(Tokens.clientCredentials(fixtures.keycloakUrl(), "partner", clientId, secret).statusCode())
                .as("the old secret stops working").isIn(400, 401);
        assertThat(Tokens.clientCredentials(fixtures.keycloakUrl(), "partner", clientId, rotated).statusCode())
                .isEqualTo(200);

        assertThatThrownBy(() -> partnerClients.deleteClient(clientId, "identity-1")).isInstanceOf(KeycloakRejectedException.class);
        partnerClients.deleteClient(clientId, "identity-2");
        partnerClients.deleteClient(clientId, "identity-2");
        assertThat(partnerClients.findClient(clientId)).isEmpty();
    }

    @Test
    void permissionScopesAreClassifiedReadOrWrite() {
        assertThat(partnerRealm.permissionScopes()).containsEntry("orders.read", "read").containsEntry("invoices.read", "read")
                .containsEntry("orders.write", "write").containsEntry("payments.initiate", "write")
                .doesNotContainKeys("profile", "basic", "partner-access-introspection");
    }

    @Test
    void signedJwtClientHasNoSharedSecret() {
        String clientId = "pa-m-" + UUID.randomUUID().toString().substring(0, 8);
        partnerClients.ensureMachineClient(new PartnerClients.MachineClient(clientId, "Acme agent", "plans shipments",
                "acme-test", "identity-3", List.of("shipments.read"), Duration.ofSeconds(60),
                PartnerClients.AuthMethod.SIGNED_JWT, "https://acme.example.org/.well-known/jwks.json"));
        ClientRepresentation client = partnerClients.findClient(clientId).orElseThrow();
        assertThat(client.getClientAuthenticatorType()).isEqualTo("client-jwt");
        assertThat(client.getAttributes()).containsEntry("use.jwks.url", "true")
                .containsEntry("jwks.url", "https://acme.example.org/.well-known/jwks.json");
        partnerClients.deleteClient(clientId, "identity-3");
    }
}
