package org.partneraccess.keycloak;

import static org.partneraccess.keycloak.KeycloakAttributes.hasAttribute;
import static org.partneraccess.keycloak.ProvisionedClient.ACCESS_TOKEN_LIFESPAN;
import static org.partneraccess.keycloak.ProvisionedClient.CLIENT_SECRET;
import static org.partneraccess.keycloak.ProvisionedClient.MAPPER;
import static org.partneraccess.keycloak.ProvisionedClient.OIDC;
import static org.partneraccess.keycloak.ProvisionedClient.attributesOf;
import static org.partneraccess.keycloak.ProvisionedClient.blank;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

import org.keycloak.admin.client.resource.ClientResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ClientScopeRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Partner machines in the partner realm: confidential, service-account-only clients (see {@link ProvisionedClient}),
 * their client scopes, token lifespan and secret. Every call is idempotent (look up before create, a concurrent create
 * counts as success); failures are mapped by {@link KeycloakCalls}.
 *
 * <p>Parameters named {@code clientId} are OAuth client ids such as {@code pa-m-123}, never Keycloak's internal ids.
 */
@Service
public class PartnerClients {

    /**
     * A partner machine. A {@link AuthMethod#SIGNED_JWT} client names where its public keys are: a JWKS URL, or the
     * JWKS itself ({@code jwks}, public keys only); exactly one of the two. A {@link AuthMethod#FEDERATED} client names
     * the partnership's identity provider ({@code federatedProvider}, its alias) and the workload subject that provider
     * vouches for ({@code workloadSubject}); it holds no key or secret of its own. With {@code dpopBoundTokens} Keycloak
     * issues its access tokens only with a DPoP proof and binds them to the proof's key; without, a proof is still
     * honoured.
     */
    public record MachineClient(String clientId, String name, String description, String partnershipKey,
                                String identityId, List<String> clientScopes, Duration accessTokenLifespan,
                                AuthMethod authMethod, String jwksUrl, String jwks, boolean dpopBoundTokens,
                                String federatedProvider, String workloadSubject) {

        public MachineClient(String clientId, String name, String description, String partnershipKey,
                             String identityId, List<String> clientScopes, Duration accessTokenLifespan,
                             AuthMethod authMethod, String jwksUrl, String jwks, boolean dpopBoundTokens) {
            this(clientId, name, description, partnershipKey, identityId, clientScopes, accessTokenLifespan,
                    authMethod, jwksUrl, jwks, dpopBoundTokens, null, null);
        }

        public MachineClient(String clientId, String name, String description, String partnershipKey,
                             String identityId, List<String> clientScopes, Duration accessTokenLifespan,
                             AuthMethod authMethod, String jwksUrl, String jwks) {
            this(clientId, name, description, partnershipKey, identityId, clientScopes, accessTokenLifespan,
                    authMethod, jwksUrl, jwks, false);
        }

        public MachineClient(String clientId, String name, String description, String partnershipKey,
                             String identityId, List<String> clientScopes, Duration accessTokenLifespan,
                             AuthMethod authMethod, String jwksUrl) {
            this(clientId, name, description, partnershipKey, identityId, clientScopes, accessTokenLifespan,
                    authMethod, jwksUrl, null);
        }

        /** The same client with other default scopes, e.g. while a time-boxed elevation lasts. */
        public MachineClient withScopes(List<String> scopes) {
            return new MachineClient(clientId, name, description, partnershipKey, identityId, List.copyOf(scopes),
                    accessTokenLifespan, authMethod, jwksUrl, jwks, dpopBoundTokens, federatedProvider, workloadSubject);
        }

        /** How the client authenticates, as provisioning sets it and drift compares it. */
        public Credential credential() {
            return new Credential(authMethod, jwksUrl, jwks, federatedProvider, workloadSubject);
        }
    }

    /**
     * How a machine client authenticates: its method and what the method needs (public keys for a signed JWT; the
     * identity provider's alias and the workload subject for a federated client; nothing for a shared secret).
     */
    public record Credential(AuthMethod method, String jwksUrl, String jwks, String federatedProvider,
                             String workloadSubject) {

        public static Credential of(AuthMethod method, String jwksUrl, String jwks) {
            return new Credential(method, jwksUrl, jwks, null, null);
        }
    }

    /**
     * A shared secret Keycloak generates, a JWT signed with the partner's registered key, or a JWT the partnership's
     * trusted workload issuer signed for the workload (Keycloak's federated client authentication).
     */
    public enum AuthMethod { CLIENT_SECRET, SIGNED_JWT, FEDERATED }

    private static final Logger log = LoggerFactory.getLogger(PartnerClients.class);
    /** Kept on every machine client besides its permissions: the subject claim, and the audience introspection needs. */
    static final List<String> TECHNICAL_SCOPES = List.of("basic", "partner-access-introspection");
    /**
     * Keycloak links this scope to every service-account client it creates or saves; it adds only the client id
     * claim. Unlinked after the create (a client starts with exactly its scopes); not counted as a permission.
     */
    static final String SERVICE_ACCOUNT_SCOPE = "service_account";

    private final KeycloakCalls keycloak;
    private final PartnerRealm realm;

    PartnerClients(KeycloakCalls keycloak, PartnerRealm realm) {
        this.keycloak = keycloak;
        this.realm = realm;
    }

    /**
     * Creates a confidential, service-account-only client unless one with this client id exists, and leaves it with
     * exactly the requested default client scopes. Returns Keycloak's internal id of the client.
     *
     * <p>A new client is created in one request with its scopes, token lifespan and attributes; the scopes are checked
     * against the realm's kept client scopes ({@link PartnerRealm}). The lookup before the create is what makes a
     * retry safe: a create answered too late (or a 409) is found and not made twice.
     *
     * @throws IllegalArgumentException when a requested scope does not exist in the realm; nothing is created then
     */
    public String ensureMachineClient(MachineClient client) {
        validate(client);
        List<String> scopes = new ArrayList<>(client.clientScopes());
        TECHNICAL_SCOPES.stream().filter(scope -> !scopes.contains(scope)).forEach(scopes::add);
        Map<String, String> knownScopes = oidcScopeIdsByName();
        Map<String, String> scopeIds = scopeIdsByName(scopes, knownScopes);
        Optional<ClientRepresentation> existing = findClient(client.clientId());
        if (existing.isPresent()) {
            // also a client left by an earlier attempt whose answer never came: set to exactly these scopes
            String id = ownedClientId(existing.get(), client);
            restrictScopes(existing.get(), scopeIds, knownScopes);
            return id;
        }
        String operation = "create client " + client.clientId();
        Optional<String> created = keycloak.create(operation, () -> keycloak.realm().clients().create(newClient(client,
                scopes)));
        if (created.isEmpty()) {
            // 409: created concurrently, or by an attempt whose answer came too late
            ClientRepresentation found = findClient(client.clientId()).orElseThrow(() -> new KeycloakRejectedException(
                    operation + " conflicts with an existing client", 409, null));
            String id = ownedClientId(found, client);
            restrictScopes(found, scopeIds, knownScopes);
            return id;
        }
        log.info("Created client {} for identity {} in realm {}", client.clientId(), client.identityId(),
                keycloak.realmName());
        // Keycloak links exactly the representation's scopes, and its own service-account scope besides
        Optional.ofNullable(knownScopes.get(SERVICE_ACCOUNT_SCOPE)).filter(scopeId -> !scopeIds.containsValue(scopeId))
                .ifPresent(scopeId -> unlinkDefaultScope(created.get(), client.clientId(), scopeId));
        return created.get();
    }

    public Optional<ClientRepresentation> findClient(String clientId) {
        return keycloak.call("find client " + clientId, () -> keycloak.realm().clients().findByClientId(clientId))
                .stream()
                .filter(client -> clientId.equals(client.getClientId()))
                .findFirst();
    }

    public List<ClientRepresentation> findClientsOfPartnership(String partnershipKey) {
        // listed and filtered here: Keycloak only searches client attributes it is configured to allow
        return keycloak.allPages("find clients of partnership " + partnershipKey,
                offset -> keycloak.realm().clients().findAll(null, null, null, offset, KeycloakCalls.PAGE_SIZE),
                client -> hasAttribute(client.getAttributes(), KeycloakAttributes.PARTNERSHIP, partnershipKey));
    }

    /** Every client of the partner realm with its attributes, page by page (reconciliation against the registry). */
    public List<ClientRepresentation> listClients() {
        return keycloak.allPages("list clients",
                offset -> keycloak.realm().clients().findAll(null, null, null, offset, KeycloakCalls.PAGE_SIZE),
                client -> true);
    }

    /**
     * The client with this Keycloak id, in one call; it carries its shared secret where it has one (see
     * {@link #sharedSecret}). Empty when the client does not exist.
     */
    public Optional<ClientRepresentation> findClientById(String id) {
        return keycloak.optional("read client " + id, () -> keycloak.realm().clients().get(id).toRepresentation());
    }

    /** Disables the client bound to the registry's identity {@code identityId}; refused (409) for any other client. */
    public void disableClient(String clientId, String identityId) {
        updateBoundClient(clientId, identityId, "disable client " + clientId, PartnerClients::cutOff);
    }

    /**
     * Disables a client read by {@link #findClientById} in one call, and drops the secret from the representation:
     * sent back, it would set the secret again and could undo a replacement.
     */
    public void disableClient(ClientRepresentation client, String identityId) {
        KeycloakAttributes.requireBound(client.getAttributes(), "disable client " + client.getClientId(), identityId);
        disableUnregisteredClient(client);
    }

    /** As {@link #disableClient(ClientRepresentation, String)}, for a client the registry does not hold (drift). */
    public void disableUnregisteredClient(ClientRepresentation client) {
        client.setSecret(null);
        cutOff(client);
        update(client, "disable client " + client.getClientId());
    }

    public void enableClient(String clientId, String identityId) {
        updateBoundClient(clientId, identityId, "enable client " + clientId, client -> client.setEnabled(true));
    }

    /** Deletes the client bound to {@code identityId}; a client that does not exist counts as deleted. */
    public void deleteClient(String clientId, String identityId) {
        Optional<ClientRepresentation> client = findClient(clientId);
        if (client.isPresent()) {
            KeycloakAttributes.requireBound(client.get().getAttributes(), "delete client " + clientId, identityId);
            String id = client.get().getId();
            keycloak.delete("delete client " + clientId, () -> keycloak.realm().clients().delete(id));
        }
    }

    /** Refuses (409) a client read by id that does not carry the registry identity it is about to be acted on for. */
    public static void requireBound(ClientRepresentation client, String identityId) {
        KeycloakAttributes.requireBound(client.getAttributes(), "act on client " + client.getClientId(), identityId);
    }

    // ---- secrets ----

    /** Replaces the secret of a client read by {@link #findClientById} in one call, forgetting the new one. */
    public void replaceSecret(ClientRepresentation client) {
        keycloak.callWithoutCause("replace secret of client " + client.getClientId(), () -> {
            keycloak.realm().clients().get(client.getId()).generateNewSecret();
            return null;
        });
    }

    /**
     * Replaces the client's secret and forgets the new one: the old secret stops working, and the new one stays only
     * in Keycloak until its owner collects it (read then through {@link #currentSecret(String)}).
     */
    public void replaceSecret(String clientId, String identityId) {
        ClientRepresentation client = requireClient(clientId, "replace secret of client " + clientId);
        KeycloakAttributes.requireBound(client.getAttributes(), "replace secret of client " + clientId, identityId);
        String id = client.getId();
        keycloak.callWithoutCause("replace secret of client " + clientId, () -> {
            keycloak.realm().clients().get(id).generateNewSecret();
            return null;
        });
    }

    /** The client's shared secret as read with it, for an in-memory check only; empty when it has none. */
    public static Optional<String> sharedSecret(ClientRepresentation client) {
        return CLIENT_SECRET.equals(client.getClientAuthenticatorType())
                ? Optional.ofNullable(client.getSecret()) : Optional.empty();
    }

    /**
     * The client's current secret, for one in-memory check or its owner's one-time hand-over, never stored or logged;
     * empty for a client that authenticates without a shared secret.
     */
    public Optional<String> currentSecret(String clientId) {
        ClientRepresentation client = requireClient(clientId, "read secret of client " + clientId);
        if (!CLIENT_SECRET.equals(client.getClientAuthenticatorType())) {
            return Optional.empty();
        }
        return Optional.ofNullable(keycloak.callWithoutCause("read secret of client " + clientId,
                () -> keycloak.realm().clients().get(client.getId()).getSecret().getValue()));
    }

    // ---- scopes and token lifespan ----

    /**
     * The permissions a client can obtain: its default and optional client scopes, without the technical ones every
     * machine client keeps (see {@link #ensureMachineClient}) and Keycloak's {@code service_account} scope, which
     * Keycloak links again whenever a service-account client is saved and which adds only the client id claim.
     */
    public Set<String> grantedClientScopesOf(String clientId) {
        String operation = "read scopes of client " + clientId;
        ClientResource client = keycloak.realm().clients().get(requireClient(clientId, operation).getId());
        Set<String> scopes = new TreeSet<>();
        keycloak.call(operation, client::getDefaultClientScopes).forEach(scope -> scopes.add(scope.getName()));
        keycloak.call(operation, client::getOptionalClientScopes).forEach(scope -> scopes.add(scope.getName()));
        scopes.removeAll(TECHNICAL_SCOPES);
        scopes.remove(SERVICE_ACCOUNT_SCOPE);
        return scopes;
    }

    /** Names of the client's default client scopes, the scopes every token of the client carries. */
    public List<String> defaultClientScopesOf(String clientId) {
        String id = requireClient(clientId, "read scopes of client " + clientId).getId();
        return keycloak.call("read scopes of client " + clientId,
                        () -> keycloak.realm().clients().get(id).getDefaultClientScopes())
                .stream().map(ClientScopeRepresentation::getName).toList();
    }

    /** Unlinks the client scopes from the client, default and optional alike; a scope it lacks is no error. */
    public void removeClientScopes(String clientId, Collection<String> names) {
        removeClientScopes(requireClient(clientId, "remove scopes " + names + " of client " + clientId), names);
    }

    /**
     * Unlinks the client scopes from a client read by {@link #findClientById}, by its Keycloak id (never looked up again
     * by client id); a scope it lacks is no error.
     */
    public void removeClientScopes(ClientRepresentation found, Collection<String> names) {
        String operation = "remove scopes " + names + " of client " + found.getClientId();
        ClientResource client = keycloak.realm().clients().get(found.getId());
        for (ClientScopeRepresentation scope : keycloak.call(operation, client::getDefaultClientScopes)) {
            if (names.contains(scope.getName())) {
                keycloak.run(operation, () -> client.removeDefaultClientScope(scope.getId()));
            }
        }
        for (ClientScopeRepresentation scope : keycloak.call(operation, client::getOptionalClientScopes)) {
            if (names.contains(scope.getName())) {
                keycloak.run(operation, () -> client.removeOptionalClientScope(scope.getId()));
            }
        }
    }

    /**
     * Sets the access token lifespan of a client read by {@link #findClientById}, by its Keycloak id; the secret read
     * with it is not sent back (it could undo a replacement).
     */
    public void setAccessTokenLifespan(ClientRepresentation client, Duration lifespan) {
        client.setSecret(null);
        attributesOf(client).put(ACCESS_TOKEN_LIFESPAN, lifespanSeconds(lifespan));
        update(client, "set access token lifespan of client " + client.getClientId());
    }

    /**
     * Each named client's access token lifespan, the realm's default (which the provisioner may not read, so the caller
     * gives it) where a client sets none; a client that no longer exists is left out.
     */
    public Map<String, Duration> accessTokenLifespans(Collection<String> clientIds, Duration realmDefault) {
        Map<String, Duration> lifespans = new HashMap<>();
        for (String clientId : clientIds) {
            findClient(clientId).ifPresent(client -> lifespans.put(clientId,
                    accessTokenLifespanOf(client).map(Duration::ofSeconds).orElse(realmDefault)));
        }
        return lifespans;
    }

    /** The client's own access token lifespan in seconds; empty when unset, so the realm's default applies. */
    public static Optional<Long> accessTokenLifespanOf(ClientRepresentation client) {
        String value = client.getAttributes() == null ? null : client.getAttributes().get(ACCESS_TOKEN_LIFESPAN);
        if (blank(value)) {
            return Optional.empty();
        }
        try {
            long seconds = Long.parseLong(value.trim());
            // Keycloak reads zero or less as "not set"
            return seconds > 0 ? Optional.of(seconds) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    // ---- drift correction ----

    /**
     * Sets a partner machine client read by {@link #findClientById} back to its provisioned configuration where it
     * differs as {@link ProvisionedClient#beyondProvisioning} named it, by its Keycloak id, and only for the differences
     * given (found on review, still there now): each foreign protocol mapper is deleted, the rest is written back; the
     * secret read with it is not sent back (it could undo a replacement).
     *
     * @return what was done
     */
    public List<String> setBackToProvisioning(ClientRepresentation found, AuthMethod method, String jwksUrl, String jwks,
                                            boolean dpopBoundTokens, Collection<String> differences) {
        return setBackToProvisioning(found, method == null ? null : Credential.of(method, jwksUrl, jwks),
                dpopBoundTokens, differences);
    }

    /** {@link #setBackToProvisioning(ClientRepresentation, AuthMethod, String, String, boolean, Collection)} for any
     * credential. */
    public List<String> setBackToProvisioning(ClientRepresentation found, Credential credential,
                                            boolean dpopBoundTokens, Collection<String> differences) {
        String operation = "restore the provisioned configuration of client " + found.getClientId();
        List<String> done = new ArrayList<>();
        ClientResource client = keycloak.realm().clients().get(found.getId());
        for (ProtocolMapperRepresentation mapper
                : found.getProtocolMappers() == null ? List.<ProtocolMapperRepresentation>of() : found.getProtocolMappers()) {
            if (differences.contains(MAPPER + mapper.getId())) {
                keycloak.run(operation, () -> client.getProtocolMappers().delete(mapper.getId()));
                done.add("protocol mapper " + mapper.getName() + " (" + mapper.getProtocolMapper() + ") deleted");
            }
        }
        Set<String> settings = new TreeSet<>(differences);
        settings.removeIf(difference -> difference.startsWith(MAPPER));
        if (!settings.isEmpty()) {
            found.setSecret(null);
            // mappers are not written back with the client: the ones kept stay as they are
            found.setProtocolMappers(null);
            ProvisionedClient.restore(found, credential, dpopBoundTokens, settings);
            update(found, operation);
            done.add("set back to the provisioned configuration: " + settings);
        }
        return done;
    }

    // ---- internals ----

    private static void validate(MachineClient client) {
        Objects.requireNonNull(client.clientId(), "clientId");
        Objects.requireNonNull(client.authMethod(), "authMethod");
        Objects.requireNonNull(client.clientScopes(), "clientScopes");
        lifespanSeconds(client.accessTokenLifespan());
        if (client.authMethod() == AuthMethod.SIGNED_JWT && blank(client.jwksUrl()) == blank(client.jwks())) {
            throw new IllegalArgumentException("client " + client.clientId() + " authenticates with a signed JWT "
                    + "and needs either a JWKS URL or a JWKS, not both or neither");
        }
        if (client.authMethod() == AuthMethod.FEDERATED
                && (blank(client.federatedProvider()) || blank(client.workloadSubject()))) {
            throw new IllegalArgumentException("client " + client.clientId() + " authenticates federated and needs "
                    + "its identity provider and workload subject");
        }
    }

    private static String lifespanSeconds(Duration lifespan) {
        if (lifespan == null || lifespan.toSeconds() <= 0) {
            throw new IllegalArgumentException("access token lifespan must be at least one second: " + lifespan);
        }
        return String.valueOf(lifespan.toSeconds());
    }

    /** The realm's OpenID Connect client scopes by name, from the kept copy. */
    private Map<String, String> oidcScopeIdsByName() {
        Map<String, String> known = new HashMap<>();
        // Keycloak silently skips scopes of another protocol when linking them to an OIDC client
        realm.clientScopes().stream()
                .filter(scope -> scope.getProtocol() == null || OIDC.equals(scope.getProtocol()))
                .forEach(scope -> known.put(scope.getName(), scope.getId()));
        return known;
    }

    private Map<String, String> scopeIdsByName(List<String> names, Map<String, String> known) {
        List<String> unknown = names.stream().filter(name -> !known.containsKey(name)).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown OpenID Connect client scope(s) in realm " + keycloak.realmName()
                    + ": " + String.join(", ", unknown));
        }
        Map<String, String> ids = new LinkedHashMap<>();
        names.forEach(name -> ids.put(name, known.get(name)));
        return ids;
    }

    private static ClientRepresentation newClient(MachineClient client, List<String> scopes) {
        ClientRepresentation rep = new ClientRepresentation();
        rep.setClientId(client.clientId());
        rep.setName(client.name());
        rep.setDescription(client.description());
        rep.setEnabled(true);
        // by name, honoured by Keycloak's create instead of the realm's default and optional scopes
        rep.setDefaultClientScopes(List.copyOf(scopes));
        rep.setOptionalClientScopes(List.of());
        rep.setAttributes(new HashMap<>());
        ProvisionedClient.configure(rep, client.credential(), client.dpopBoundTokens());
        rep.getAttributes().put(KeycloakAttributes.PARTNERSHIP, client.partnershipKey());
        rep.getAttributes().put(KeycloakAttributes.IDENTITY, client.identityId());
        rep.getAttributes().put(ACCESS_TOKEN_LIFESPAN, lifespanSeconds(client.accessTokenLifespan()));
        return rep;
    }

    private static String ownedClientId(ClientRepresentation existing, MachineClient wanted) {
        Map<String, String> attributes = existing.getAttributes() == null ? Map.of() : existing.getAttributes();
        if (!Objects.equals(attributes.get(KeycloakAttributes.IDENTITY), wanted.identityId())) {
            throw new KeycloakRejectedException("client " + wanted.clientId()
                    + " already exists for another identity than " + wanted.identityId(), 409, null);
        }
        return existing.getId();
    }

    /** One default scope unlinked by its id; a scope Keycloak no longer knows by that id is not linked either. */
    private void unlinkDefaultScope(String id, String clientId, String scopeId) {
        keycloak.optional("unlink scope " + scopeId + " of client " + clientId, () -> {
            keycloak.realm().clients().get(id).removeDefaultClientScope(scopeId);
            return Boolean.TRUE;
        });
    }

    /**
     * An existing client keeps only the requested default scopes, none optional. Its links are taken from the
     * representation the lookup returned (Keycloak lists them by name); read from the client only when that names a
     * scope the kept copy of the realm's scopes does not know.
     */
    private void restrictScopes(ClientRepresentation found, Map<String, String> wanted, Map<String, String> known) {
        List<String> optional = found.getOptionalClientScopes();
        List<String> defaults = found.getDefaultClientScopes();
        if (optional == null || defaults == null || !known.keySet().containsAll(optional)
                || !known.keySet().containsAll(defaults)) {
            restrictScopesAsLinked(found.getId(), found.getClientId(), wanted);
            return;
        }
        String operation = "restrict scopes of client " + found.getClientId();
        ClientResource client = keycloak.realm().clients().get(found.getId());
        // optional ones first: Keycloak ignores adding a scope as default while it is still linked as optional
        for (String name : optional) {
            keycloak.run(operation, () -> client.removeOptionalClientScope(known.get(name)));
        }
        for (String name : defaults) {
            if (!wanted.containsKey(name)) {
                keycloak.run(operation, () -> client.removeDefaultClientScope(known.get(name)));
            }
        }
        wanted.forEach((name, scopeId) -> {
            if (!defaults.contains(name)) {
                link(client, operation, scopeId);
            }
        });
    }

    private void link(ClientResource client, String operation, String scopeId) {
        try {
            keycloak.run(operation, () -> client.addDefaultClientScope(scopeId));
        } catch (KeycloakRejectedException e) {
            if (e.status() == 404) {
                // the kept copy named a scope since deleted or recreated: the job's retry reads them again
                realm.forgetClientScopes();
            }
            throw e;
        }
    }

    /** As {@link #restrictScopes}, with the client's links read from Keycloak. */
    private void restrictScopesAsLinked(String id, String clientId, Map<String, String> wanted) {
        String operation = "restrict scopes of client " + clientId;
        ClientResource client = keycloak.realm().clients().get(id);
        // optional ones first: Keycloak ignores adding a scope as default while it is still linked as optional
        for (ClientScopeRepresentation scope : keycloak.call(operation, client::getOptionalClientScopes)) {
            keycloak.run(operation, () -> client.removeOptionalClientScope(scope.getId()));
        }
        List<ClientScopeRepresentation> defaults = keycloak.call(operation, client::getDefaultClientScopes);
        Set<String> present = new HashSet<>();
        for (ClientScopeRepresentation scope : defaults) {
            if (wanted.containsValue(scope.getId())) {
                present.add(scope.getId());
            } else {
                keycloak.run(operation, () -> client.removeDefaultClientScope(scope.getId()));
            }
        }
        for (String scopeId : wanted.values()) {
            if (!present.contains(scopeId)) {
                link(client, operation, scopeId);
            }
        }
    }

    private void updateBoundClient(String clientId, String identityId, String operation,
                                   Consumer<ClientRepresentation> change) {
        ClientRepresentation client = requireClient(clientId, operation);
        KeycloakAttributes.requireBound(client.getAttributes(), operation, identityId);
        change.accept(client);
        update(client, operation);
    }

    /**
     * Disabled, and every token issued until now invalid by the client's not-before, in the same update: a token
     * a resource server checks against the client's revocation policy is refused even if the client is enabled again.
     */
    private static void cutOff(ClientRepresentation client) {
        client.setEnabled(false);
        client.setNotBefore(Math.toIntExact(Instant.now().getEpochSecond()));
    }

    private void update(ClientRepresentation client, String operation) {
        keycloak.run(operation, () -> keycloak.realm().clients().get(client.getId()).update(client));
    }

    private ClientRepresentation requireClient(String clientId, String operation) {
        return findClient(clientId).orElseThrow(() -> new KeycloakRejectedException(operation + ": no client "
                + clientId + " in realm " + keycloak.realmName(), 404, null));
    }
}
