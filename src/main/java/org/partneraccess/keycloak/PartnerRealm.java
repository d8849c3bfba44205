package org.partneraccess.keycloak;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import org.keycloak.representations.idm.ClientScopeRepresentation;
import org.keycloak.representations.idm.EventRepresentation;
import org.partneraccess.PerRequest;
import org.springframework.stereotype.Service;

/**
 * What the application reads of the partner realm as a whole: whether it answers, its client scopes (the partner API
 * permissions among them) and its stored events. The client scopes are kept for a short while
 * ({@code partner-access.keycloak.client-scopes-cache}): every registration and provisioning works from them, and a
 * scope changed in Keycloak is seen once the copy expires. Failures are mapped by {@link KeycloakCalls}.
 */
@Service
public class PartnerRealm {

    /**
     * A use of a partner identity seen by the partner realm: a person's sign-in ({@code LOGIN}, by user id), a person's
     * acceptance of the partner terms ({@link #TERMS_ACCEPTED}, by user id) or a machine's token ({@code CLIENT_LOGIN},
     * by client id).
     *
     * @param tokenId the id of the token a {@code CLIENT_LOGIN} issued, where Keycloak records it
     */
    public record LoginEvent(String type, Instant time, String userId, String clientId, String tokenId) {
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
    static final int EVENT_PAGE_SIZE = 500;

    private final KeycloakCalls keycloak;
    private final String ownClientId;
    /** One entry: the realm's client scopes as last read. */
    private final LoadingCache<String, List<ClientScopeRepresentation>> clientScopes;

    PartnerRealm(KeycloakCalls keycloak, KeycloakProperties properties) {
        this.keycloak = keycloak;
        this.ownClientId = properties.clientId();
        // concurrent readers of an expired copy wait for one read instead of each asking Keycloak
        this.clientScopes = Caffeine.newBuilder().maximumSize(1).expireAfterWrite(properties.clientScopesCache())
                .build(realm -> List.copyOf(listClientScopes()));
    }

    /**
     * Proves that the partner realm answers the application's own credential: one token (cached by the admin client)
     * and one lookup of the application's own client. Throws like every other call when it does not.
     */
    public void checkAccess() {
        if (keycloak.call("look up own client " + ownClientId,
                () -> keycloak.realm().clients().findByClientId(ownClientId)).isEmpty()) {
            throw new KeycloakRejectedException("look up own client: no client " + ownClientId + " in realm "
                    + keycloak.realmName(), 404, null);
        }
    }

    /**
     * The partner API permissions of the realm: client scopes that carry the {@value KeycloakAttributes#ACCESS}
     * attribute, by name, with their access ({@code read} or {@code write}). From the kept copy of the client scopes,
     * and within one HTTP request always the same answer.
     */
    public Map<String, String> permissionScopes() {
        return PerRequest.once("permissionScopes", () -> {
            Map<String, String> scopes = new TreeMap<>();
            clientScopes().stream().filter(PartnerRealm::isPermissionScope)
                    .forEach(scope -> scopes.put(scope.getName(), scope.getAttributes().get(KeycloakAttributes.ACCESS)));
            return Collections.unmodifiableMap(scopes);
        });
    }

    /** A partner API permission of the realm's catalogue: a client scope with the {@value KeycloakAttributes#ACCESS} attribute. */
    public static boolean isPermissionScope(ClientScopeRepresentation scope) {
        return scope.getAttributes() != null && scope.getAttributes().containsKey(KeycloakAttributes.ACCESS);
    }

    /** Every client scope of the partner realm, with its attributes and protocol mappers, read now (drift). */
    public List<ClientScopeRepresentation> listClientScopes() {
        return keycloak.call("list client scopes", () -> keycloak.realm().clientScopes().findAll());
    }

    /** The realm's client scopes as kept (at most {@code client-scopes-cache} old); read unless a copy is kept. */
    List<ClientScopeRepresentation> clientScopes() {
        return clientScopes.get(keycloak.realmName());
    }

    /** Forgets the kept client scopes: the next use reads them again (a scope Keycloak no longer knows by that id). */
    void forgetClientScopes() {
        clientScopes.invalidateAll();
    }

    /** The client scope with this Keycloak id; empty when it does not exist. */
    public Optional<ClientScopeRepresentation> findClientScopeById(String id) {
        return keycloak.optional("read client scope " + id, () -> keycloak.realm().clientScopes().get(id).toRepresentation());
    }

    /**
     * Hands over the partner realm's sign-ins, accepted terms and client tokens from {@code from} to {@code to} (both
     * inclusive, millisecond precision), oldest first, page by page: the window is fixed, so paging through it neither
     * skips nor repeats an event while new ones arrive. Needs {@code view-events}; the realm must store these event
     * types.
     *
     * @return the number of events handed over
     */
    public long forEachLoginEvent(Instant from, Instant to, Consumer<LoginEvent> consumer) {
        String operation = "read login events";
        long seen = 0;
        for (int first = 0; ; first += EVENT_PAGE_SIZE) {
            int offset = first;
            List<EventRepresentation> page = keycloak.call(operation, () -> keycloak.realm().getEvents(
                    LOGIN_EVENT_TYPES, null, null, from.toEpochMilli(), to.toEpochMilli(), null, offset,
                    EVENT_PAGE_SIZE, "asc"));
            for (EventRepresentation event : page) {
                if (TERMS_ACCEPTED.equals(event.getType())
                        && !PartnerUsers.TERMS_ACTION.equals(detail(event, "custom_required_action"))) {
                    continue;
                }
                consumer.accept(new LoginEvent(event.getType(), Instant.ofEpochMilli(event.getTime()),
                        event.getUserId(), event.getClientId(), detail(event, "token_id")));
                seen++;
            }
            if (page.size() < EVENT_PAGE_SIZE) {
                return seen;
            }
        }
    }

    /**
     * When the client last obtained a token, from the realm's stored {@code CLIENT_LOGIN} events (newest first); empty
     * when Keycloak holds no such event, e.g. never used, or used before the realm's event expiry.
     */
    public Optional<Instant> lastClientLogin(String clientId) {
        return keycloak.call("read token events of client " + clientId,
                        () -> keycloak.realm().getEvents(List.of(CLIENT_LOGIN), clientId, null, null, null, null, 0, 1))
                .stream()
                .filter(event -> clientId.equals(event.getClientId()))
                .map(event -> Instant.ofEpochMilli(event.getTime()))
                .findFirst();
    }

    private static String detail(EventRepresentation event, String name) {
        return event.getDetails() == null ? null : event.getDetails().get(name);
    }
}
