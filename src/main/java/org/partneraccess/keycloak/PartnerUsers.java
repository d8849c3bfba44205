package org.partneraccess.keycloak;

import static org.partneraccess.keycloak.KeycloakAttributes.hasAttribute;
import static org.partneraccess.keycloak.KeycloakAttributes.requireBound;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Partner people in the partner realm: their users, the partnership groups they are members of, their realm roles
 * and sessions. Every call is idempotent (look up before create, a concurrent create counts as success); failures are
 * mapped by {@link KeycloakCalls}.
 */
@Service
public class PartnerUsers {

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

    private static final Logger log = LoggerFactory.getLogger(PartnerUsers.class);
    /** The attestation first: a partner person accepts the partner terms, then sets a password. */
    static final String TERMS_ACTION = "TERMS_AND_CONDITIONS";
    static final List<String> ONBOARDING_ACTIONS = List.of(TERMS_ACTION, "UPDATE_PASSWORD");
    private static final Set<String> BUILT_IN_ROLES = Set.of("offline_access", "uma_authorization");
    private static final String ACCOUNT_CONSOLE = "account-console";

    private final KeycloakCalls keycloak;

    PartnerUsers(KeycloakCalls keycloak) {
        this.keycloak = keycloak;
    }

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
        Optional<String> created = keycloak.create(operation, () -> keycloak.realm().users().create(newUser(user)));
        if (created.isPresent()) {
            log.info("Created user {} for identity {} in realm {}", created.get(), user.identityId(),
                    keycloak.realmName());
            return created.get();
        }
        // 409: created concurrently, or a different user already holds the e-mail address
        return findUser(user.username()).map(found -> ownedUserId(found, user))
                .orElseThrow(() -> new KeycloakRejectedException(operation
                        + " conflicts with an existing user (same e-mail address?)", 409, null));
    }

    public Optional<UserRepresentation> findUser(String username) {
        return keycloak.call("find user " + username, () -> keycloak.realm().users().searchByUsername(username, true))
                .stream()
                .filter(user -> username.equalsIgnoreCase(user.getUsername()))
                .findFirst();
    }

    public Optional<UserRepresentation> findUserById(String userId) {
        return keycloak.optional("read user " + userId, () -> keycloak.realm().users().get(userId).toRepresentation());
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
        keycloak.run("log out user " + userId, () -> keycloak.realm().users().get(userId).logout());
    }

    /** Deletes the user; a user that is already gone counts as deleted. */
    public void deleteUser(String userId) {
        keycloak.delete("delete user " + userId, () -> keycloak.realm().users().delete(userId));
    }

    /**
     * Lets the user bound to {@code identityId} sign in with this password at once: no required action left, the
     * address taken as verified. Only for the revocation drill's synthetic person, whose password lives in memory for
     * the drill alone; real partner people set their own through the invitation.
     */
    public void readyToSignIn(String userId, String identityId, String password) {
        String operation = "ready user " + userId + " to sign in";
        UserRepresentation user = keycloak.call(operation, () -> keycloak.realm().users().get(userId).toRepresentation());
        requireBound(user.getAttributes(), operation, Objects.requireNonNull(identityId, "identityId"));
        user.setRequiredActions(List.of());
        user.setEmailVerified(true);
        keycloak.run(operation, () -> keycloak.realm().users().get(userId).update(user));
        CredentialRepresentation credential = new CredentialRepresentation();
        credential.setType(CredentialRepresentation.PASSWORD);
        credential.setValue(password);
        credential.setTemporary(false);
        keycloak.run("set password of user " + userId,
                () -> keycloak.realm().users().get(userId).resetPassword(credential));
    }

    /**
     * Mails the person Keycloak's link to accept the partner terms and set a password: both are required actions
     * of a new partner user, so no login succeeds before the person has attested.
     */
    public void sendInvitation(String userId, Duration validity) {
        keycloak.run("send invitation to user " + userId, () -> keycloak.realm().users().get(userId)
                .executeActionsEmail(ACCOUNT_CONSOLE, null, (int) validity.toSeconds(), ONBOARDING_ACTIONS));
    }

    /** The realm roles mapped to the user directly, without the realm's default roles. */
    public Set<String> partnerRolesOfUser(String userId) {
        Set<String> roles = new TreeSet<>();
        keycloak.call("read roles of user " + userId,
                        () -> keycloak.realm().users().get(userId).roles().realmLevel().listAll())
                .stream().map(RoleRepresentation::getName).filter(PartnerUsers::partnerRole).forEach(roles::add);
        return roles;
    }

    /** Removes every partner role the user holds, read and removed in one pass (a revocation's last step). */
    public void revokePartnerRoles(String userId) {
        String operation = "revoke the partner roles of user " + userId;
        List<RoleRepresentation> held = keycloak.call(operation,
                        () -> keycloak.realm().users().get(userId).roles().realmLevel().listAll()).stream()
                .filter(role -> partnerRole(role.getName())).toList();
        if (!held.isEmpty()) {
            keycloak.run(operation, () -> keycloak.realm().users().get(userId).roles().realmLevel().remove(held));
        }
    }

    private static boolean partnerRole(String name) {
        return !name.startsWith("default-roles-") && !BUILT_IN_ROLES.contains(name);
    }

    public void grantRoles(String userId, Collection<String> roles) {
        if (!roles.isEmpty()) {
            String operation = "grant roles " + roles + " to user " + userId;
            // the roles this credential may map: reading roles by name would need view-realm
            List<RoleRepresentation> found = keycloak.call(operation,
                    () -> keycloak.realm().users().get(userId).roles().realmLevel().listAvailable()).stream()
                    .filter(role -> roles.contains(role.getName())).toList();
            if (found.size() < roles.size()) {
                throw new KeycloakRejectedException(operation + ": not a realm role the user can be given", 404, null);
            }
            keycloak.run(operation, () -> keycloak.realm().users().get(userId).roles().realmLevel().add(found));
        }
    }

    /** Removes the roles; a role the user does not hold is no error. */
    public void revokeRoles(String userId, Collection<String> roles) {
        if (!roles.isEmpty()) {
            String operation = "revoke roles " + roles + " of user " + userId;
            List<RoleRepresentation> found = keycloak.call(operation,
                    () -> keycloak.realm().users().get(userId).roles().realmLevel().listAll()).stream()
                    .filter(role -> roles.contains(role.getName())).toList();
            if (!found.isEmpty()) {
                keycloak.run(operation, () -> keycloak.realm().users().get(userId).roles().realmLevel().remove(found));
            }
        }
    }

    public List<UserRepresentation> findUsersOfPartnership(String partnershipKey) {
        String query = KeycloakAttributes.PARTNERSHIP + ":" + partnershipKey;
        return keycloak.allPages("find users of partnership " + partnershipKey,
                offset -> keycloak.realm().users().searchByAttributes(offset, KeycloakCalls.PAGE_SIZE, null, true,
                        false, query),
                user -> hasAttribute(user.getAttributes(), KeycloakAttributes.PARTNERSHIP, partnershipKey));
    }

    /** Every user of the partner realm with its attributes, page by page (reconciliation against the registry). */
    public List<UserRepresentation> listUsers() {
        return keycloak.allPages("list users",
                offset -> keycloak.realm().users().list(offset, KeycloakCalls.PAGE_SIZE), user -> true);
    }

    /** How many sessions the user has now; zero after a logout. */
    public int sessionCount(String userId) {
        return keycloak.call("read sessions of user " + userId,
                () -> keycloak.realm().users().get(userId).getUserSessions()).size();
    }

    // ---- partnership groups ----

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
        return keycloak.create(operation, () -> keycloak.realm().groups().add(group))
                .or(() -> findPartnershipGroup(partnershipKey).map(GroupRepresentation::getId))
                .orElseThrow(() -> new KeycloakRejectedException(operation + " conflicts with an existing group", 409,
                        null));
    }

    /** Deletes the partnership's group; a group that is already gone counts as deleted. */
    public void deletePartnershipGroup(String partnershipKey) {
        findPartnershipGroup(partnershipKey).ifPresent(group -> keycloak.run("delete group " + group.getName(),
                () -> keycloak.realm().groups().group(group.getId()).remove()));
    }

    public Optional<GroupRepresentation> findPartnershipGroup(String partnershipKey) {
        String name = partnershipGroupName(partnershipKey);
        return keycloak.call("find group " + name, () -> keycloak.realm().groups().groups(name, true, 0, 10, false))
                .stream()
                .filter(group -> name.equals(group.getName()))
                .findFirst();
    }

    public void addUserToGroup(String userId, String groupId) {
        keycloak.run("add user " + userId + " to group " + groupId,
                () -> keycloak.realm().users().get(userId).joinGroup(groupId));
    }

    public List<String> groupsOfUser(String userId) {
        return keycloak.call("read groups of user " + userId, () -> keycloak.realm().users().get(userId).groups())
                .stream().map(GroupRepresentation::getName).toList();
    }

    public static String partnershipGroupName(String partnershipKey) {
        return "partner-" + partnershipKey;
    }

    // ---- internals ----

    private UserRepresentation newUser(PartnerUser user) {
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
        UserRepresentation user = keycloak.call(operation, () -> keycloak.realm().users().get(userId).toRepresentation());
        if (identityId != null) {
            requireBound(user.getAttributes(), operation, identityId);
        }
        user.setEnabled(enabled);
        keycloak.run(operation, () -> keycloak.realm().users().get(userId).update(user));
    }
}
