package org.partneraccess.human;

import java.util.Optional;

import org.keycloak.representations.idm.UserRepresentation;
import org.partneraccess.inventory.IdentityAccess;
import org.partneraccess.inventory.IdentityKind;
import org.partneraccess.keycloak.KeycloakGateway;
import org.springframework.stereotype.Component;

/** A person's access in Keycloak: their user in the partner realm. */
@Component
public class HumanIdentityAccess implements IdentityAccess {

    private final KeycloakGateway keycloak;

    public HumanIdentityAccess(KeycloakGateway keycloak) {
        this.keycloak = keycloak;
    }

    @Override
    public IdentityKind kind() {
        return IdentityKind.HUMAN;
    }

    /** Disabled, then logged out: Keycloak moves the user's not-before and ends the sessions with their refresh tokens. */
    @Override
    public void suspend(Target target) {
        user(target).ifPresent(userId -> cutOff(userId, target.identityId()));
    }

    /** Only a user the registry recorded: one it does not know of was never handed to the person. */
    @Override
    public void resume(Target target) {
        if (target.keycloakId() != null) {
            keycloak.enableUser(target.keycloakId(), target.identityId());
        }
    }

    /** Suspended, and every partner role removed, so a user enabled again by mistake holds nothing. */
    @Override
    public Revocation revoke(Target target, Exposure exposure) {
        user(target).ifPresent(userId -> {
            cutOff(userId, target.identityId());
            keycloak.revokeRoles(userId, keycloak.partnerRolesOfUser(userId));
        });
        return Revocation.PLAIN;
    }

    @Override
    public void delete(Target target) {
        user(target).ifPresent(keycloak::deleteUser);
    }

    private void cutOff(String userId, String identityId) {
        keycloak.disableUser(userId, identityId);
        keycloak.logoutUser(userId);
    }

    /**
     * The recorded user, else the one carrying the identity by name: provisioning creates it before the registry step
     * that records it, and that step may still be under way or rolled back.
     */
    private Optional<String> user(Target target) {
        if (target.keycloakId() != null) {
            return Optional.of(target.keycloakId());
        }
        if (target.keycloakName() == null) {
            return Optional.empty();
        }
        return keycloak.findUser(target.keycloakName())
                .filter(user -> KeycloakGateway.isBound(user.getAttributes(), target.identityId()))
                .map(UserRepresentation::getId);
    }
}
