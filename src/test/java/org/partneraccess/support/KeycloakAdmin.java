package org.partneraccess.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.core.Response;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.admin.client.resource.UserResource;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.partneraccess.dev.ManagedKeycloak;

/**
 * The realms as their Keycloak administrators see and change them (the master realm's admin of the managed server):
 * for tests that read back what the application did, or change accounts under it (staff created, renamed, deleted).
 */
public final class KeycloakAdmin {

    private static Keycloak master;
    private static String masterUrl;

    private KeycloakAdmin() {
    }

    /** Keycloak starts with the application context, so the client is made on first use, and again for another server. */
    public static synchronized RealmResource realm(String name) {
        ManagedKeycloak server = ManagedKeycloak.current();
        if (master == null || !server.url().equals(masterUrl)) {
            if (master != null) {
                master.close();
            }
            master = KeycloakBuilder.builder().serverUrl(server.url()).realm("master").clientId("admin-cli")
                    .username(ManagedKeycloak.ADMIN_USERNAME).password(server.adminPassword()).build();
            masterUrl = server.url();
        }
        return master.realm(name);
    }

    public static RealmResource staffRealm() {
        return realm("staff");
    }

    /** A staff user made for the test, with a unique name, in these groups, who signs in with the demo password. */
    public static String createStaffUser(String name, String... groupPaths) {
        return createStaffUser(name + "-" + UUID.randomUUID().toString().substring(0, 8), List.of(groupPaths));
    }

    /** A staff user of exactly this name, e.g. one created again under the name of a deleted one. */
    public static String createStaffUser(String username, List<String> groupPaths) {
        UserRepresentation user = new UserRepresentation();
        user.setUsername(username);
        user.setEmail(username + "@staff.example.org");
        user.setFirstName(username);
        user.setLastName("Staff");
        user.setEnabled(true);
        user.setEmailVerified(true);
        user.setGroups(groupPaths);
        // the demo users' authenticator, so the person can give the second factor as every demo user does
        CredentialRepresentation otp = new CredentialRepresentation();
        otp.setType(CredentialRepresentation.TOTP);
        otp.setUserLabel("demo authenticator");
        otp.setSecretData("{\"value\":\"" + Otp.DEMO_SECRET + "\"}");
        otp.setCredentialData("{\"subType\":\"totp\",\"digits\":6,\"counter\":0,\"period\":30,"
                + "\"algorithm\":\"HmacSHA1\"}");
        user.setCredentials(List.of(otp));
        try (Response created = staffRealm().users().create(user)) {
            assertThat(created.getStatus()).as("creating staff user " + username).isEqualTo(201);
        }
        PartnerLogin.readyToSignIn(staffUser(username), Tokens.DEMO_PASSWORD);
        return username;
    }

    /** The account that holds this user name now. */
    public static UserResource staffUser(String username) {
        return staffRealm().users().get(staffUserId(username));
    }

    public static String staffUserId(String username) {
        return staffRealm().users().searchByUsername(username, true).get(0).getId();
    }

    /**
     * Renames the account, keeping its id, groups and password, as an administrator can: the staff realm does not let
     * user names be edited, so the setting is lifted for the rename and put back.
     */
    public static synchronized void renameStaffUser(String username, String newName) {
        RealmRepresentation realm = staffRealm().toRepresentation();
        Boolean editable = realm.isEditUsernameAllowed();
        realm.setEditUsernameAllowed(true);
        staffRealm().update(realm);
        try {
            UserResource user = staffUser(username);
            UserRepresentation representation = user.toRepresentation();
            representation.setUsername(newName);
            user.update(representation);
        } catch (BadRequestException e) {
            throw new IllegalStateException("Keycloak refused renaming " + username + ": "
                    + e.getResponse().readEntity(String.class), e);
        } finally {
            realm.setEditUsernameAllowed(editable);
            staffRealm().update(realm);
        }
    }
}
