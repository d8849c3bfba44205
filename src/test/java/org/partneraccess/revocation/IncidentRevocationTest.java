package org.partneraccess.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.ClientRepresentation;
import org.partneraccess.LifecycleState;
import org.partneraccess.audit.AuditLog;
import org.partneraccess.audit.IdentityAction;
import org.partneraccess.human.HumanIdentityAccess;
import org.partneraccess.inventory.IdentityAccesses;
import org.partneraccess.inventory.IdentityKind;
import org.partneraccess.inventory.IdentityRegistry;
import org.partneraccess.machine.MachineIdentityAccess;
import org.partneraccess.machine.MachineRegistrationService;
import org.partneraccess.inventory.IdentityStates;
import org.partneraccess.inventory.PartnerIdentity;
import org.partneraccess.keycloak.KeycloakAttributes;
import org.partneraccess.keycloak.PartnerClients;
import org.partneraccess.keycloak.PartnerUsers;
import org.partneraccess.keycloak.KeycloakUnavailableException;
import org.partneraccess.keycloak.TokenProbe;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.SimpleTransactionStatus;

/** What the cut-off does when Keycloak fails for some identities: the rest are revoked, the failed ones named. */
class IncidentRevocationTest {

    private final IdentityRegistry identities = mock(IdentityRegistry.class);
    private final PartnerUsers partnerUsers = mock(PartnerUsers.class);
    private final PartnerClients partnerClients = mock(PartnerClients.class);
    private final TokenProbe probe = mock(TokenProbe.class);
    private final AuditLog audit = mock(AuditLog.class);
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final IdentityStates states = mock(IdentityStates.class);
    private final PlatformTransactionManager transactions = mock(PlatformTransactionManager.class);
    /** Each kind's own definition of access, as the application has it, on the mocked gateway. */
    private final IdentityAccesses accesses = new IdentityAccesses(List.of(new HumanIdentityAccess(partnerUsers),
            new MachineIdentityAccess(partnerClients, probe, mock(MachineRegistrationService.class))));
    private final IncidentRevocation revocation = new IncidentRevocation(identities, states, accesses, audit,
            pool, transactions);
    private final List<PartnerIdentity> rows = new ArrayList<>();

    /** The registry as the conditional step sees it: each row found by id, revoked by the step unless ended. */
    @BeforeEach
    void registry() {
        when(transactions.getTransaction(any())).thenAnswer(invocation -> new SimpleTransactionStatus());
        when(identities.find(anyString())).thenAnswer(invocation -> rows.stream()
                .filter(row -> row.getId().equals(invocation.getArgument(0))).findFirst());
        when(states.revoke(anyString(), anyString(), any(Instant.class), anyLong())).thenAnswer(invocation -> {
            PartnerIdentity row = identities.find(invocation.getArgument(0)).orElseThrow();
            if (row.getState().isFinal()) {
                return IdentityStates.Step.ALREADY_THERE;
            }
            row.revoke(invocation.getArgument(1), invocation.getArgument(2));
            return IdentityStates.Step.MOVED;
        });
    }

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    @Test
    void aFailingKeycloakCallLeavesOnlyThatIdentityUnrevokedAndTheNextAttemptFinishesIt() {
        PartnerIdentity ada = person("ada", "kc-ada");
        PartnerIdentity bob = person("bob", "kc-bob");
        PartnerIdentity robot = machine("robot");
        when(identities.notEndedOf("acme")).thenAnswer(invocation ->
                rows.stream().filter(row -> LifecycleState.notEnded().contains(row.getState())).toList());
        doThrow(new KeycloakUnavailableException("disable user kc-bob failed: 503", null))
                .doNothing().when(partnerUsers).disableUser("kc-bob", "bob");
        when(partnerClients.findClientById("kc-robot")).thenReturn(Optional.of(secretClient("robot")));
        when(probe.clientCredentials("robot", "old-secret")).thenReturn(Optional.of("earlier-token"), Optional.empty());
        when(probe.active("earlier-token")).thenReturn(false);

        IncidentRevocation.Outcome first = revocation.cutOff("acme", "breach", "sofia.security");
        assertThat(first.unrevoked()).extracting(IncidentRevocation.IdentityOutcome::identityId).containsExactly("bob");
        assertThat(first.unrevoked().get(0).failure()).contains("503");
        assertThat(ada.getState()).isEqualTo(LifecycleState.REVOKED);
        assertThat(robot.getState()).isEqualTo(LifecycleState.REVOKED);
        assertThat(bob.getState()).isEqualTo(LifecycleState.ACTIVE);
        verify(partnerClients).disableClient(argThat((ClientRepresentation client) -> "robot".equals(client.getClientId())), eq("robot"));
        verify(partnerClients).replaceSecret(argThat((ClientRepresentation client) -> "robot".equals(client.getClientId())));
        verify(audit).record(eq("sofia.security"), eq(IdentityAction.IDENTITY_CUT_OFF), eq("acme"), eq("robot"),
                eq("breach; oldSecretRefused=true; earlierTokenInactive=true"));

        IncidentRevocation.Outcome second = revocation.cutOff("acme", "breach", "sofia.security");
        assertThat(second.unrevoked()).isEmpty();
        assertThat(second.identities()).extracting(IncidentRevocation.IdentityOutcome::identityId).containsExactly("bob");
        assertThat(bob.getState()).isEqualTo(LifecycleState.REVOKED);
        verify(partnerUsers, times(1)).disableUser("kc-ada", "ada");
        verify(partnerUsers, times(2)).disableUser("kc-bob", "bob");
        verify(partnerUsers).logoutUser("kc-bob");
    }

    @Test
    void aRowChangedByConcurrentWorkBetweenItsKeycloakCallsAndItsStepIsCutOffAgainAtOnce() {
        person("cid", "kc-cid");
        when(identities.notEndedOf("acme")).thenReturn(List.copyOf(rows));
        // a resumption enabled the user and moved the row after the first disable: the step refuses the old version
        when(states.revoke(eq("cid"), anyString(), any(Instant.class), anyLong()))
                .thenReturn(IdentityStates.Step.CHANGED_MEANWHILE).thenAnswer(invocation -> {
                    rows.get(0).revoke("breach", Instant.now());
                    return IdentityStates.Step.MOVED;
                });

        IncidentRevocation.Outcome outcome = revocation.cutOff("acme", "breach", "sofia.security");
        assertThat(outcome.unrevoked()).isEmpty();
        verify(partnerUsers, times(2)).disableUser("kc-cid", "cid");
        verify(partnerUsers, times(2)).logoutUser("kc-cid");
        verify(audit, times(1)).record("sofia.security", IdentityAction.IDENTITY_CUT_OFF, "acme", "cid", "breach");
    }

    @Test
    void aFailureThatIsNotAnUnreachableKeycloakIsTriedAgainAtOnceWithinTheSameCutOff() {
        PartnerIdentity dee = person("dee", "kc-dee");
        when(identities.notEndedOf("acme")).thenReturn(List.copyOf(rows));
        doThrow(new IllegalStateException("connection reset")).doNothing().when(partnerUsers).logoutUser("kc-dee");

        IncidentRevocation.Outcome outcome = revocation.cutOff("acme", "breach", "sofia.security");
        assertThat(outcome.unrevoked()).isEmpty();
        assertThat(dee.getState()).isEqualTo(LifecycleState.REVOKED);
        verify(partnerUsers, times(2)).logoutUser("kc-dee");
    }

    @Test
    void aPersonWithoutARecordedUserIsFoundByNameAndDisabledOnlyWhenTheUserCarriesTheIdentity() {
        PartnerIdentity eve = new PartnerIdentity("eve", "acme", IdentityKind.HUMAN, "Eve", "eve@partner.example.org",
                "eve@partner.example.org", "sam.sponsor", "purpose", null, Set.of("orders.read"), Instant.now(), "rita");
        eve.approve("sam.sponsor", Instant.now());
        rows.add(eve);
        PartnerIdentity fay = new PartnerIdentity("fay", "acme", IdentityKind.HUMAN, "Fay", "fay@partner.example.org",
                "fay@partner.example.org", "sam.sponsor", "purpose", null, Set.of("orders.read"), Instant.now(), "rita");
        rows.add(fay);
        when(identities.notEndedOf("acme")).thenReturn(List.copyOf(rows));
        when(partnerUsers.findUser("eve@partner.example.org")).thenReturn(Optional.of(user("kc-eve", "eve")));
        when(partnerUsers.findUser("fay@partner.example.org")).thenReturn(Optional.of(user("kc-other", "someone-else")));

        assertThat(revocation.cutOff("acme", "breach", "sofia.security").unrevoked()).isEmpty();
        verify(partnerUsers).disableUser("kc-eve", "eve");
        verify(partnerUsers).logoutUser("kc-eve");
        verify(partnerUsers, never()).disableUser(eq("kc-other"), any());
        assertThat(rows).extracting(PartnerIdentity::getState).containsOnly(LifecycleState.REVOKED);
    }

    private static org.keycloak.representations.idm.UserRepresentation user(String id, String identityId) {
        org.keycloak.representations.idm.UserRepresentation user = new org.keycloak.representations.idm.UserRepresentation();
        user.setId(id);
        user.setAttributes(Map.of(KeycloakAttributes.IDENTITY, List.of(identityId)));
        return user;
    }

    @Test
    void aMachineWhoseOldSecretStillWorksIsNotCountedAsRevoked() {
        machine("leaky");
        when(identities.notEndedOf("acme")).thenReturn(List.copyOf(rows));
        when(partnerClients.findClientById("kc-leaky")).thenReturn(Optional.of(secretClient("leaky")));
        when(probe.clientCredentials("leaky", "old-secret")).thenReturn(Optional.of("token"));
        when(probe.active("token")).thenReturn(true);

        IncidentRevocation.Outcome outcome = revocation.cutOff("acme", "breach", "sofia.security");
        assertThat(outcome.unrevoked()).singleElement().satisfies(identity -> {
            assertThat(identity.oldSecretRefused()).isFalse();
            assertThat(identity.earlierTokenInactive()).isFalse();
        });
        assertThat(rows.get(0).getState()).isEqualTo(LifecycleState.ACTIVE);
        verifyNoInteractions(audit);
    }

    @Test
    void aClientAlreadyGoneFromKeycloakCountsAsRevokedWithoutFurtherCalls() {
        PartnerIdentity gone = machine("gone");
        when(identities.notEndedOf("acme")).thenReturn(List.copyOf(rows));
        when(partnerClients.findClientById("kc-gone")).thenReturn(Optional.empty());

        assertThat(revocation.cutOff("acme", "breach", "sofia.security").unrevoked()).isEmpty();
        assertThat(gone.getState()).isEqualTo(LifecycleState.REVOKED);
        verify(partnerClients, never()).disableClient(any(ClientRepresentation.class), any());
        verify(probe, never()).clientCredentials(anyString(), anyString());
    }

    @Test
    void aClientThatCarriesAnotherIdentityIsNeitherProbedNorDisabled() {
        PartnerIdentity tampered = machine("tampered");
        when(identities.notEndedOf("acme")).thenReturn(List.copyOf(rows));
        // the registry row points at someone else's client
        when(partnerClients.findClientById("kc-tampered")).thenReturn(Optional.of(secretClient("victim")));

        IncidentRevocation.Outcome outcome = revocation.cutOff("acme", "breach", "sofia.security");
        assertThat(outcome.unrevoked()).singleElement().satisfies(identity ->
                assertThat(identity.failure()).contains("not bound to identity tampered"));
        assertThat(tampered.getState()).isEqualTo(LifecycleState.ACTIVE);
        verify(partnerClients, never()).disableClient(any(ClientRepresentation.class), any());
        verify(partnerClients, never()).replaceSecret(any(ClientRepresentation.class));
        verify(probe, never()).clientCredentials(anyString(), anyString());
    }

    private static ClientRepresentation secretClient(String clientId) {
        ClientRepresentation client = new ClientRepresentation();
        client.setId("kc-" + clientId);
        client.setClientId(clientId);
        client.setClientAuthenticatorType("client-secret");
        client.setSecret("old-secret");
        client.setAttributes(Map.of(KeycloakAttributes.IDENTITY, clientId));
        return client;
    }

    private PartnerIdentity person(String id, String keycloakId) {
        PartnerIdentity row = new PartnerIdentity(id, "acme", IdentityKind.HUMAN, id, id + "@partner.example.org",
                id + "@partner.example.org", "sam.sponsor", "purpose", null, Set.of("orders.read"), Instant.now(), "rita");
        row.provisioned(keycloakId);
        rows.add(row);
        return row;
    }

    private PartnerIdentity machine(String clientId) {
        PartnerIdentity row = new PartnerIdentity(clientId, "acme", IdentityKind.MACHINE, clientId, clientId, null,
                "ian.owner", "purpose", "test", Set.of("orders.read"), Instant.now(), "rita");
        row.provisioned("kc-" + clientId);
        rows.add(row);
        return row;
    }
}
