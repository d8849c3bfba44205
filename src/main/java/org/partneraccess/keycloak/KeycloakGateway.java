package org.partneraccess.keycloak;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.function.Supplier;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.ClientResource;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.ClientScopeRepresentation;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.partneraccess.PerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * The application's only access to Keycloak: partner people (users) and partner machines (confidential,
 * service-account-only clients) in the partner realm.
 *
 * <p>Every call is idempotent (look up before create, a concurrent create counts as success) and fails in one of
 * two ways: {@link KeycloakUnavailableException} when trying again later may succeed (5xx, 429, timeouts, refused
 * connections), {@link KeycloakRejectedException} when it cannot (other 4xx). Retrying is left to the job executor.
 *
 * <p>Parameters named {@code clientId} are OAuth client ids such as {@code pa-m-123}, never Keycloak's internal ids.
 */
@Service
public class KeycloakGateway {

    public record PartnerUser(String username, String email, String firstName, String lastName,
                              String partnershipKey, String identityId, Invitation invitation) {

        public PartnerUser(String username, String email, String firstName, String lastName, String partnershipKey,
                           String identityId) {
            this(username, email, firstName, lastName, partnershipKey, identityId, Invitation.NONE);
        }
    }

    /**
     * What the invitation mail tells the person (the partner realm's email theme reads it from the user's
     * {@code partner-access.invitation.*} attributes): who invites them, for which organisation, why, and the last day.
     */
    public record Invitation(String sponsor, String organisation, String purpose, LocalDate lastDay) {
        static final Invitation NONE = new Invitation(null, null, null, null);

        Map<String, List<String>> attributes() {
            Map<String, List<String>> attributes = new HashMap<>();
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("sponsor", sponsor);
            values.put("organisation", organisation);
            values.put("purpose", purpose);
            values.put("last-day", lastDay);
            values.forEach((name, value) -> {
                if (value != null && !value.toString().isBlank()) {
                    attributes.put(KeycloakAttributes.INVITATION + name, List.of(value.toString().strip()));
                }
            });
            return attributes;
        }
    }

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

    /**
     * A use of a partner identity seen by the partner realm: a person's sign-in ({@code LOGIN}, by user id), a person's
     * acceptance of the partner terms ({@link #TERMS_ACCEPTED}, by user id) or a machine's token ({@code CLIENT_LOGIN},
     * by client id).
     *
     * @param tokenId the id of the token a {@code CLIENT_LOGIN} issued, where Keycloak records it
     */
    public record LoginEvent(String type, java.time.Instant time, String userId, String clientId, String tokenId) {
    }

    /** Keycloak's event types that count as a use: a person's sign-in, accepted terms, and a machine's token. */
    public static final String LOGIN = "LOGIN";
    public static final String CLIENT_LOGIN = "CLIENT_LOGIN";
    /**
     * Keycloak's event of a completed required action; handed over only for the partner terms. Accepting them from
     * the invitation signs nobody in (Keycloak ends the flow with "account updated"), yet it is the person's own act.
     */
    public static final String TERMS_ACCEPTED = "CUSTOM_REQUIRED_ACTION";
    public static final List<String> LOGIN_EVENT_TYPES = List.of(LOGIN, CLIENT_LOGIN, TERMS_ACCEPTED);

    public KeycloakGateway(Keycloak keycloak, KeycloakProperties properties) {
        this.keycloak = keycloak;
        this.realmName = properties.partnerRealm();
        this.ownClientId = properties.clientId();
    }

    /**
     * Proves that the partner realm answers the application's own credential: one token (cached by the admin client)
     * and one lookup of the application's own client. Throws like every other call when it does not.
     */
    public void checkAccess() {
        if (call("look up own client " + ownClientId, () -> realm().clients().findByClientId(ownClientId)).isEmpty()) {
            throw new KeycloakRejectedException("look up own client: no client " + ownClientId + " in realm "
                    + realmName, 404, null);
        }
    }

    // ---- partner people ----

    /**
     * Creates the user unless a user with this username exists; returns the Keycloak user id either way. A new user is
     * created as a member of its partnership's group (created unless present): the application's credential may
     * create and manage group members only, never users outside the partnership groups.
     */
    public String ensureUser(PartnerUser user) {
        Objects.requireNonNull(user.username(), "username");
        Optional<UserRepresentation> existing = findUser(user.username());
        if (existing.isPresent()) {
            return ownedUserId(existing.get(), user);
        }
        ensurePartnershipGroup(Objects.requireNonNull(user.partnershipKey(), "partnershipKey"));
        String operation = "create user " + user.username();
        Optional<String> created = create(operation, () -> realm().users().create(newUser(user)));
        if (created.isPresent()) {
            log.info("Created user {} for identity {} in realm {}", created.get(), user.identityId(), realmName);
            return created.get();
        }
        // 409: created concurrently, or a different user already holds the e-mail address
        return findUser(user.username()).map(found -> ownedUserId(found, user))
                .orElseThrow(() -> new KeycloakRejectedException(operation
                        + " conflicts with an existing user (same e-mail address?)", 409, null));
    }

    public Optional<UserRepresentation> findUser(String username) {
        return call("find user " + username, () -> realm().users().searchByUsername(username, true)).stream()
                .filter(user -> username.equalsIgnoreCase(user.getUsername()))
                .findFirst();
    }

    public Optional<UserRepresentation> findUserById(String userId) {
        return optional("read user " + userId, () -> realm().users().get(userId).toRepresentation());
    }

    /**
     * Disables the user the registry's identity {@code identityId} is bound to, refused (409) unless the user carries
     * that identity: a changed registry row cannot turn a revocation against someone else's account.
     */
    public void disableUser(String userId, String identityId) {
        setUserEnabled(userId, Objects.requireNonNull(identityId, "identityId"), false);
    }

    /** As {@link #disableUser(String, String)}: only the user bound to {@code identityId} is enabled again. */
    public void enableUser(String userId, String identityId) {
        setUserEnabled(userId, Objects.requireNonNull(identityId, "identityId"), true);
    }

    /** Disables a user the registry does not hold, which the caller has checked live (drift correction). */
    public void disableUnregisteredUser(String userId) {
        setUserEnabled(userId, null, false);
    }

    /** Ends all sessions of the user, so refresh tokens stop working at once. */
    public void logoutUser(String userId) {
        run("log out user " + userId, () -> realm().users().get(userId).logout());
    }

    /** Deletes the user; a user that is already gone counts as deleted. */
    public void deleteUser(String userId) {
        delete("delete user " + userId, () -> realm().users().delete(userId));
    }

    /**
     * Lets the user bound to {@code identityId} sign in with this password at once: no required action left, the
     * address taken as verified. Only for the revocation drill's synthetic person, whose password lives in memory for
     * the drill alone; real partner people set their own through the invitation.
     */
    public void readyToSignIn(String userId, String identityId, String password) {
        String operation = "ready user " + userId + " to sign in";
        UserRepresentation user = call(operation, () -> realm().users().get(userId).toRepresentation());
        requireBound(user.getAttributes(), operation, Objects.requireNonNull(identityId, "identityId"));
        user.setRequiredActions(List.of());
        user.setEmailVerified(true);
        run(operation, () -> realm().users().get(userId).update(user));
        CredentialRepresentation credential = new CredentialRepresentation();
        credential.setType(CredentialRepresentation.PASSWORD);
        credential.setValue(password);
        credential.setTemporary(false);
        run("set password of user " + userId, () -> realm().users().get(userId).resetPassword(credential));
    }

    /**
     * Mails the person Keycloak's link to accept the partner terms and set a password: both are required actions
     * of a new partner user, so no login succeeds before the person has attested.
     */
    public void sendInvitation(String userId, Duration validity) {
        run("send invitation to user " + userId, () -> realm().users().get(userId)
                .executeActionsEmail(ACCOUNT_CONSOLE, null, (int) validity.toSeconds(), ONBOARDING_ACTIONS));
    }

    /** The realm roles mapped to the user directly, without the realm's default roles. */
    public Set<String> partnerRolesOfUser(String userId) {
        Set<String> roles = new java.util.TreeSet<>();
        call("read roles of user " + userId, () -> realm().users().get(userId).roles().realmLevel().listAll())
                .stream().map(RoleRepresentation::getName)
                .filter(name -> !name.startsWith("default-roles-") && !BUILT_IN_ROLES.contains(name))
                .forEach(roles::add);
        return roles;
    }

    public void grantRoles(String userId, java.util.Collection<String> roles) {
        if (!roles.isEmpty()) {
            String operation = "grant roles " + roles + " to user " + userId;
            // the roles this credential may map: reading roles by name would need view-realm
            List<RoleRepresentation> found = call(operation,
                    () -> realm().users().get(userId).roles().realmLevel().listAvailable()).stream()
                    .filter(role -> roles.contains(role.getName())).toList();
            if (found.size() < roles.size()) {
                throw new KeycloakRejectedException(operation + ": not a realm role the user can be given", 404, null);
            }
            run(operation, () -> realm().users().get(userId).roles().realmLevel().add(found));
        }
    }

    /** Removes the roles; a role the user does not hold is no error. */
    public void revokeRoles(String userId, java.util.Collection<String> roles) {
        if (!roles.isEmpty()) {
            String operation = "revoke roles " + roles + " of user " + userId;
            List<RoleRepresentation> found = call(operation,
                    () -> realm().users().get(userId).roles().realmLevel().listAll()).stream()
                    .filter(role -> roles.contains(role.getName())).toList();
            if (!found.isEmpty()) {
                run(operation, () -> realm().users().get(userId).roles().realmLevel().remove(found));
            }
        }
    }

    public List<UserRepresentation> findUsersOfPartnership(String partnershipKey) {
        String query = KeycloakAttributes.PARTNERSHIP + ":" + partnershipKey;
        return allPages("find users of partnership " + partnershipKey,
                offset -> realm().users().searchByAttributes(offset, PAGE_SIZE, null, true, false, query),
                user -> hasAttribute(user.getAttributes(), KeycloakAttributes.PARTNERSHIP, partnershipKey));
    }

    /**
     * Hands over the partner realm's sign-ins, accepted terms and client tokens from {@code from} to {@code to} (both
     * inclusive, millisecond precision), oldest first, page by page: the window is fixed, so paging through it neither
     * skips nor repeats an event while new ones arrive. Needs {@code view-events}; the realm must store these event
     * types.
     *
     * @return the number of events handed over
     */
    public long forEachLoginEvent(java.time.Instant from, java.time.Instant to, Consumer<LoginEvent> consumer) {
        String operation = "read login events";
        long seen = 0;
        for (int first = 0; ; first += EVENT_PAGE_SIZE) {
            int offset = first;
            List<org.keycloak.representations.idm.EventRepresentation> page = call(operation, () -> realm().getEvents(
                    LOGIN_EVENT_TYPES, null, null, from.toEpochMilli(), to.toEpochMilli(), null, offset,
                    EVENT_PAGE_SIZE, "asc"));
            for (org.keycloak.representations.idm.EventRepresentation event : page) {
                if (TERMS_ACCEPTED.equals(event.getType()) && !TERMS_ACTION.equals(detail(event, "custom_required_action"))) {
                    continue;
                }
                consumer.accept(new LoginEvent(event.getType(), java.time.Instant.ofEpochMilli(event.getTime()),
                        event.getUserId(), event.getClientId(), detail(event, "token_id")));
                seen++;
            }
            if (page.size() < EVENT_PAGE_SIZE) {
                return seen;
            }
        }
    }

    // ---- partnerships ----

    /**
     * The partnership's group in the partner realm, created unless present, so that its people are visibly grouped
     * in Keycloak. A group rather than an Organization: managing Organizations needs manage-realm, far more than the
     * app's credential should hold. The group is also what scopes the credential: it manages members of groups only.
     */
    public String ensurePartnershipGroup(String partnershipKey) {
        Optional<GroupRepresentation> existing = findPartnershipGroup(partnershipKey);
        if (existing.isPresent()) {
            return existing.get().getId();
        }
        GroupRepresentation group = new GroupRepresentation();
        group.setName(partnershipGroupName(partnershipKey));
        group.setAttributes(Map.of(KeycloakAttributes.PARTNERSHIP, List.of(partnershipKey)));
        String operation = "create group " + group.getName();
        return create(operation, () -> realm().groups().add(group))
                .or(() -> findPartnershipGroup(partnershipKey).map(GroupRepresentation::getId))
                .orElseThrow(() -> new KeycloakRejectedException(operation + " conflicts with an existing group", 409, null));
    }

    /** Deletes the partnership's group; a group that is already gone counts as deleted. */
    public void deletePartnershipGroup(String partnershipKey) {
        findPartnershipGroup(partnershipKey).ifPresent(group -> run("delete group " + group.getName(),
                () -> realm().groups().group(group.getId()).remove()));
    }

    public Optional<GroupRepresentation> findPartnershipGroup(String partnershipKey) {
        String name = partnershipGroupName(partnershipKey);
        return call("find group " + name, () -> realm().groups().groups(name, true, 0, 10, false)).stream()
                .filter(group -> name.equals(group.getName()))
                .findFirst();
    }

    public void addUserToGroup(String userId, String groupId) {
        run("add user " + userId + " to group " + groupId, () -> realm().users().get(userId).joinGroup(groupId));
    }

    public List<String> groupsOfUser(String userId) {
        return call("read groups of user " + userId, () -> realm().users().get(userId).groups()).stream()
                .map(GroupRepresentation::getName).toList();
    }

    public static String partnershipGroupName(String partnershipKey) {
        return "partner-" + partnershipKey;
    }

    // ---- partner machines ----

    /**
     * Creates a confidential, service-account-only client unless one with this client id exists, and leaves it
     * with exactly the requested default client scopes. Returns Keycloak's internal id of the client.
     *
     * @throws IllegalArgumentException when a requested scope does not exist in the realm; nothing is created then
     */
    public String ensureMachineClient(MachineClient client) {
        validate(client);
        List<String> scopes = new ArrayList<>(client.clientScopes());
        TECHNICAL_SCOPES.stream().filter(scope -> !scopes.contains(scope)).forEach(scopes::add);
        Map<String, String> scopeIds = scopeIdsByName(scopes);
        Optional<ClientRepresentation> existing = findClient(client.clientId());
        String id;
        if (existing.isPresent()) {
            id = ownedClientId(existing.get(), client);
        } else {
            String operation = "create client " + client.clientId();
            Optional<String> created = create(operation, () -> realm().clients().create(newClient(client, scopes)));
            if (created.isPresent()) {
                log.info("Created client {} for identity {} in realm {}", client.clientId(), client.identityId(),
                        realmName);
            }
            id = created.or(() -> findClient(client.clientId()).map(found -> ownedClientId(found, client)))
                    .orElseThrow(() -> new KeycloakRejectedException(operation
                            + " conflicts with an existing client", 409, null));
        }
        // also on the lookup path: a previous attempt may have failed between creating and trimming the scopes
        restrictScopes(id, client.clientId(), scopeIds);
        return id;
    }

    /**
     * The partner API permissions of the realm: client scopes that carry the {@value KeycloakAttributes#ACCESS}
     * attribute, by name, with their access ({@code read} or {@code write}). Read once per HTTP request.
     */
    public Map<String, String> permissionScopes() {
        return PerRequest.once("permissionScopes", this::readPermissionScopes);
    }

    private Map<String, String> readPermissionScopes() {
        Map<String, String> scopes = new java.util.TreeMap<>();
        listClientScopes().stream().filter(KeycloakGateway::isPermissionScope)
                .forEach(scope -> scopes.put(scope.getName(), scope.getAttributes().get(KeycloakAttributes.ACCESS)));
        return java.util.Collections.unmodifiableMap(scopes);
    }

    /** A partner API permission of the realm's catalogue: a client scope with the {@value KeycloakAttributes#ACCESS} attribute. */
    public static boolean isPermissionScope(ClientScopeRepresentation scope) {
        return scope.getAttributes() != null && scope.getAttributes().containsKey(KeycloakAttributes.ACCESS);
    }

    /** Every client scope of the partner realm, with its attributes and protocol mappers. */
    public List<ClientScopeRepresentation> listClientScopes() {
        return call("list client scopes", () -> realm().clientScopes().findAll());
    }

    /** The client scope with this Keycloak id; empty when it does not exist. */
    public Optional<ClientScopeRepresentation> findClientScopeById(String id) {
        return optional("read client scope " + id, () -> realm().clientScopes().get(id).toRepresentation());
    }

    public Optional<ClientRepresentation> findClient(String clientId) {
        return call("find client " + clientId, () -> realm().clients().findByClientId(clientId)).stream()
                .filter(client -> clientId.equals(client.getClientId()))
                .findFirst();
    }

    public List<ClientRepresentation> findClientsOfPartnership(String partnershipKey) {
        // listed and filtered here: Keycloak only searches client attributes it is configured to allow
        return allPages("find clients of partnership " + partnershipKey,
                offset -> realm().clients().findAll(null, null, null, offset, PAGE_SIZE),
                client -> hasAttribute(client.getAttributes(), KeycloakAttributes.PARTNERSHIP, partnershipKey));
    }

    /** Disables the client bound to the registry's identity {@code identityId}; refused (409) for any other client. */
    public void disableClient(String clientId, String identityId) {
        updateBoundClient(clientId, identityId, "disable client " + clientId, KeycloakGateway::cutOff);
    }

    /**
     * The client with this Keycloak id, in one call; it carries its shared secret where it has one (see
     * {@link #sharedSecret}). Empty when the client does not exist.
     */
    public Optional<ClientRepresentation> findClientById(String id) {
        return optional("read client " + id, () -> realm().clients().get(id).toRepresentation());
    }

    /**
     * Disables a client read by {@link #findClientById} in one call, and drops the secret from the representation:
     * sent back, it would set the secret again and could undo a replacement.
     */
    public void disableClient(ClientRepresentation client, String identityId) {
        requireBound(client.getAttributes(), "disable client " + client.getClientId(), identityId);
        disableUnregisteredClient(client);
    }

    /** As {@link #disableClient(ClientRepresentation, String)}, for a client the registry does not hold (drift). */
    public void disableUnregisteredClient(ClientRepresentation client) {
        client.setSecret(null);
        cutOff(client);
        update(client, "disable client " + client.getClientId());
    }

    /**
     * Disabled, and every token issued until now invalid by the client's not-before, in the same update: a token
     * a resource server checks against the client's revocation policy is refused even if the client is enabled again.
     */
    private static void cutOff(ClientRepresentation client) {
        client.setEnabled(false);
        client.setNotBefore(Math.toIntExact(java.time.Instant.now().getEpochSecond()));
    }

    /** Replaces the secret of a client read by {@link #findClientById} in one call, forgetting the new one. */
    public void replaceSecret(ClientRepresentation client) {
        callWithoutCause("replace secret of client " + client.getClientId(), () -> {
            realm().clients().get(client.getId()).generateNewSecret();
            return null;
        });
    }

    /** The client's shared secret as read with it, for an in-memory check only; empty when it has none. */
    public static Optional<String> sharedSecret(ClientRepresentation client) {
        return CLIENT_SECRET.equals(client.getClientAuthenticatorType())
                ? Optional.ofNullable(client.getSecret()) : Optional.empty();
    }

    public void enableClient(String clientId, String identityId) {
        updateBoundClient(clientId, identityId, "enable client " + clientId, client -> client.setEnabled(true));
    }

    /** Deletes the client bound to {@code identityId}; a client that does not exist counts as deleted. */
    public void deleteClient(String clientId, String identityId) {
        Optional<ClientRepresentation> client = findClient(clientId);
        if (client.isPresent()) {
            requireBound(client.get().getAttributes(), "delete client " + clientId, identityId);
            String id = client.get().getId();
            delete("delete client " + clientId, () -> realm().clients().delete(id));
        }
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
        return Optional.ofNullable(callWithoutCause("read secret of client " + clientId,
                () -> realm().clients().get(client.getId()).getSecret().getValue()));
    }

    /** How many sessions the user has now; zero after a logout. */
    public int sessionCount(String userId) {
        return call("read sessions of user " + userId, () -> realm().users().get(userId).getUserSessions()).size();
    }

    /**
     * Replaces the client's secret and forgets the new one: the old secret stops working, and the new one stays only
     * in Keycloak until its owner collects it (read then through {@link #currentSecret(String)}).
     */
    public void replaceSecret(String clientId, String identityId) {
        ClientRepresentation client = requireClient(clientId, "replace secret of client " + clientId);
        requireBound(client.getAttributes(), "replace secret of client " + clientId, identityId);
        String id = client.getId();
        callWithoutCause("replace secret of client " + clientId, () -> {
            realm().clients().get(id).generateNewSecret();
            return null;
        });
    }

    /**
     * When the client last obtained a token, from the realm's stored {@code CLIENT_LOGIN} events (newest first); empty
     * when Keycloak holds no such event, e.g. never used, or used before the realm's event expiry.
     */
    public Optional<java.time.Instant> lastClientLogin(String clientId) {
        return call("read token events of client " + clientId,
                () -> realm().getEvents(List.of(CLIENT_LOGIN), clientId, null, null, null, null, 0, 1)).stream()
                .filter(event -> clientId.equals(event.getClientId()))
                .map(event -> java.time.Instant.ofEpochMilli(event.getTime()))
                .findFirst();
    }

    // ---- the whole realm, for reconciliation against the registry ----

    /** Every user of the partner realm with its attributes, page by page. */
    public List<UserRepresentation> listUsers() {
        return allPages("list users", offset -> realm().users().list(offset, PAGE_SIZE), user -> true);
    }

    /** Every client of the partner realm with its attributes, page by page. */
    public List<ClientRepresentation> listClients() {
        return allPages("list clients", offset -> realm().clients().findAll(null, null, null, offset, PAGE_SIZE),
                client -> true);
    }

    /**
     * The permissions a client can obtain: its default and optional client scopes, without the technical ones every
     * machine client keeps (see {@link #ensureMachineClient}) and Keycloak's {@code service_account} scope, which
     * Keycloak links again whenever a service-account client is saved and which adds only the client id claim.
     */
    public Set<String> grantedClientScopesOf(String clientId) {
        String operation = "read scopes of client " + clientId;
        ClientResource client = realm().clients().get(requireClient(clientId, operation).getId());
        Set<String> scopes = new java.util.TreeSet<>();
        call(operation, client::getDefaultClientScopes).forEach(scope -> scopes.add(scope.getName()));
        call(operation, client::getOptionalClientScopes).forEach(scope -> scopes.add(scope.getName()));
        scopes.removeAll(TECHNICAL_SCOPES);
        scopes.remove(SERVICE_ACCOUNT_SCOPE);
        return scopes;
    }

    /** Unlinks the client scopes from the client, default and optional alike; a scope it lacks is no error. */
    public void removeClientScopes(String clientId, java.util.Collection<String> names) {
        removeClientScopes(requireClient(clientId, "remove scopes " + names + " of client " + clientId), names);
    }

    /**
     * Unlinks the client scopes from a client read by {@link #findClientById}, by its Keycloak id (never looked up again
     * by client id); a scope it lacks is no error.
     */
    public void removeClientScopes(ClientRepresentation found, java.util.Collection<String> names) {
        String operation = "remove scopes " + names + " of client " + found.getClientId();
        ClientResource client = realm().clients().get(found.getId());
        for (ClientScopeRepresentation scope : call(operation, client::getDefaultClientScopes)) {
            if (names.contains(scope.getName())) {
                run(operation, () -> client.removeDefaultClientScope(scope.getId()));
            }
        }
        for (ClientScopeRepresentation scope : call(operation, client::getOptionalClientScopes)) {
            if (names.contains(scope.getName())) {
                run(operation, () -> client.removeOptionalClientScope(scope.getId()));
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
    public Map<String, Duration> accessTokenLifespans(java.util.Collection<String> clientIds, Duration realmDefault) {
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

    /** Names of the client's default client scopes, the scopes every token of the client carries. */
    public List<String> defaultClientScopesOf(String clientId) {
        String id = requireClient(clientId, "read scopes of client " + clientId).getId();
        return call("read scopes of client " + clientId, () -> realm().clients().get(id).getDefaultClientScopes())
                .stream().map(ClientScopeRepresentation::getName).toList();
    }

    // ---- internals ----

    private static final Logger log = LoggerFactory.getLogger(KeycloakGateway.class);
    /** Kept on every machine client besides its permissions: the subject claim, and the audience introspection needs. */
    static final List<String> TECHNICAL_SCOPES = List.of("basic", "partner-access-introspection");

    /** The attestation first: a partner person accepts the partner terms, then sets a password. */
    private static final String TERMS_ACTION = "TERMS_AND_CONDITIONS";
    static final List<String> ONBOARDING_ACTIONS = List.of(TERMS_ACTION, "UPDATE_PASSWORD");
    private static final String SERVICE_ACCOUNT_SCOPE = "service_account";
    private static final Set<String> BUILT_IN_ROLES = Set.of("offline_access", "uma_authorization");
    private static final String ACCOUNT_CONSOLE = "account-console";
    private static final int PAGE_SIZE = 100;
    static final int EVENT_PAGE_SIZE = 500;
    private static final String OIDC = "openid-connect";
    private static final String ACCESS_TOKEN_LIFESPAN = "access.token.lifespan";
    private static final String CLIENT_SECRET = "client-secret";
    private static final String CLIENT_JWT = "client-jwt";
    private static final String USE_JWKS_URL = "use.jwks.url";
    private static final String JWKS_URL = "jwks.url";
    private static final String USE_JWKS_STRING = "use.jwks.string";
    private static final String JWKS_STRING = "jwks.string";
    private static final String SIGNING_ALG = "token.endpoint.auth.signing.alg";
    /** Keycloak's federated client authenticator (feature {@code client-auth-federated}) and its two client settings. */
    static final String FEDERATED_JWT = "federated-jwt";
    static final String FEDERATED_ISSUER = "jwt.credential.issuer";
    static final String FEDERATED_SUBJECT = "jwt.credential.sub";
    /** Keycloak's client switch "Require DPoP bound tokens": a token request without a DPoP proof is refused. */
    public static final String DPOP_BOUND_ACCESS_TOKENS = "dpop.bound.access.tokens";
    /** Where a client-jwt client's public keys are and how its assertions are signed: its credential. */
    private static final List<String> KEY_ATTRIBUTES = List.of(USE_JWKS_URL, JWKS_URL, USE_JWKS_STRING, JWKS_STRING,
            SIGNING_ALG, FEDERATED_ISSUER, FEDERATED_SUBJECT);
    /** Grants Keycloak switches on per client by attribute: a machine client has none of them. */
    private static final List<String> GRANT_ATTRIBUTES = List.of("oauth2.device.authorization.grant.enabled",
            "oidc.ciba.grant.enabled", "standard.token.exchange.enabled");
    private static final String MAPPER = "mapper ";
    private static final String AUTHENTICATOR = "authenticator ";
    private static final String PUBLIC_KEYS = "publicKeys";

    private final Keycloak keycloak;
    private final String realmName;
    private final String ownClientId;

    RealmResource realm() {
        return keycloak.realm(realmName);
    }

    private static UserRepresentation newUser(PartnerUser user) {
        UserRepresentation rep = new UserRepresentation();
        rep.setUsername(user.username());
        rep.setEmail(user.email());
        rep.setFirstName(user.firstName());
        rep.setLastName(user.lastName());
        rep.setEnabled(true);
        rep.setEmailVerified(false);
        rep.setRequiredActions(ONBOARDING_ACTIONS);
        // in the same request: Keycloak lets a group's member manager create users only into that group
        rep.setGroups(List.of("/" + partnershipGroupName(user.partnershipKey())));
        Map<String, List<String>> attributes = new HashMap<>(user.invitation().attributes());
        attributes.put(KeycloakAttributes.PARTNERSHIP, List.of(user.partnershipKey()));
        attributes.put(KeycloakAttributes.IDENTITY, List.of(user.identityId()));
        rep.setAttributes(attributes);
        return rep;
    }

    /** Never hand out an account that carries another registry identity: that would merge two people's access. */
    private static String ownedUserId(UserRepresentation existing, PartnerUser wanted) {
        if (!hasAttribute(existing.getAttributes(), KeycloakAttributes.IDENTITY, wanted.identityId())) {
            throw new KeycloakRejectedException("user " + wanted.username()
                    + " already exists for another identity than " + wanted.identityId(), 409, null);
        }
        return existing.getId();
    }

    private void setUserEnabled(String userId, String identityId, boolean enabled) {
        String operation = (enabled ? "enable" : "disable") + " user " + userId;
        // read-modify-write: a partial representation could fail user profile validation or clear fields
        UserRepresentation user = call(operation, () -> realm().users().get(userId).toRepresentation());
        if (identityId != null) {
            requireBound(user.getAttributes(), operation, identityId);
        }
        user.setEnabled(enabled);
        run(operation, () -> realm().users().get(userId).update(user));
    }

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

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static String lifespanSeconds(Duration lifespan) {
        if (lifespan == null || lifespan.toSeconds() <= 0) {
            throw new IllegalArgumentException("access token lifespan must be at least one second: " + lifespan);
        }
        return String.valueOf(lifespan.toSeconds());
    }

    private Map<String, String> scopeIdsByName(List<String> names) {
        Map<String, String> known = new HashMap<>();
        // Keycloak silently skips scopes of another protocol when linking them to an OIDC client
        listClientScopes().stream()
                .filter(scope -> scope.getProtocol() == null || OIDC.equals(scope.getProtocol()))
                .forEach(scope -> known.put(scope.getName(), scope.getId()));
        List<String> unknown = names.stream().filter(name -> !known.containsKey(name)).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown OpenID Connect client scope(s) in realm " + realmName + ": "
                    + String.join(", ", unknown));
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
        rep.setDefaultClientScopes(List.copyOf(scopes));
        rep.setOptionalClientScopes(List.of());
        rep.setAttributes(new HashMap<>());
        provisionedConfiguration(rep, client.credential(), client.dpopBoundTokens());
        rep.getAttributes().put(KeycloakAttributes.PARTNERSHIP, client.partnershipKey());
        rep.getAttributes().put(KeycloakAttributes.IDENTITY, client.identityId());
        rep.getAttributes().put(ACCESS_TOKEN_LIFESPAN, lifespanSeconds(client.accessTokenLifespan()));
        return rep;
    }

    /**
     * How a partner machine client works, as provisioning sets it and drift compares it: confidential, client
     * credentials only (no browser, password, device, CIBA or token-exchange grant, no redirect URI), no full scope, no
     * protocol mapper, the registered authenticator with its public keys, and Keycloak's own switch for DPoP-bound
     * access tokens as the policy decided (off: a client may still present a proof and get a bound token).
     */
    private static void provisionedConfiguration(ClientRepresentation rep, Credential credential,
                                                 boolean dpopBoundTokens) {
        AuthMethod method = credential == null ? null : credential.method();
        String jwksUrl = method == null ? null : credential.jwksUrl();
        String jwks = method == null ? null : credential.jwks();
        rep.setProtocol(OIDC);
        rep.setPublicClient(false);
        rep.setBearerOnly(false);
        rep.setServiceAccountsEnabled(true);
        rep.setStandardFlowEnabled(false);
        rep.setImplicitFlowEnabled(false);
        rep.setDirectAccessGrantsEnabled(false);
        rep.setFrontchannelLogout(false);
        rep.setConsentRequired(false);
        rep.setFullScopeAllowed(false);
        rep.setRedirectUris(List.of());
        Map<String, String> attributes = attributesOf(rep);
        GRANT_ATTRIBUTES.forEach(grant -> attributes.put(grant, "false"));
        attributes.put(DPOP_BOUND_ACCESS_TOKENS, String.valueOf(dpopBoundTokens));
        if (method == AuthMethod.SIGNED_JWT) {
            rep.setClientAuthenticatorType(CLIENT_JWT);
            if (blank(jwks)) {
                attributes.put(USE_JWKS_URL, "true");
                attributes.put(JWKS_URL, jwksUrl);
            } else {
                attributes.put(USE_JWKS_URL, "false");
                attributes.put(USE_JWKS_STRING, "true");
                attributes.put(JWKS_STRING, jwks);
            }
            attributes.put(SIGNING_ALG, "RS256");
        } else if (method == AuthMethod.FEDERATED) {
            // Keycloak finds the client by these two: the provider that verified the JWT and the JWT's subject
            rep.setClientAuthenticatorType(FEDERATED_JWT);
            attributes.put(FEDERATED_ISSUER, credential.federatedProvider());
            attributes.put(FEDERATED_SUBJECT, credential.workloadSubject());
        } else {
            rep.setClientAuthenticatorType(CLIENT_SECRET);
        }
    }

    /**
     * What a partner machine client holds beyond the configuration provisioning gave it (see
     * {@link #provisionedConfiguration}), each difference named the same way every time: {@code publicClient},
     * {@code standardFlow}, {@code implicitFlow}, {@code directAccessGrants}, {@code fullScope}, a grant attribute
     * set to {@code true}, {@code redirectUris}, {@code authenticator <type>}, {@code publicKeys}, and
     * {@code mapper <id>} for each protocol mapper (provisioning creates none), and {@value #DPOP_BOUND_ACCESS_TOKENS}
     * where the switch differs from {@code dpopBoundTokens} (unset is off). Scopes and the token lifespan are judged on
     * their own. A null {@code method} leaves the authenticator unjudged, a null {@code dpopBoundTokens} the switch.
     */
    public static Set<String> beyondProvisioning(ClientRepresentation found, AuthMethod method, String jwksUrl,
                                                 String jwks, Boolean dpopBoundTokens) {
        return beyondProvisioning(found, method == null ? null : Credential.of(method, jwksUrl, jwks), dpopBoundTokens);
    }

    /** {@link #beyondProvisioning(ClientRepresentation, AuthMethod, String, String, Boolean)} for any credential. */
    public static Set<String> beyondProvisioning(ClientRepresentation found, Credential credential,
                                                 Boolean dpopBoundTokens) {
        AuthMethod method = credential == null ? null : credential.method();
        Set<String> beyond = new java.util.TreeSet<>();
        Map<String, String> attributes = found.getAttributes() == null ? Map.of() : found.getAttributes();
        if (Boolean.TRUE.equals(found.isPublicClient())) {
            beyond.add("publicClient");
        }
        if (Boolean.TRUE.equals(found.isStandardFlowEnabled())) {
            beyond.add("standardFlow");
        }
        if (Boolean.TRUE.equals(found.isImplicitFlowEnabled())) {
            beyond.add("implicitFlow");
        }
        if (Boolean.TRUE.equals(found.isDirectAccessGrantsEnabled())) {
            beyond.add("directAccessGrants");
        }
        if (Boolean.TRUE.equals(found.isFullScopeAllowed())) {
            beyond.add("fullScope");
        }
        GRANT_ATTRIBUTES.stream().filter(grant -> "true".equalsIgnoreCase(attributes.get(grant))).forEach(beyond::add);
        if (found.getRedirectUris() != null && !found.getRedirectUris().isEmpty()) {
            beyond.add("redirectUris");
        }
        // both ways: switched off, a stolen token works without the key; switched on, the partner's flow breaks
        if (dpopBoundTokens != null
                && dpopBoundTokens != "true".equalsIgnoreCase(attributes.get(DPOP_BOUND_ACCESS_TOKENS))) {
            beyond.add(DPOP_BOUND_ACCESS_TOKENS);
        }
        if (method != null) {
            ClientRepresentation provisioned = new ClientRepresentation();
            provisionedConfiguration(provisioned, credential, Boolean.TRUE.equals(dpopBoundTokens));
            if (!provisioned.getClientAuthenticatorType().equals(found.getClientAuthenticatorType())) {
                beyond.add(AUTHENTICATOR + found.getClientAuthenticatorType());
            } else if (method != AuthMethod.CLIENT_SECRET && KEY_ATTRIBUTES.stream().anyMatch(name ->
                    !Objects.equals(keyAttribute(provisioned, name), keyAttribute(found, name)))) {
                beyond.add(PUBLIC_KEYS);
            }
        }
        if (found.getProtocolMappers() != null) {
            // by id: a mapper's name is free text
            found.getProtocolMappers().forEach(mapper -> beyond.add(MAPPER + mapper.getId()));
        }
        return beyond;
    }

    /**
     * Sets a partner machine client read by {@link #findClientById} back to its provisioned configuration where it
     * differs as {@link #beyondProvisioning} named it, by its Keycloak id, and only for the differences given (found on
     * review, still there now): each foreign protocol mapper is deleted, the rest is written back; the secret read with
     * it is not sent back (it could undo a replacement).
     *
     * @return what was done
     */
    public List<String> setBackToProvisioning(ClientRepresentation found, AuthMethod method, String jwksUrl, String jwks,
                                            boolean dpopBoundTokens, java.util.Collection<String> differences) {
        return setBackToProvisioning(found, method == null ? null : Credential.of(method, jwksUrl, jwks),
                dpopBoundTokens, differences);
    }

    /** {@link #setBackToProvisioning(ClientRepresentation, AuthMethod, String, String, boolean, java.util.Collection)}
     * for any credential. */
    public List<String> setBackToProvisioning(ClientRepresentation found, Credential credential,
                                            boolean dpopBoundTokens, java.util.Collection<String> differences) {
        AuthMethod method = credential == null ? null : credential.method();
        String operation = "restore the provisioned configuration of client " + found.getClientId();
        ClientRepresentation provisioned = new ClientRepresentation();
        provisionedConfiguration(provisioned, credential, dpopBoundTokens);
        List<String> done = new ArrayList<>();
        ClientResource client = realm().clients().get(found.getId());
        for (org.keycloak.representations.idm.ProtocolMapperRepresentation mapper
                : found.getProtocolMappers() == null ? List.<org.keycloak.representations.idm.ProtocolMapperRepresentation>of()
                : found.getProtocolMappers()) {
            if (differences.contains(MAPPER + mapper.getId())) {
                run(operation, () -> client.getProtocolMappers().delete(mapper.getId()));
                done.add("protocol mapper " + mapper.getName() + " (" + mapper.getProtocolMapper() + ") deleted");
            }
        }
        Set<String> settings = new java.util.TreeSet<>(differences);
        settings.removeIf(difference -> difference.startsWith(MAPPER));
        if (!settings.isEmpty()) {
            found.setSecret(null);
            // mappers are not written back with the client: the ones kept stay as they are
            found.setProtocolMappers(null);
            Map<String, String> attributes = attributesOf(found);
            for (String difference : settings) {
                switch (difference) {
                    case "publicClient" -> found.setPublicClient(provisioned.isPublicClient());
                    case "standardFlow" -> found.setStandardFlowEnabled(provisioned.isStandardFlowEnabled());
                    case "implicitFlow" -> found.setImplicitFlowEnabled(provisioned.isImplicitFlowEnabled());
                    case "directAccessGrants" -> found.setDirectAccessGrantsEnabled(
                            provisioned.isDirectAccessGrantsEnabled());
                    case "fullScope" -> found.setFullScopeAllowed(provisioned.isFullScopeAllowed());
                    case "redirectUris" -> found.setRedirectUris(provisioned.getRedirectUris());
                    default -> {
                        if (GRANT_ATTRIBUTES.contains(difference) || difference.equals(DPOP_BOUND_ACCESS_TOKENS)) {
                            attributes.put(difference, provisioned.getAttributes().get(difference));
                        } else if (method != null && (difference.equals(PUBLIC_KEYS)
                                || difference.startsWith(AUTHENTICATOR))) {
                            found.setClientAuthenticatorType(provisioned.getClientAuthenticatorType());
                            KEY_ATTRIBUTES.forEach(name -> {
                                String value = provisioned.getAttributes().get(name);
                                if (value == null) {
                                    attributes.remove(name);
                                } else {
                                    attributes.put(name, value);
                                }
                            });
                        }
                    }
                }
            }
            update(found, operation);
            done.add("set back to the provisioned configuration: " + settings);
        }
        return done;
    }

    /** A key attribute as Keycloak reads it: an unset switch is off. */
    private static String keyAttribute(ClientRepresentation client, String name) {
        String value = client.getAttributes() == null ? null : client.getAttributes().get(name);
        return value == null && name.startsWith("use.") ? "false" : value;
    }

    private static String ownedClientId(ClientRepresentation existing, MachineClient wanted) {
        Map<String, String> attributes = existing.getAttributes() == null ? Map.of() : existing.getAttributes();
        if (!Objects.equals(attributes.get(KeycloakAttributes.IDENTITY), wanted.identityId())) {
            throw new KeycloakRejectedException("client " + wanted.clientId()
                    + " already exists for another identity than " + wanted.identityId(), 409, null);
        }
        return existing.getId();
    }

    /** Keycloak adds the realm's default and optional scopes to every new client; only the requested ones stay. */
    private void restrictScopes(String id, String clientId, Map<String, String> wanted) {
        String operation = "restrict scopes of client " + clientId;
        ClientResource client = realm().clients().get(id);
        // optional ones first: Keycloak ignores adding a scope as default while it is still linked as optional
        for (ClientScopeRepresentation scope : call(operation, client::getOptionalClientScopes)) {
            run(operation, () -> client.removeOptionalClientScope(scope.getId()));
        }
        List<ClientScopeRepresentation> defaults = call(operation, client::getDefaultClientScopes);
        Set<String> present = new HashSet<>();
        for (ClientScopeRepresentation scope : defaults) {
            if (wanted.containsValue(scope.getId())) {
                present.add(scope.getId());
            } else {
                run(operation, () -> client.removeDefaultClientScope(scope.getId()));
            }
        }
        for (String scopeId : wanted.values()) {
            if (!present.contains(scopeId)) {
                run(operation, () -> client.addDefaultClientScope(scopeId));
            }
        }
    }

    /** Keycloak answers lists in pages; reads until a page comes back short and keeps what matches. */
    private <T> List<T> allPages(String operation, IntFunction<List<T>> page, Predicate<T> keep) {
        List<T> found = new ArrayList<>();
        for (int first = 0; ; first += PAGE_SIZE) {
            int offset = first;
            List<T> items = call(operation, () -> page.apply(offset));
            items.stream().filter(keep).forEach(found::add);
            if (items.size() < PAGE_SIZE) {
                return found;
            }
        }
    }

    private void updateBoundClient(String clientId, String identityId, String operation,
                                   Consumer<ClientRepresentation> change) {
        ClientRepresentation client = requireClient(clientId, operation);
        requireBound(client.getAttributes(), operation, identityId);
        change.accept(client);
        update(client, operation);
    }

    private void update(ClientRepresentation client, String operation) {
        run(operation, () -> realm().clients().get(client.getId()).update(client));
    }

    private ClientRepresentation requireClient(String clientId, String operation) {
        return findClient(clientId).orElseThrow(() ->
                new KeycloakRejectedException(operation + ": no client " + clientId + " in realm " + realmName, 404, null));
    }

    private static Map<String, String> attributesOf(ClientRepresentation client) {
        if (client.getAttributes() == null) {
            client.setAttributes(new HashMap<>());
        }
        return client.getAttributes();
    }

    /** Refuses (409) a client read by id that does not carry the registry identity it is about to be acted on for. */
    public static void requireBound(ClientRepresentation client, String identityId) {
        requireBound(client.getAttributes(), "act on client " + client.getClientId(), identityId);
    }

    /** The object carries the registry identity it is acted on for, or nothing is done. */
    private static void requireBound(Map<String, ?> attributes, String operation, String identityId) {
        if (!hasAttribute(attributes, KeycloakAttributes.IDENTITY, Objects.requireNonNull(identityId, "identityId"))) {
            throw new KeycloakRejectedException(operation + ": refused, the object is not bound to identity "
                    + identityId + " (its " + KeycloakAttributes.IDENTITY + " attribute differs)", 409, null);
        }
    }

    private static String detail(org.keycloak.representations.idm.EventRepresentation event, String name) {
        return event.getDetails() == null ? null : event.getDetails().get(name);
    }

    /** Whether a user's or client's attributes name the registry identity {@code identityId}. */
    public static boolean isBound(Map<String, ?> attributes, String identityId) {
        return hasAttribute(attributes, KeycloakAttributes.IDENTITY, identityId);
    }

    private static boolean hasAttribute(Map<String, ?> attributes, String name, String value) {
        if (attributes == null || value == null) {
            return false;
        }
        Object values = attributes.get(name);
        return values instanceof List<?> list ? list.contains(value) : value.equals(values);
    }

    // ---- the one place where Keycloak failures are mapped (package-private: PartnerIdentityProviders uses it) ----

    /** Runs a create; the new id, or empty when Keycloak answers 409 Conflict. */
    Optional<String> create(String operation, Supplier<Response> request) {
        try (Response response = call(operation, request)) {
            int status = response.getStatus();
            if (status == 409) {
                return Optional.empty();
            }
            if (status != 201) {
                throw failure(operation, status, null);
            }
            String location = response.getHeaderString("Location");
            if (location == null) {
                throw new KeycloakUnavailableException(operation + ": Keycloak answered 201 without a location", null);
            }
            return Optional.of(location.substring(location.lastIndexOf('/') + 1));
        }
    }

    /** Runs a delete; 404 means someone else already deleted it, which is the outcome we want. */
    private void delete(String operation, Supplier<Response> request) {
        try (Response response = call(operation, request)) {
            int status = response.getStatus();
            if (status != 204 && status != 200 && status != 404) {
                throw failure(operation, status, null);
            }
        }
    }

    <T> Optional<T> optional(String operation, Supplier<T> request) {
        try {
            return Optional.ofNullable(call(operation, request));
        } catch (KeycloakRejectedException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    void run(String operation, Runnable request) {
        call(operation, () -> {
            request.run();
            return null;
        });
    }

    <T> T call(String operation, Supplier<T> request) {
        try {
            return request.get();
        } catch (WebApplicationException e) {
            throw failure(operation, e.getResponse().getStatus(), e);
        } catch (ProcessingException e) {
            // a failing token request surfaces wrapped, because the admin client fetches tokens in a request filter
            WebApplicationException http = causeOfType(e, WebApplicationException.class);
            if (http != null) {
                throw failure(operation + " (token request)", http.getResponse().getStatus(), e);
            }
            throw new KeycloakUnavailableException(operation + " failed: Keycloak not reachable ("
                    + transportProblem(e) + ")", e);
        }
    }

    private <T> T callWithoutCause(String operation, Supplier<T> request) {
        try {
            return call(operation, request);
        } catch (KeycloakRejectedException e) {
            throw new KeycloakRejectedException(e.getMessage(), e.status(), null);
        } catch (KeycloakUnavailableException e) {
            throw new KeycloakUnavailableException(e.getMessage(), null);
        }
    }

    private static RuntimeException failure(String operation, int status, Throwable cause) {
        String message = operation + " failed: Keycloak answered HTTP " + status;
        // 429 asks to come back later, like a 5xx
        if (status >= 500 || status == 429) {
            return new KeycloakUnavailableException(message, cause);
        }
        return new KeycloakRejectedException(message, status, cause);
    }

    private static String transportProblem(Throwable e) {
        if (causeOfType(e, SocketTimeoutException.class) != null) {
            return "timed out";
        }
        if (causeOfType(e, ConnectException.class) != null) {
            return "connection refused";
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName();
    }

    private static <E extends Throwable> E causeOfType(Throwable e, Class<E> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
