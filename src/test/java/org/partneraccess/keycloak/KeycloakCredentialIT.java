package org.partneraccess.keycloak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.keycloak.OAuth2Constants;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.partneraccess.dev.ManagedKeycloak;
import org.partneraccess.support.ItFixtures;
import org.partneraccess.support.PartnerAccessTest;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The application's own Keycloak credentials hold the least they need: the provisioner reads the partner realm's users
 * and clients and manages partner identities only (see {@link ProvisionerPrivilegesIT}); the staff realm's client only reads staff. Each refusal is Keycloak's own 403.
 */
@PartnerAccessTest
class KeycloakCredentialIT {

    private static final String REALM_MANAGEMENT = "realm-management";
    /** A token of one realm at another realm's admin API: refused either way. */
    @SuppressWarnings("unchecked")
    private static final Class<? extends Throwable>[] REFUSED = new Class[] {ForbiddenException.class, NotAuthorizedException.class};

    @Autowired
    ItFixtures fixtures;
    @Autowired
    Keycloak provisioner;
    @Autowired
    KeycloakProperties properties;

    private Keycloak staffReader;

    @AfterEach
    void closeStaffReader() {
        if (staffReader != null) {
            staffReader.close();
        }
    }

    @Test
    void theProvisionerCannotCreateRealmsNorReachOtherRealms() {
        RealmRepresentation realm = new RealmRepresentation();
        realm.setRealm("partner-access-intruder");
        assertThatThrownBy(() -> provisioner.realms().create(realm)).isInstanceOf(ForbiddenException.class);
        assertThat(provisioner.realms().findAll()).extracting(RealmRepresentation::getRealm)
                .doesNotContain("master", properties.staffRealm(), "partner-access-intruder");
        assertThatThrownBy(() -> provisioner.realm("master").users().list()).isInstanceOfAny(REFUSED);
        assertThatThrownBy(() -> provisioner.realm(properties.staffRealm()).users().list()).isInstanceOfAny(REFUSED);
        assertThatThrownBy(() -> provisioner.realm(properties.partnerRealm()).update(new RealmRepresentation()))
                .as("realm settings need manage-realm").isInstanceOf(ForbiddenException.class);
    }

    @Test
    void theProvisionerCannotGrantItselfMoreRoles() {
        RealmResource partner = provisioner.realm(properties.partnerRealm());
        ClientRepresentation own = partner.clients().findByClientId(properties.clientId()).get(0);
        UserRepresentation account = partner.clients().get(own.getId()).getServiceAccountUser();
        ClientRepresentation management = partner.clients().findByClientId(REALM_MANAGEMENT).get(0);
        List<String> before = roleNames(partner, account.getId(), management.getId());

        for (String wanted : List.of("realm-admin", "manage-realm", "impersonation", "view-realm", "manage-events",
                "manage-users", "manage-clients", "create-client", "manage-authorization")) {
            RoleRepresentation role = partner.clients().get(management.getId()).roles().get(wanted).toRepresentation();
            assertThatThrownBy(() -> partner.users().get(account.getId()).roles().clientLevel(management.getId())
                    .add(List.of(role))).as(wanted).isInstanceOf(ForbiddenException.class);
        }
        assertThat(roleNames(partner, account.getId(), management.getId())).containsExactlyInAnyOrderElementsOf(before)
                // reads, and the partnerships' workload issuers (fine-grained admin permissions do not cover identity
                // providers); what else it may change is in the realm's fine-grained admin permissions
                .containsExactlyInAnyOrder("view-users", "query-users", "query-groups", "view-clients",
                        "query-clients", "view-events", "view-identity-providers", "manage-identity-providers");
    }

    @Test
    void theStaffRealmClientOnlyReadsStaff() {
        staffReader = KeycloakBuilder.builder().serverUrl(fixtures.keycloakUrl()).realm(properties.staffRealm())
                .grantType(OAuth2Constants.CLIENT_CREDENTIALS).clientId("partner-access-app")
                .clientSecret(ManagedKeycloak.current().secret(ManagedKeycloak.STAFF_CLIENT_SECRET_ENV)).build();
        RealmResource staff = staffReader.realm(properties.staffRealm());
        UserRepresentation sponsor = staff.users().searchByUsername("sam.sponsor", true).get(0);
        assertThat(sponsor.isEnabled()).isTrue();

        sponsor.setEnabled(false);
        assertThatThrownBy(() -> staff.users().get(sponsor.getId()).update(sponsor)).isInstanceOf(ForbiddenException.class);
        try (Response created = staff.users().create(new UserRepresentation())) {
            assertThat(created.getStatus()).isEqualTo(403);
        }
        assertThatThrownBy(() -> staff.clients().findAll()).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> staffReader.realm(properties.partnerRealm()).users().list()).isInstanceOfAny(REFUSED);
        assertThat(staff.users().searchByUsername("sam.sponsor", true).get(0).isEnabled()).isTrue();
    }

    private static List<String> roleNames(RealmResource realm, String userId, String clientId) {
        return realm.users().get(userId).roles().clientLevel(clientId).listAll().stream()
                .map(RoleRepresentation::getName).toList();
    }
}
