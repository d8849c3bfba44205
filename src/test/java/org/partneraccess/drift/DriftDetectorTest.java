package org.partneraccess.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyCollection;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.RETURNS_DEEP_STUBS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;

import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ClientScopeRepresentation;
import org.keycloak.representations.idm.IdentityProviderRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.partneraccess.LifecycleState;
import org.partneraccess.ProcessIds;
import org.partneraccess.human.HumanAccessService;
import org.partneraccess.inventory.IdentityKind;
import org.partneraccess.inventory.IdentityLifecycle;
import org.partneraccess.inventory.IdentityLifecycles;
import org.partneraccess.inventory.IdentityRegistry;
import org.partneraccess.inventory.PartnerIdentity;
import org.partneraccess.keycloak.KeycloakAttributes;
import org.partneraccess.keycloak.PartnerClients;
import org.partneraccess.keycloak.PartnerRealm;
import org.partneraccess.keycloak.PartnerUsers;
import org.partneraccess.keycloak.ProvisionedClient;
import org.partneraccess.keycloak.PartnerIdentityProviders;
import org.partneraccess.trust.WorkloadTrust;
import org.partneraccess.trust.WorkloadTrusts;
import org.partneraccess.keycloak.KeycloakProperties;
import org.partneraccess.machine.MachineAccessService;
import org.partneraccess.machine.MachineProfile;
import org.partneraccess.machine.MachineRegistrationService;
import org.partneraccess.partnership.Partnership;
import org.partneraccess.partnership.Partnerships;
import org.springframework.test.util.ReflectionTestUtils;

/** What the detector leaves alone and why: the edges the integration test does not reach. */
class DriftDetectorTest {

    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

    private final PartnerUsers partnerUsers = mock(PartnerUsers.class);
    private final PartnerClients partnerClients = mock(PartnerClients.class);
    private final PartnerRealm partnerRealm = mock(PartnerRealm.class);
    private final IdentityRegistry identities = mock(IdentityRegistry.class);
    private final Partnerships partnerships = mock(Partnerships.class);
    private final MachineRegistrationService machines = mock(MachineRegistrationService.class);
    private final HumanAccessService humans = mock(HumanAccessService.class);
    private final MachineAccessService machineAccess = mock(MachineAccessService.class);
    private final PartnerIdentityProviders providers = mock(PartnerIdentityProviders.class);
    private final WorkloadTrusts trusts = mock(WorkloadTrusts.class);
    private final RuntimeService runtime = mock(RuntimeService.class, RETURNS_DEEP_STUBS);
    private final List<UserRepresentation> users = new ArrayList<>();
    private final List<ClientRepresentation> clients = new ArrayList<>();
    private final Map<String, PartnerIdentity> registry = new HashMap<>();
    private final Partnership partnership = new Partnership("acme", "Acme", "sam.sponsor", "ian.owner", "ian.owner",
            "Acme reads open orders to plan shipments", Set.of("internal"), Set.of("test"), Set.of("orders.read"),
            LocalDate.of(2027, 6, 1), "rita.requester");
    private DriftDetector detector;

    @BeforeEach
    void setUp() {
        KeycloakProperties keycloakProperties = mock(KeycloakProperties.class);
        when(keycloakProperties.clientId()).thenReturn("partner-access-provisioner");
        // each kind's own answer to who answers for its identities
        for (IdentityLifecycle lifecycle : List.of(humans, machineAccess)) {
            when(lifecycle.kind()).thenCallRealMethod();
            when(lifecycle.answerableFor(any(), any())).thenCallRealMethod();
        }
        detector = new DriftDetector(partnerUsers, partnerClients, partnerRealm, identities, partnerships, machines, humans,
                new IdentityLifecycles(List.of(humans, machineAccess)), runtime,
                new DriftProperties(Duration.ofHours(1), Duration.ofMinutes(5), List.of("account", "admin-cli"),
                        List.of("basic", "partner-access-introspection"), Duration.ofDays(7)),
                keycloakProperties, providers, trusts);
        when(partnerUsers.listUsers()).thenReturn(users);
        when(partnerClients.listClients()).thenReturn(clients);
        when(identities.findAll(anyCollection())).thenAnswer(invocation -> {
            List<PartnerIdentity> found = new ArrayList<>();
            ((Iterable<?>) invocation.getArgument(0)).forEach(id -> {
                if (registry.containsKey(id)) {
                    found.add(registry.get(id));
                }
            });
            return found;
        });
        partnership.moveTo(LifecycleState.ACTIVE, null);
        when(partnerships.findAll(any())).thenReturn(List.of(partnership));
        when(machines.findProfile(anyString())).thenReturn(Optional.empty());
    }

    @Test
    void serviceAccountUsersAreJudgedWithTheirClientButANameAloneDoesNotHideAUser() {
        clients.add(client("pa-m-acme-1", null, false));
        users.add(user("service-account-pa-m-acme-1", null));
        users.add(user("service-account-made-up", null));

        assertThat(detector.detect(NOW)).filteredOn(finding -> finding.object().type() == DriftFinding.ObjectType.USER)
                .extracting(finding -> finding.object().name()).containsExactly("service-account-made-up");
    }

    @Test
    void keycloaksAndTheApplicationsOwnClientsAreNoOrphansAForeignOneIsEvenDisabled() {
        clients.add(client("account", null, true));
        clients.add(client("admin-cli", null, true));
        clients.add(client("partner-access-provisioner", null, true));
        clients.add(client("left-over", null, false));
        clients.add(client("rogue", null, true));

        assertThat(detector.detect(NOW)).as("the application's credential could enable the disabled one again")
                .extracting(DriftFinding::key).containsExactly("ORPHAN/client/left-over/disabled", "ORPHAN/client/rogue");
    }

    @Test
    void aRevokedMachinesDisabledClientIsNoOrphan() {
        machine("m-0", LifecycleState.REVOKED);
        clients.add(client("pa-m-m-0", "m-0", false));

        assertThat(detector.detect(NOW)).isEmpty();
    }

    @Test
    void aClientScopeIsFoundUnlessItIsAPermissionKeycloaksOrTheApplicationsOwn() {
        ClientScopeRepresentation permission = scope("orders.read");
        permission.setAttributes(Map.of(KeycloakAttributes.ACCESS, "read"));
        ClientScopeRepresentation foreign = scope("all-apis");
        ProtocolMapperRepresentation audience = new ProtocolMapperRepresentation();
        audience.setName("every api");
        audience.setProtocolMapper("oidc-audience-mapper");
        audience.setConfig(Map.of("included.custom.audience", "payments-api"));
        foreign.setProtocolMappers(List.of(audience));
        when(partnerRealm.listClientScopes()).thenReturn(List.of(permission, scope("basic"),
                scope("partner-access-introspection"), foreign));

        List<DriftFinding> found = detector.detect(NOW);
        assertThat(found).extracting(DriftFinding::key).containsExactly("FOREIGN_SCOPE/scope/all-apis");
        assertThat(found.get(0).object().type()).isEqualTo(DriftFinding.ObjectType.SCOPE);
        assertThat(found.get(0).reviewers()).as("the security officers").isEmpty();
        assertThat(found.get(0).found()).contains("every api (oidc-audience-mapper {included.custom.audience=payments-api})");
    }

    @Test
    void aRecheckOfAForeignClientScopeNeverCorrectsIt() {
        ClientScopeRepresentation foreign = scope("all-apis");
        when(partnerRealm.findClientScopeById("id-all-apis")).thenReturn(Optional.of(foreign));
        assertThat(detector.recheck(stored(DriftKind.FOREIGN_SCOPE, DriftFinding.ObjectType.SCOPE, "all-apis", null,
                Set.of()), NOW).outcome()).isEqualTo(DriftDetector.Recheck.Outcome.NOT_A_PARTNER_IDENTITY);

        foreign.setAttributes(Map.of(KeycloakAttributes.ACCESS, "read"));
        assertThat(detector.recheck(stored(DriftKind.FOREIGN_SCOPE, DriftFinding.ObjectType.SCOPE, "all-apis", null,
                Set.of()), NOW).outcome()).as("in the catalogue now").isEqualTo(DriftDetector.Recheck.Outcome.GONE);
        when(partnerRealm.findClientScopeById("id-all-apis")).thenReturn(Optional.empty());
        assertThat(detector.recheck(stored(DriftKind.FOREIGN_SCOPE, DriftFinding.ObjectType.SCOPE, "all-apis", null,
                Set.of()), NOW).outcome()).as("deleted").isEqualTo(DriftDetector.Recheck.Outcome.GONE);
    }

    @Test
    void aMachineClientConfiguredBeyondProvisioningIsFoundEachDifferenceNamed() {
        machine("m-1", LifecycleState.ACTIVE);
        ClientRepresentation client = client("pa-m-m-1", "m-1", true);
        clients.add(client);
        assertThat(detector.detect(NOW)).as("as provisioned").isEmpty();

        client.setStandardFlowEnabled(true);
        client.setRedirectUris(List.of("https://evil.example.org/callback"));
        client.setClientAuthenticatorType("client-x509");
        client.getAttributes().put("standard.token.exchange.enabled", "true");
        ProtocolMapperRepresentation claim = new ProtocolMapperRepresentation();
        claim.setId("mapper-1");
        claim.setName("is admin, really");
        claim.setProtocolMapper("oidc-hardcoded-claim-mapper");
        claim.setConfig(Map.of("claim.name", "admin", "claim.value", "true"));
        client.setProtocolMappers(List.of(claim));

        List<DriftFinding> found = detector.detect(NOW);
        assertThat(found).extracting(DriftFinding::kind).containsExactly(DriftKind.CLIENT_CONFIG);
        assertThat(found.get(0).excess()).containsExactlyInAnyOrder("standardFlow", "redirectUris",
                "authenticator client-x509", "standard.token.exchange.enabled", "mapper mapper-1");
        assertThat(found.get(0).found()).contains("is admin, really (oidc-hardcoded-claim-mapper {claim.name=admin, "
                + "claim.value=true})", "redirect URIs [https://evil.example.org/callback]");
        assertThat(found.get(0).identityId()).isEqualTo("m-1");
        assertThat(found.get(0).reviewers()).as("the security officers, not the owner").isEmpty();
    }

    @Test
    void aClientWhoseDpopBindingThePolicyRequiredIsSwitchedOffIsConfiguredBeyondProvisioning() {
        machine("m-3", LifecycleState.ACTIVE);
        when(machines.findProfile("m-3").orElseThrow().isDpopBoundTokens()).thenReturn(true);
        ClientRepresentation client = client("pa-m-m-3", "m-3", true);
        client.getAttributes().put(ProvisionedClient.DPOP_BOUND_ACCESS_TOKENS, "true");
        clients.add(client);
        machine("m-4", LifecycleState.ACTIVE);
        // provisioned before the policy decided on DPoP: the switch was never set, which Keycloak reads as off
        clients.add(client("pa-m-m-4", "m-4", true));
        assertThat(detector.detect(NOW)).as("as provisioned").isEmpty();

        client.getAttributes().put(ProvisionedClient.DPOP_BOUND_ACCESS_TOKENS, "false");
        List<DriftFinding> found = detector.detect(NOW);
        assertThat(found).extracting(DriftFinding::kind).containsExactly(DriftKind.CLIENT_CONFIG);
        assertThat(found.get(0).identityId()).isEqualTo("m-3");
        assertThat(found.get(0).excess()).containsExactly(ProvisionedClient.DPOP_BOUND_ACCESS_TOKENS);
        assertThat(found.get(0).expected()).contains("DPoP-bound access tokens required");
        assertThat(found.get(0).reviewers()).as("the security officers").isEmpty();

        client.getAttributes().remove(ProvisionedClient.DPOP_BOUND_ACCESS_TOKENS);
        assertThat(detector.detect(NOW)).as("unset is off").extracting(DriftFinding::excess)
                .containsExactly(Set.of(ProvisionedClient.DPOP_BOUND_ACCESS_TOKENS));

        // a machine whose profile the registry lacks: what the policy decided is unknown, the switch unjudged
        client.getAttributes().put(ProvisionedClient.DPOP_BOUND_ACCESS_TOKENS, "true");
        when(machines.findProfile("m-4")).thenReturn(Optional.empty());
        clients.get(1).getAttributes().put(ProvisionedClient.DPOP_BOUND_ACCESS_TOKENS, "true");
        assertThat(detector.detect(NOW)).isEmpty();
    }

    @Test
    void aRecheckOfAClientsConfigurationNamesOnlyWhatWasFoundThenAndIsStillThere() {
        machine("m-2", LifecycleState.ACTIVE);
        ClientRepresentation client = client("pa-m-m-2", "m-2", true);
        client.setStandardFlowEnabled(true);
        client.setPublicClient(true);
        when(partnerClients.findClientById(client.getId())).thenReturn(Optional.of(client));

        DriftDetector.Recheck recheck = detector.recheck(stored(DriftKind.CLIENT_CONFIG, DriftFinding.ObjectType.CLIENT,
                "pa-m-m-2", "m-2", Set.of("standardFlow", "directAccessGrants")), NOW);
        assertThat(recheck.outcome()).isEqualTo(DriftDetector.Recheck.Outcome.STILL_THERE);
        assertThat(recheck.finding().excess()).as("publicClient was not reviewed; direct grants are off again")
                .containsExactly("standardFlow");
        client.setStandardFlowEnabled(false);
        assertThat(detector.recheck(stored(DriftKind.CLIENT_CONFIG, DriftFinding.ObjectType.CLIENT, "pa-m-m-2", "m-2",
                Set.of("standardFlow")), NOW).outcome()).isEqualTo(DriftDetector.Recheck.Outcome.GONE);
    }

    @Test
    void aRoleHeldForARunningElevationIsTheRecordedGrantsNotAVariables() {
        PartnerIdentity person = person("h-1", LifecycleState.ACTIVE, NOW.minus(Duration.ofDays(1)));
        users.add(user(person.getKeycloakName(), "h-1"));
        when(partnerUsers.partnerRolesOfUser("id-" + person.getKeycloakName()))
                .thenReturn(Set.of("orders.read", "invoices.read"));
        when(humans.grantedElevation("h-1")).thenReturn(Optional.of("invoices.read"));
        assertThat(detector.detect(NOW)).as("no elevation running: the recorded grant has ended")
                .extracting(DriftFinding::key).containsExactly("EXCESS_PRIVILEGE/h-1/invoices.read");

        when(runtime.createExecutionQuery().processInstanceBusinessKey("h-1")
                .processDefinitionKey(ProcessIds.HUMAN_ACCESS_PROCESS).activityId(ProcessIds.TIMER_ELEVATION_ENDS).count())
                .thenReturn(1L);
        assertThat(detector.detect(NOW)).isEmpty();

        when(partnerUsers.partnerRolesOfUser("id-" + person.getKeycloakName()))
                .thenReturn(Set.of("orders.read", "invoices.read", "payments.initiate"));
        assertThat(detector.detect(NOW)).extracting(DriftFinding::key)
                .containsExactly("EXCESS_PRIVILEGE/h-1/payments.initiate");
    }

    @Test
    void aRowJustChangedIsLeftToTheProcessChangingIt() {
        PartnerIdentity suspended = person("h-2", LifecycleState.SUSPENDED, NOW.minus(Duration.ofMinutes(1)));
        users.add(user(suspended.getKeycloakName(), "h-2"));

        assertThat(detector.detect(NOW)).as("changed a minute ago: a resumption may be half done").isEmpty();

        ReflectionTestUtils.setField(suspended, "updatedAt", NOW.minus(Duration.ofMinutes(6)));
        assertThat(detector.detect(NOW)).extracting(DriftFinding::key, DriftFinding::registryState)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("REVOKED_BUT_ACTIVE/h-2", "SUSPENDED"));
    }

    @Test
    void aMachinesFindingIsReviewedByItsOwnerAPersonsByThePartnershipsSponsorAndOwners() {
        machine("m-9", LifecycleState.REVOKED);
        clients.add(client("pa-m-m-9", "m-9", true));
        PartnerIdentity person = person("h-9", LifecycleState.REVOKED, NOW.minus(Duration.ofDays(1)));
        users.add(user(person.getKeycloakName(), "h-9"));

        assertThat(detector.detect(NOW)).filteredOn(finding -> finding.kind() == DriftKind.REVOKED_BUT_ACTIVE)
                .extracting(DriftFinding::identityId, DriftFinding::reviewers).containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("m-9", List.of("ian.owner")),
                        org.assertj.core.groups.Tuple.tuple("h-9", List.of("sam.sponsor", "ian.owner")));
    }

    @Test
    void aPersonPastTheEndDateIsRevokedButActiveOnceTheTimerHadItsTime() {
        PartnerIdentity ended = person("h-3", LifecycleState.ACTIVE, NOW.minus(Duration.ofDays(2)));
        ReflectionTestUtils.setField(ended, "endDate", NOW.minus(Duration.ofHours(1)));
        users.add(user(ended.getKeycloakName(), "h-3"));

        assertThat(detector.detect(NOW)).extracting(DriftFinding::key).containsExactly("REVOKED_BUT_ACTIVE/h-3");
        assertThat(detector.detect(NOW.minus(Duration.ofMinutes(58)))).as("the end timer may still be due").isEmpty();
    }

    @Test
    void aRecheckRefusesKeycloaksAndTheApplicationsOwnClientsAndServiceAccountsWhateverTheFindingSays() {
        for (String own : List.of("partner-access-provisioner", "admin-cli")) {
            when(partnerClients.findClientById("id-" + own)).thenReturn(Optional.of(client(own, null, true)));
            assertThat(detector.recheck(stored(DriftKind.ORPHAN, DriftFinding.ObjectType.CLIENT, own, null, Set.of()), NOW)
                    .outcome()).as(own).isEqualTo(DriftDetector.Recheck.Outcome.NOT_A_PARTNER_IDENTITY);
        }
        UserRepresentation account = user("service-account-partner-access-provisioner", null);
        account.setServiceAccountClientId("partner-access-provisioner");
        when(partnerUsers.findUserById(account.getId())).thenReturn(Optional.of(account));
        assertThat(detector.recheck(stored(DriftKind.ORPHAN, DriftFinding.ObjectType.USER, account.getUsername(), null,
                Set.of()), NOW).outcome()).isEqualTo(DriftDetector.Recheck.Outcome.NOT_A_PARTNER_IDENTITY);
        UserRepresentation outsider = user("made-by-hand", null);
        when(partnerUsers.findUserById(outsider.getId())).thenReturn(Optional.of(outsider));
        assertThat(detector.recheck(stored(DriftKind.ORPHAN, DriftFinding.ObjectType.USER, outsider.getUsername(), null,
                Set.of()), NOW).outcome()).as("in no group: the application may not change it")
                .isEqualTo(DriftDetector.Recheck.Outcome.NOT_A_PARTNER_IDENTITY);
        when(partnerClients.findClientById("id-forbidden")).thenThrow(new org.partneraccess.keycloak.KeycloakRejectedException(
                "read client id-forbidden failed: Keycloak answered HTTP 403", 403, null));
        assertThat(detector.recheck(stored(DriftKind.ORPHAN, DriftFinding.ObjectType.CLIENT, "forbidden", null,
                Set.of()), NOW).outcome()).as("the application may not manage it")
                .isEqualTo(DriftDetector.Recheck.Outcome.NOT_A_PARTNER_IDENTITY);
    }

    @Test
    void aRecheckFindsTheSameDriftOnTheStoredObjectOrCallsItGone() {
        when(partnerClients.findClientById("id-rogue")).thenReturn(Optional.empty());
        assertThat(detector.recheck(stored(DriftKind.ORPHAN, DriftFinding.ObjectType.CLIENT, "rogue", null, Set.of()),
                NOW).outcome()).as("deleted meanwhile").isEqualTo(DriftDetector.Recheck.Outcome.GONE);

        when(partnerClients.findClientById("id-rogue")).thenReturn(Optional.of(client("rogue", null, true)));
        DriftDetector.Recheck orphan = detector.recheck(stored(DriftKind.ORPHAN, DriftFinding.ObjectType.CLIENT,
                "rogue", null, Set.of()), NOW);
        assertThat(orphan.outcome()).isEqualTo(DriftDetector.Recheck.Outcome.STILL_THERE);
        assertThat(orphan.finding().object().id()).isEqualTo("id-rogue");

        when(partnerClients.findClientById("id-rogue")).thenReturn(Optional.of(client("rogue", null, false)));
        assertThat(detector.recheck(stored(DriftKind.ORPHAN, DriftFinding.ObjectType.CLIENT, "rogue", null, Set.of()),
                NOW).outcome()).as("disabled meanwhile: still an orphan, which may be enabled again")
                .isEqualTo(DriftDetector.Recheck.Outcome.STILL_THERE);
    }

    @Test
    void aRecheckOfExcessRolesNamesOnlyThoseFoundThenAndStillThere() {
        PartnerIdentity person = person("h-4", LifecycleState.ACTIVE, NOW.minus(Duration.ofDays(1)));
        UserRepresentation user = user(person.getKeycloakName(), "h-4");
        when(partnerUsers.findUserById(user.getId())).thenReturn(Optional.of(user));
        when(partnerUsers.groupsOfUser(user.getId())).thenReturn(List.of("partner-acme"));
        when(partnerUsers.partnerRolesOfUser(user.getId()))
                .thenReturn(Set.of("orders.read", "invoices.read", "payments.initiate"));

        DriftDetector.Recheck recheck = detector.recheck(stored(DriftKind.EXCESS_PRIVILEGE, DriftFinding.ObjectType.USER,
                person.getKeycloakName(), "h-4", Set.of("payments.initiate", "invoices.approve")), NOW);
        assertThat(recheck.outcome()).isEqualTo(DriftDetector.Recheck.Outcome.STILL_THERE);
        assertThat(recheck.finding().excess()).as("invoices.read was not reviewed; invoices.approve is gone")
                .containsExactly("payments.initiate");

        assertThat(detector.recheck(stored(DriftKind.EXCESS_PRIVILEGE, DriftFinding.ObjectType.USER,
                person.getKeycloakName(), "h-4", Set.of("invoices.approve")), NOW).outcome())
                .isEqualTo(DriftDetector.Recheck.Outcome.GONE);
        assertThat(detector.recheck(stored(DriftKind.EXCESS_PRIVILEGE, DriftFinding.ObjectType.USER,
                person.getKeycloakName(), "h-other", Set.of("payments.initiate")), NOW).outcome())
                .as("another identity's finding").isEqualTo(DriftDetector.Recheck.Outcome.GONE);
    }

    private static StoredDriftFinding stored(DriftKind kind, DriftFinding.ObjectType type, String name,
                                             String identityId, Set<String> excess) {
        return StoredDriftFinding.of(new DriftFinding(DriftDetector.key(kind, name), kind,
                new DriftFinding.KeycloakObject(type, name, "id-" + name, true), identityId, "acme", null, "expected",
                "found", excess, List.of(), null, null), NOW);
    }

    private PartnerIdentity person(String id, LifecycleState state, Instant updatedAt) {
        PartnerIdentity person = new PartnerIdentity(id, "acme", IdentityKind.HUMAN, "Pat Partner",
                id + "@partner.example.org", id + "@partner.example.org", null, "Plans shipments", null,
                Set.of("orders.read"), NOW.plus(Duration.ofDays(30)), "rita.requester");
        person.moveTo(state, null);
        ReflectionTestUtils.setField(person, "updatedAt", updatedAt);
        registry.put(id, person);
        return person;
    }

    /** A machine whose client was provisioned with a shared secret, changed a day ago. */
    private PartnerIdentity machine(String id, LifecycleState state) {
        PartnerIdentity machine = new PartnerIdentity(id, "acme", IdentityKind.MACHINE, "Order sync", "pa-m-" + id,
                null, "ian.owner", "Reads open orders", "test", Set.of("orders.read"), NOW.plus(Duration.ofDays(30)),
                "rita.requester");
        machine.moveTo(state, null);
        ReflectionTestUtils.setField(machine, "updatedAt", NOW.minus(Duration.ofDays(1)));
        registry.put(id, machine);
        MachineProfile profile = mock(MachineProfile.class);
        when(profile.getAuthMethod()).thenReturn(PartnerClients.AuthMethod.CLIENT_SECRET);
        when(profile.credential("acme")).thenReturn(PartnerClients.Credential.of(PartnerClients.AuthMethod.CLIENT_SECRET,
                null, null));
        when(machines.findProfile(id)).thenReturn(Optional.of(profile));
        return machine;
    }

    private static ClientScopeRepresentation scope(String name) {
        ClientScopeRepresentation scope = new ClientScopeRepresentation();
        scope.setId("id-" + name);
        scope.setName(name);
        scope.setProtocol("openid-connect");
        return scope;
    }

    private static UserRepresentation user(String username, String identityId) {
        UserRepresentation user = new UserRepresentation();
        user.setId("id-" + username);
        user.setUsername(username);
        user.setEnabled(true);
        if (identityId != null) {
            user.setAttributes(Map.of(KeycloakAttributes.IDENTITY, List.of(identityId),
                    KeycloakAttributes.PARTNERSHIP, List.of("acme")));
        }
        return user;
    }

    @Test
    void aPartnershipsIdentityProviderIsJudgedByItsWorkloadTrust() {
        when(partnerships.find("acme")).thenReturn(Optional.of(partnership));
        WorkloadTrust trust = mock(WorkloadTrust.class);
        when(trust.getId()).thenReturn("t-1");
        when(trust.getPartnershipKey()).thenReturn("acme");
        when(trust.getState()).thenReturn(LifecycleState.ACTIVE);
        when(trust.getIssuer()).thenReturn("https://k8s.acme.example");
        when(trust.getUpdatedAt()).thenReturn(NOW.minus(Duration.ofDays(1)));
        PartnerIdentityProviders.WorkloadIssuer issuer = new PartnerIdentityProviders.WorkloadIssuer("acme", "t-1",
                PartnerIdentityProviders.Kind.KUBERNETES, "https://k8s.acme.example", null);
        when(trust.workloadIssuer()).thenReturn(issuer);
        when(trusts.find("t-1")).thenReturn(Optional.of(trust));
        IdentityProviderRepresentation provider = new IdentityProviderRepresentation();
        provider.setAlias("pa-t-acme");
        provider.setInternalId("idp-1");
        provider.setProviderId("kubernetes");
        provider.setEnabled(true);
        provider.setHideOnLogin(true);
        provider.setLinkOnly(true);
        provider.setConfig(new HashMap<>(Map.of("issuer", "https://k8s.acme.example", KeycloakAttributes.IDENTITY, "t-1",
                KeycloakAttributes.PARTNERSHIP, "acme")));
        IdentityProviderRepresentation foreign = new IdentityProviderRepresentation();
        foreign.setAlias("somebody");
        foreign.setInternalId("idp-2");
        foreign.setEnabled(true);
        foreign.setConfig(new HashMap<>());
        when(providers.list()).thenReturn(List.of(provider));
        assertThat(detector.detect(NOW)).as("as approved").isEmpty();

        // another issuer put in by someone holding the provisioner's rights: its tokens would authenticate the machines
        provider.getConfig().put("issuer", "https://attacker.example");
        List<DriftFinding> found = detector.detect(NOW);
        assertThat(found).extracting(DriftFinding::kind).containsExactly(DriftKind.CLIENT_CONFIG);
        assertThat(found.get(0).object().type()).isEqualTo(DriftFinding.ObjectType.PROVIDER);
        assertThat(found.get(0).excess()).containsExactly("issuer");
        assertThat(found.get(0).identityId()).isEqualTo("t-1");

        // the registry suspended the trust; the provider is enabled again: corrected at once
        provider.getConfig().put("issuer", "https://k8s.acme.example");
        when(trust.getState()).thenReturn(LifecycleState.SUSPENDED);
        found = detector.detect(NOW);
        assertThat(found).extracting(DriftFinding::kind).containsExactly(DriftKind.REVOKED_BUT_ACTIVE);
        assertThat(found.get(0).correctedAutomatically()).isTrue();

        // a provider no trust justifies: for the security officers
        when(providers.list()).thenReturn(List.of(foreign));
        found = detector.detect(NOW);
        assertThat(found).extracting(DriftFinding::kind).containsExactly(DriftKind.ORPHAN);
        assertThat(found.get(0).correctedAutomatically()).isFalse();
    }

    @Test
    void aFederatedClientBoundToAnotherSubjectOrProviderIsConfiguredBeyondProvisioning() {
        PartnerIdentity machine = machine("m-5", LifecycleState.ACTIVE);
        PartnerClients.Credential federated = new PartnerClients.Credential(PartnerClients.AuthMethod.FEDERATED, null,
                null, "pa-t-acme", "system:serviceaccount:orders:sync");
        when(machines.findProfile("m-5").orElseThrow().getAuthMethod()).thenReturn(PartnerClients.AuthMethod.FEDERATED);
        when(machines.findProfile("m-5").orElseThrow().credential("acme")).thenReturn(federated);
        ClientRepresentation client = client(machine.getKeycloakName(), "m-5", true);
        client.setClientAuthenticatorType("federated-jwt");
        client.getAttributes().put("jwt.credential.issuer", "pa-t-acme");
        client.getAttributes().put("jwt.credential.sub", "system:serviceaccount:orders:sync");
        clients.add(client);
        assertThat(detector.detect(NOW)).as("as provisioned").isEmpty();

        client.getAttributes().put("jwt.credential.sub", "system:serviceaccount:kube-system:admin");
        List<DriftFinding> found = detector.detect(NOW);
        assertThat(found).extracting(DriftFinding::kind).containsExactly(DriftKind.CLIENT_CONFIG);
        assertThat(found.get(0).excess()).containsExactly("publicKeys");
        assertThat(found.get(0).expected()).contains("federated-jwt");
    }

    private static ClientRepresentation client(String clientId, String identityId, boolean enabled) {
        ClientRepresentation client = new ClientRepresentation();
        client.setId("id-" + clientId);
        client.setClientId(clientId);
        client.setEnabled(enabled);
        client.setClientAuthenticatorType("client-secret");
        client.setAttributes(identityId == null ? new HashMap<>() : new HashMap<>(Map.of(KeycloakAttributes.IDENTITY,
                identityId)));
        return client;
    }
}
