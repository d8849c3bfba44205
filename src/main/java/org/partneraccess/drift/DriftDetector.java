package org.partneraccess.drift;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.camunda.bpm.engine.RuntimeService;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ClientScopeRepresentation;
import org.keycloak.representations.idm.IdentityProviderRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.partneraccess.LifecycleState;
import org.partneraccess.ProcessIds;
import org.partneraccess.drift.DriftFinding.KeycloakObject;
import org.partneraccess.drift.DriftFinding.ObjectType;
import org.partneraccess.human.HumanAccessService;
import org.partneraccess.inventory.IdentityKind;
import org.partneraccess.inventory.IdentityLifecycles;
import org.partneraccess.inventory.IdentityRegistry;
import org.partneraccess.inventory.PartnerIdentity;
import org.partneraccess.keycloak.KeycloakAttributes;
import org.partneraccess.keycloak.PartnerClients;
import org.partneraccess.keycloak.PartnerRealm;
import org.partneraccess.keycloak.PartnerUsers;
import org.partneraccess.keycloak.ProvisionedClient;
import org.partneraccess.keycloak.PartnerClients.AuthMethod;
import org.partneraccess.keycloak.KeycloakProperties;
import org.partneraccess.keycloak.KeycloakRejectedException;
import org.partneraccess.keycloak.PartnerIdentityProviders;
import org.partneraccess.machine.MachineProfile;
import org.partneraccess.machine.MachineRegistrationService;
import org.partneraccess.partnership.Partnership;
import org.partneraccess.partnership.Partnerships;
import org.partneraccess.trust.WorkloadTrust;
import org.partneraccess.trust.WorkloadTrusts;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reads the partner realm and the registry and names every difference; changes nothing. Each user and client is
 * judged against the registry identity its {@value KeycloakAttributes#IDENTITY} attribute names; each client scope
 * against the realm's permission scopes and the known ones. What the application's own credential can do and Keycloak
 * cannot refuse (create clients and client scopes, reconfigure a partner machine's client) is found here.
 */
@Component
class DriftDetector {

    /** Holding access in the registry: what Keycloak may show enabled. */
    static final Set<LifecycleState> HOLDING_ACCESS = EnumSet.of(LifecycleState.ACTIVE, LifecycleState.UNDER_REVIEW);
    /** Access taken away in the registry: what Keycloak must show disabled. */
    static final Set<LifecycleState> ACCESS_ENDED = EnumSet.of(LifecycleState.SUSPENDED, LifecycleState.REVOKED,
            LifecycleState.REJECTED);
    private static final String SERVICE_ACCOUNT_PREFIX = "service-account-";
    /** The end of a disabled orphan's key. */
    private static final String DISABLED = "/disabled";
    /** While the grant's timer waits, and while taking the role back is still due. */
    private static final List<String> ELEVATION_HELD_AT = List.of(ProcessIds.TIMER_ELEVATION_ENDS,
            ProcessIds.TASK_END_ELEVATION);
    /** Findings that name each thing beyond what was approved or provisioned: a correction acts on those alone. */
    private static final Set<DriftKind> NAMES_WHAT_IS_BEYOND = EnumSet.of(DriftKind.EXCESS_PRIVILEGE,
            DriftKind.CLIENT_CONFIG);

    private final PartnerUsers partnerUsers;
    private final PartnerClients partnerClients;
    private final PartnerRealm partnerRealm;
    private final PartnerIdentityProviders providers;
    private final WorkloadTrusts trusts;
    private final IdentityRegistry identities;
    private final Partnerships partnerships;
    private final MachineRegistrationService machines;
    private final HumanAccessService humans;
    private final IdentityLifecycles lifecycles;
    private final RuntimeService runtime;
    private final DriftProperties properties;
    private final Set<String> ignoredClients;
    private final Set<String> ignoredClientScopes;

    DriftDetector(PartnerUsers partnerUsers, PartnerClients partnerClients, PartnerRealm partnerRealm,
                  IdentityRegistry identities, Partnerships partnerships,
                  MachineRegistrationService machines, HumanAccessService humans, IdentityLifecycles lifecycles,
                  RuntimeService runtime, DriftProperties properties, KeycloakProperties keycloakProperties,
                  PartnerIdentityProviders providers, WorkloadTrusts trusts) {
        this.partnerUsers = partnerUsers;
        this.partnerClients = partnerClients;
        this.partnerRealm = partnerRealm;
        this.providers = providers;
        this.trusts = trusts;
        this.identities = identities;
        this.partnerships = partnerships;
        this.machines = machines;
        this.humans = humans;
        this.lifecycles = lifecycles;
        this.runtime = runtime;
        this.properties = properties;
        this.ignoredClients = new HashSet<>(properties.ignoredClients());
        this.ignoredClients.add(keycloakProperties.clientId());
        this.ignoredClientScopes = Set.copyOf(properties.ignoredClientScopes());
    }

    @Transactional(readOnly = true)
    public List<DriftFinding> detect(Instant now) {
        List<ClientRepresentation> allClients = partnerClients.listClients();
        List<ClientRepresentation> clients = allClients.stream()
                .filter(client -> !ignoredClients.contains(client.getClientId())).toList();
        Set<String> serviceAccounts = allClients.stream()
                .map(client -> (SERVICE_ACCOUNT_PREFIX + client.getClientId()).toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
        List<UserRepresentation> users = partnerUsers.listUsers();
        Registry registry = registry(users, clients);
        List<DriftFinding> findings = new ArrayList<>();
        for (UserRepresentation user : users) {
            if (!isServiceAccount(user, serviceAccounts)) {
                findings.addAll(checkUser(user, registry, now));
            }
        }
        for (ClientRepresentation client : clients) {
            findings.addAll(checkClient(client, registry, now));
        }
        for (ClientScopeRepresentation scope : partnerRealm.listClientScopes()) {
            checkScope(scope).ifPresent(findings::add);
        }
        for (IdentityProviderRepresentation provider : providers.list()) {
            findings.addAll(checkProvider(provider, now));
        }
        findings.sort(Comparator.comparing(DriftFinding::key));
        return findings;
    }

    /** What a second look at one stored finding's Keycloak object found. */
    record Recheck(Outcome outcome, String reason, DriftFinding finding) {

        enum Outcome {
            /** The same drift is still there on the same object: {@link #finding()} is it as found now. */
            STILL_THERE,
            /** The object is gone, or the drift on it (fixed meanwhile, or the registry changed). */
            GONE,
            /** Keycloak's or this application's own user or client, or a client scope: never corrected. */
            NOT_A_PARTNER_IDENTITY
        }

        static Recheck gone(String reason) {
            return new Recheck(Outcome.GONE, reason, null);
        }
    }

    /**
     * Looks again, live, at the Keycloak object a stored finding was found on, by its stored Keycloak id (never by a
     * name): is the same kind of drift still there, for the same registry identity? An ignored client (Keycloak's, the
     * application's own, the provisioner), a client's service-account user or a client scope is refused whatever the
     * finding says. Of roles or scopes beyond approval, and of a client's configuration beyond provisioning, only what was
     * found then and is still there now is named. Changes nothing.
     */
    Recheck recheck(StoredDriftFinding stored, Instant now) {
        String what = stored.getObjectType().name().toLowerCase(Locale.ROOT) + " " + stored.getKeycloakName()
                + " (Keycloak id " + stored.getKeycloakId() + ")";
        try {
            return recheck(stored, what, now);
        } catch (KeycloakRejectedException e) {
            if (e.status() == 403) {
                // the application's credential manages partner identities only (fine-grained admin permissions)
                return new Recheck(Recheck.Outcome.NOT_A_PARTNER_IDENTITY, "the application may not manage " + what,
                        null);
            }
            throw e;
        }
    }

    private Recheck recheck(StoredDriftFinding stored, String what, Instant now) {
        List<DriftFinding> live;
        if (stored.getObjectType() == ObjectType.SCOPE) {
            Optional<ClientScopeRepresentation> scope = partnerRealm.findClientScopeById(stored.getKeycloakId());
            if (scope.isEmpty() || checkScope(scope.get()).isEmpty()) {
                return Recheck.gone(scope.isEmpty() ? what + " no longer exists" : "no " + stored.getKind() + " on "
                        + what + " any more");
            }
            // a client scope is the realm's configuration, no partner identity: a Keycloak administrator removes it
            return new Recheck(Recheck.Outcome.NOT_A_PARTNER_IDENTITY, "client scope " + scope.get().getName()
                    + " is no partner identity; a Keycloak administrator removes it", null);
        } else if (stored.getObjectType() == ObjectType.PROVIDER) {
            // the admin API names a provider by its alias only; the internal id must still be the stored one
            Optional<IdentityProviderRepresentation> provider = providers.find(stored.getKeycloakName())
                    .filter(found -> stored.getKeycloakId().equals(found.getInternalId()));
            if (provider.isEmpty()) {
                return Recheck.gone(what + " no longer exists");
            }
            live = checkProvider(provider.get(), now);
        } else if (stored.getObjectType() == ObjectType.CLIENT) {
            Optional<ClientRepresentation> client = partnerClients.findClientById(stored.getKeycloakId());
            if (client.isEmpty()) {
                return Recheck.gone(what + " no longer exists");
            }
            if (ignoredClients.contains(client.get().getClientId())) {
                return new Recheck(Recheck.Outcome.NOT_A_PARTNER_IDENTITY, "client " + client.get().getClientId()
                        + " belongs to Keycloak or to this application, not to a partner", null);
            }
            live = checkClient(client.get(), registry(List.of(), List.of(client.get())), now);
        } else {
            Optional<UserRepresentation> user = partnerUsers.findUserById(stored.getKeycloakId());
            if (user.isEmpty()) {
                return Recheck.gone(what + " no longer exists");
            }
            if (isServiceAccountOfAClient(user.get())) {
                return new Recheck(Recheck.Outcome.NOT_A_PARTNER_IDENTITY, "user " + user.get().getUsername()
                        + " is a client's service account, judged with its client", null);
            }
            if (partnerUsers.groupsOfUser(user.get().getId()).isEmpty()) {
                // the application's credential changes members of groups only: Keycloak would refuse the correction
                return new Recheck(Recheck.Outcome.NOT_A_PARTNER_IDENTITY, "user " + user.get().getUsername()
                        + " is in no partnership group, which the application may not change", null);
            }
            live = checkUser(user.get(), registry(List.of(user.get()), List.of()), now);
        }
        Optional<DriftFinding> same = live.stream().filter(found -> found.kind() == stored.getKind()
                && java.util.Objects.equals(found.identityId(), stored.getIdentityId())).findFirst();
        if (same.isEmpty()) {
            return Recheck.gone("no " + stored.getKind() + " on " + what + " any more");
        }
        DriftFinding current = same.get();
        if (NAMES_WHAT_IS_BEYOND.contains(stored.getKind())) {
            Set<String> still = new TreeSet<>(current.excess());
            still.retainAll(stored.getExcess());
            if (still.isEmpty()) {
                return Recheck.gone(stored.getExcess() + " no longer beyond "
                        + (stored.getKind() == DriftKind.CLIENT_CONFIG ? "provisioning" : "approval") + " on " + what);
            }
            current = new DriftFinding(current.key(), current.kind(), current.object(), current.identityId(),
                    current.partnershipKey(), current.registryState(), current.expected(), current.found(), still,
                    current.reviewers(), null, stored.getId());
        }
        return new Recheck(Recheck.Outcome.STILL_THERE, null, current.withFindingId(stored.getId()));
    }

    /** Keycloak's user for a client's service account, by its link or by the name of an existing client. */
    private boolean isServiceAccountOfAClient(UserRepresentation user) {
        if (user.getServiceAccountClientId() != null) {
            return true;
        }
        String name = user.getUsername() == null ? "" : user.getUsername().toLowerCase(Locale.ROOT);
        return name.startsWith(SERVICE_ACCOUNT_PREFIX)
                && partnerClients.findClient(name.substring(SERVICE_ACCOUNT_PREFIX.length())).isPresent();
    }

    // ---- people ----

    private List<DriftFinding> checkUser(UserRepresentation user, Registry registry, Instant now) {
        KeycloakObject object = new KeycloakObject(ObjectType.USER, user.getUsername(), user.getId(),
                Boolean.TRUE.equals(user.isEnabled()));
        List<String> tags = values(user.getAttributes(), KeycloakAttributes.IDENTITY);
        String partnershipTag = values(user.getAttributes(), KeycloakAttributes.PARTNERSHIP).stream().findFirst()
                .orElse(null);
        Optional<PartnerIdentity> identity = current(tags.stream().map(registry.identities::get)
                .filter(found -> found != null && found.getKind() == IdentityKind.HUMAN
                        && user.getUsername().equalsIgnoreCase(found.getKeycloakName())).toList());
        if (identity.isEmpty()) {
            return orphan(object, tags, partnershipTag).stream().toList();
        }
        PartnerIdentity person = identity.get();
        Partnership partnership = registry.partnerships.get(person.getPartnershipKey());
        List<DriftFinding> findings = new ArrayList<>();
        revokedButActive(object, person, partnership, now).ifPresent(findings::add);
        if (object.enabled() || person.getState() == LifecycleState.REVOKED) {
            Set<String> allowed = new TreeSet<>();
            if (person.getState() != LifecycleState.REVOKED) {
                // a revoked person holds no role at all (see the human revocation)
                allowed.addAll(person.getClientScopes());
                allowed.addAll(elevatedRoles(person.getId()));
            }
            Set<String> held = partnerUsers.partnerRolesOfUser(user.getId());
            Set<String> excess = new TreeSet<>(held);
            excess.removeAll(allowed);
            if (!excess.isEmpty() && settled(person, partnership, now)) {
                findings.add(new DriftFinding(key(DriftKind.EXCESS_PRIVILEGE, person.getId(), String.join("+", excess)),
                        DriftKind.EXCESS_PRIVILEGE, object, person.getId(), person.getPartnershipKey(),
                        state(person, partnership), "realm roles " + allowed, "realm roles " + held, excess,
                        reviewersOf(person, partnership), null, null));
            }
        }
        return findings;
    }

    /** The role of the recorded grant while the person's process still holds the elevation; never a variable. */
    private Set<String> elevatedRoles(String identityId) {
        boolean held = ELEVATION_HELD_AT.stream().anyMatch(activity -> runtime.createExecutionQuery()
                .processInstanceBusinessKey(identityId).processDefinitionKey(ProcessIds.HUMAN_ACCESS_PROCESS)
                .activityId(activity).count() > 0);
        return held ? humans.grantedElevation(identityId).map(Set::of).orElse(Set.of()) : Set.of();
    }

    // ---- machines ----

    private List<DriftFinding> checkClient(ClientRepresentation client, Registry registry, Instant now) {
        KeycloakObject object = new KeycloakObject(ObjectType.CLIENT, client.getClientId(), client.getId(),
                Boolean.TRUE.equals(client.isEnabled()));
        List<String> tags = values(client.getAttributes(), KeycloakAttributes.IDENTITY);
        String partnershipTag = values(client.getAttributes(), KeycloakAttributes.PARTNERSHIP).stream().findFirst()
                .orElse(null);
        Optional<PartnerIdentity> identity = current(tags.stream().map(registry.identities::get)
                .filter(found -> found != null && found.getKind() == IdentityKind.MACHINE
                        && client.getClientId().equals(found.getKeycloakName())).toList());
        if (identity.isEmpty()) {
            return orphan(object, tags, partnershipTag).stream().toList();
        }
        PartnerIdentity machine = identity.get();
        Partnership partnership = registry.partnerships.get(machine.getPartnershipKey());
        List<DriftFinding> findings = new ArrayList<>();
        revokedButActive(object, machine, partnership, now).ifPresent(findings::add);
        if (!object.enabled() || !settled(machine, partnership, now)) {
            // a disabled client obtains no token, whatever it could ask for
            return findings;
        }
        Optional<MachineProfile> profile = profileOf(machine.getId());
        Set<String> allowed = new TreeSet<>(machine.getClientScopes());
        profile.ifPresent(found -> allowed.addAll(found.getElevatedScopes()));
        Set<String> granted = partnerClients.grantedClientScopesOf(client.getClientId());
        Set<String> excess = new TreeSet<>(granted);
        excess.removeAll(allowed);
        if (!excess.isEmpty()) {
            findings.add(new DriftFinding(key(DriftKind.EXCESS_PRIVILEGE, machine.getId(), String.join("+", excess)),
                    DriftKind.EXCESS_PRIVILEGE, object, machine.getId(), machine.getPartnershipKey(),
                    state(machine, partnership), "client scopes " + allowed, "client scopes " + granted, excess,
                    reviewersOf(machine, partnership), null, null));
        }
        if (profile.isPresent() && profile.get().getTokenLifespanSeconds() > 0) {
            long approved = profile.get().getTokenLifespanSeconds();
            Optional<Long> lifespan = PartnerClients.accessTokenLifespanOf(client);
            if (lifespan.isEmpty() || lifespan.get() > approved) {
                String found = lifespan.map(seconds -> "access token lifespan " + seconds + " s")
                        .orElse("access token lifespan unset: the realm's default applies");
                findings.add(new DriftFinding(key(DriftKind.LIFESPAN_BEYOND_POLICY, machine.getId(),
                        lifespan.map(String::valueOf).orElse("unset")), DriftKind.LIFESPAN_BEYOND_POLICY, object,
                        machine.getId(), machine.getPartnershipKey(), state(machine, partnership),
                        "access token lifespan at most " + approved + " s", found, Set.of(),
                        reviewersOf(machine, partnership), null, null));
            }
        }
        configurationBeyondProvisioning(client, object, machine, partnership, profile).ifPresent(findings::add);
        return findings;
    }

    /**
     * The client as provisioning configured it: a machine client gets tokens with client credentials only, with no
     * claim or audience beyond its scopes. The application never changes this after creating the client, so anything
     * else is someone else's change, which Keycloak lets the application's credential make: for the security officers.
     */
    private static Optional<DriftFinding> configurationBeyondProvisioning(ClientRepresentation client,
                                                                          KeycloakObject object, PartnerIdentity machine,
                                                                          Partnership partnership,
                                                                          Optional<MachineProfile> profile) {
        AuthMethod method = profile.map(MachineProfile::getAuthMethod).orElse(null);
        // without the registry's profile, what the policy decided is unknown: the switch is left unjudged
        Boolean dpop = profile.map(MachineProfile::isDpopBoundTokens).orElse(null);
        Set<String> beyond = ProvisionedClient.beyondProvisioning(client,
                profile.map(found -> found.credential(machine.getPartnershipKey())).orElse(null), dpop);
        if (beyond.isEmpty()) {
            return Optional.empty();
        }
        String expected = "confidential, client credentials only, no redirect URI, no full scope, no protocol mapper"
                + (method == null ? "" : ", authenticator " + switch (method) {
                    case SIGNED_JWT -> "client-jwt with the registered public keys";
                    case FEDERATED -> "federated-jwt with the partnership's identity provider and the workload subject";
                    case CLIENT_SECRET -> "client-secret";
                })
                + (dpop == null ? "" : dpop ? ", DPoP-bound access tokens required"
                : ", DPoP-bound access tokens offered, not required");
        return Optional.of(new DriftFinding(key(DriftKind.CLIENT_CONFIG, machine.getId(), String.join("+", beyond)),
                DriftKind.CLIENT_CONFIG, object, machine.getId(), machine.getPartnershipKey(),
                state(machine, partnership), expected, describe(client, beyond), beyond, List.of(), null, null));
    }

    /** Each difference as found, with what an investigation needs: a mapper's type and settings, the redirect URIs. */
    private static String describe(ClientRepresentation client, Set<String> beyond) {
        Map<String, ProtocolMapperRepresentation> mappers = client.getProtocolMappers() == null ? Map.of()
                : client.getProtocolMappers().stream().collect(Collectors.toMap(mapper -> "mapper " + mapper.getId(),
                        Function.identity(), (first, second) -> first));
        return beyond.stream().map(difference -> {
            ProtocolMapperRepresentation mapper = mappers.get(difference);
            if (mapper != null) {
                return "protocol mapper " + mapper.getName() + " (" + mapper.getProtocolMapper() + " "
                        + new TreeMap<>(mapper.getConfig() == null ? Map.of() : mapper.getConfig()) + ")";
            }
            return difference.equals("redirectUris") ? "redirect URIs " + client.getRedirectUris() : difference;
        }).collect(Collectors.joining("; "));
    }

    // ---- client scopes ----

    /**
     * A client scope the realm's catalogue does not hold as a permission and that is neither Keycloak's nor the
     * application's: it grants nothing until linked to a client (a partner machine's link is excess privilege, a
     * foreign client an orphan), yet nobody approved it. For the security officers.
     */
    private Optional<DriftFinding> checkScope(ClientScopeRepresentation scope) {
        if (PartnerRealm.isPermissionScope(scope) || ignoredClientScopes.contains(scope.getName())) {
            return Optional.empty();
        }
        KeycloakObject object = new KeycloakObject(ObjectType.SCOPE, scope.getName(), scope.getId(), true);
        List<String> mappers = scope.getProtocolMappers() == null ? List.of() : scope.getProtocolMappers().stream()
                .map(mapper -> mapper.getName() + " (" + mapper.getProtocolMapper() + " "
                        + new TreeMap<>(mapper.getConfig() == null ? Map.of() : mapper.getConfig()) + ")").toList();
        return Optional.of(new DriftFinding(key(DriftKind.FOREIGN_SCOPE, "scope", scope.getName()),
                DriftKind.FOREIGN_SCOPE, object, null, null, null,
                "a permission scope of the realm's catalogue (attribute " + KeycloakAttributes.ACCESS
                        + "), or one of Keycloak's or the application's",
                "client scope " + scope.getName() + ", protocol " + scope.getProtocol() + ", protocol mappers "
                        + mappers, Set.of(), List.of(), null, null));
    }

    private Optional<MachineProfile> profileOf(String identityId) {
        return machines.findProfile(identityId);
    }

    // ---- shared ----

    // ---- partnerships' workload issuers ----

    /**
     * An identity provider of the partner realm against the workload trust it names: none (or one the registry does
     * not know) is an orphan for the security officers, enabled or not (a provider could vouch for clients that name
     * it); one whose trust or partnership holds no access must be disabled (corrected at once); one configured beyond
     * what the trust approved (another issuer, keys or type, shown on a login page) is for the security officers.
     */
    private List<DriftFinding> checkProvider(IdentityProviderRepresentation provider, Instant now) {
        KeycloakObject object = new KeycloakObject(ObjectType.PROVIDER, provider.getAlias(), provider.getInternalId(),
                Boolean.TRUE.equals(provider.isEnabled()));
        Map<String, String> config = provider.getConfig() == null ? Map.of() : provider.getConfig();
        String tag = config.get(KeycloakAttributes.IDENTITY);
        Optional<WorkloadTrust> trust = trusts.find(tag)
                .filter(found -> PartnerIdentityProviders.alias(found.getPartnershipKey()).equals(provider.getAlias()));
        if (trust.isEmpty()) {
            return List.of(orphanProvider(object, tag, config.get(KeycloakAttributes.PARTNERSHIP)));
        }
        WorkloadTrust found = trust.get();
        Partnership partnership = partnerships.find(found.getPartnershipKey()).orElse(null);
        Instant before = now.minus(properties.settleTime());
        boolean settled = found.getUpdatedAt() == null || found.getUpdatedAt().isBefore(before);
        boolean partnershipHolds = partnership != null && HOLDING_ACCESS.contains(partnership.getState());
        if (object.enabled() && settled && (found.getState() != LifecycleState.ACTIVE || !partnershipHolds)) {
            String registry = "trust " + found.getState()
                    + (partnership == null || partnershipHolds ? "" : " (partnership " + partnership.getState() + ")");
            return List.of(new DriftFinding(key(DriftKind.REVOKED_BUT_ACTIVE, found.getId()),
                    DriftKind.REVOKED_BUT_ACTIVE, object, found.getId(), found.getPartnershipKey(), registry,
                    "disabled", "enabled", Set.of(), List.of(), null, null));
        }
        List<String> beyond = PartnerIdentityProviders.beyondProvisioning(provider, found.workloadIssuer());
        if (beyond.isEmpty() || found.getState() == LifecycleState.REVOKED) {
            return List.of();
        }
        return List.of(new DriftFinding(key(DriftKind.CLIENT_CONFIG, found.getId(), String.join("+", beyond)),
                DriftKind.CLIENT_CONFIG, object, found.getId(), found.getPartnershipKey(), found.getState().name(),
                "a trust relationship for client assertions only, hidden from login, issuer " + found.getIssuer()
                        + (found.getJwksUrl() == null ? "" : ", keys at " + found.getJwksUrl()),
                "differs in " + beyond, new TreeSet<>(beyond), List.of(), null, null));
    }

    private static DriftFinding orphanProvider(KeycloakObject object, String tag, String partnershipTag) {
        String key = key(DriftKind.ORPHAN, "provider", object.name()) + (object.enabled() ? "" : DISABLED);
        return new DriftFinding(key, DriftKind.ORPHAN, object, tag, partnershipTag, null,
                "a workload trust of the registry that justifies the identity provider",
                (tag == null ? "no " + KeycloakAttributes.IDENTITY + " setting"
                        : KeycloakAttributes.IDENTITY + " " + tag + ", which the registry does not know as a workload trust"
                        + " of this alias") + (object.enabled() ? "" : "; disabled"),
                Set.of(), List.of(), null, null);
    }

    /**
     * Not justified by any registry identity: judged by the security officers. A disabled one too: the application's
     * credential may enable it again (Keycloak cannot narrow its client management to the partner clients), and it
     * would get tokens until the next run. Its key says so, so accepting a disabled one accepts nothing enabled.
     */
    private static Optional<DriftFinding> orphan(KeycloakObject object, List<String> tags, String partnershipTag) {
        String type = object.type().name().toLowerCase(Locale.ROOT);
        String found = (tags.isEmpty() ? "no " + KeycloakAttributes.IDENTITY + " attribute"
                : KeycloakAttributes.IDENTITY + " " + String.join(", ", tags) + ", which the registry does not know as "
                + (object.type() == ObjectType.USER ? "a person with this username" : "a machine with this client id"))
                + (object.enabled() ? "" : "; disabled");
        String key = key(DriftKind.ORPHAN, type, object.name()) + (object.enabled() ? "" : DISABLED);
        return Optional.of(new DriftFinding(key, DriftKind.ORPHAN, object,
                tags.isEmpty() ? null : tags.get(0), partnershipTag, null,
                "a registry identity that justifies the " + type, found, Set.of(), List.of(), null, null));
    }

    private Optional<DriftFinding> revokedButActive(KeycloakObject object, PartnerIdentity identity,
                                                    Partnership partnership, Instant now) {
        if (!object.enabled() || !settled(identity, partnership, now)) {
            return Optional.empty();
        }
        boolean identityEnded = ACCESS_ENDED.contains(identity.getState());
        boolean partnershipEnded = partnership != null && ACCESS_ENDED.contains(partnership.getState());
        boolean expired = HOLDING_ACCESS.contains(identity.getState()) && identity.getEndDate() != null
                && identity.getEndDate().plus(properties.settleTime()).isBefore(now);
        if (!identityEnded && !partnershipEnded && !expired) {
            return Optional.empty();
        }
        String registry = state(identity, partnership) + (expired && !identityEnded ? ", ended " + identity.getEndDate() : "");
        return Optional.of(new DriftFinding(key(DriftKind.REVOKED_BUT_ACTIVE, identity.getId()),
                DriftKind.REVOKED_BUT_ACTIVE, object, identity.getId(), identity.getPartnershipKey(), registry,
                "disabled", "enabled", Set.of(), reviewersOf(identity, partnership), null, null));
    }

    /** Leaves rows alone that a process is changing right now: Keycloak and the registry are updated one by one. */
    private boolean settled(PartnerIdentity identity, Partnership partnership, Instant now) {
        Instant before = now.minus(properties.settleTime());
        return (identity.getUpdatedAt() == null || identity.getUpdatedAt().isBefore(before))
                && (partnership == null || partnership.getUpdatedAt() == null
                || partnership.getUpdatedAt().isBefore(before));
    }

    private static String state(PartnerIdentity identity, Partnership partnership) {
        String state = identity.getState().name();
        if (partnership != null && ACCESS_ENDED.contains(partnership.getState())) {
            state += " (partnership " + partnership.getState() + ")";
        }
        return state;
    }

    /** Who answers for the identity, by its kind; none leaves the finding to the security officers. */
    private List<String> reviewersOf(PartnerIdentity identity, Partnership partnership) {
        List<String> partnershipOwners = partnership == null ? List.of() : Arrays.asList(partnership.getSponsor(),
                partnership.getBusinessOwner(), partnership.getTechnicalOwner());
        return lifecycles.of(identity.getKind()).answerableFor(identity, partnershipOwners).stream()
                .filter(name -> name != null && !name.isBlank()).distinct().toList();
    }

    /** Of the identities an object names, the one holding or awaiting access, else the newest. */
    private static Optional<PartnerIdentity> current(List<PartnerIdentity> named) {
        return named.stream().filter(identity -> LifecycleState.notEnded().contains(identity.getState())).findFirst()
                .or(() -> named.stream().max(Comparator.comparing(PartnerIdentity::getCreatedAt,
                        Comparator.nullsFirst(Comparator.naturalOrder()))));
    }

    /**
     * Keycloak creates a user for each client's service account; it is judged with its client. Matched by the name of
     * an existing client, so an untagged user merely named like a service account is still seen.
     */
    private static boolean isServiceAccount(UserRepresentation user, Set<String> serviceAccounts) {
        return user.getServiceAccountClientId() != null
                || user.getUsername() != null && serviceAccounts.contains(user.getUsername().toLowerCase(Locale.ROOT));
    }

    static String key(DriftKind kind, String... parts) {
        return kind + "/" + String.join("/", parts);
    }

    private static List<String> values(Map<String, ?> attributes, String name) {
        Object value = attributes == null ? null : attributes.get(name);
        if (value instanceof Collection<?> list) {
            return list.stream().map(String::valueOf).filter(item -> !item.isBlank()).toList();
        }
        return value == null || value.toString().isBlank() ? List.of() : List.of(value.toString());
    }

    private record Registry(Map<String, PartnerIdentity> identities, Map<String, Partnership> partnerships) {
    }

    private Registry registry(List<UserRepresentation> users, List<ClientRepresentation> clients) {
        Set<String> ids = new HashSet<>();
        users.forEach(user -> ids.addAll(values(user.getAttributes(), KeycloakAttributes.IDENTITY)));
        clients.forEach(client -> ids.addAll(values(client.getAttributes(), KeycloakAttributes.IDENTITY)));
        Map<String, PartnerIdentity> found = identities.findAll(ids).stream()
                .collect(Collectors.toMap(PartnerIdentity::getId, Function.identity()));
        Set<String> keys = found.values().stream().map(PartnerIdentity::getPartnershipKey).collect(Collectors.toSet());
        Map<String, Partnership> byKey = new HashMap<>();
        partnerships.findAll(keys).forEach(partnership -> byKey.put(partnership.getKey(), partnership));
        return new Registry(found, byKey);
    }
}
