package org.partneraccess.human;

import java.util.Optional;

import org.keycloak.representations.idm.UserRepresentation;
import org.partneraccess.inventory.IdentityAccess;
import org.partneraccess.inventory.IdentityKind;
import org.partneraccess.keycloak.KeycloakAttributes;
import org.partneraccess.keycloak.PartnerUsers;
import org.springframework.stereotype.Component;

/** A person's access in Keycloak: their user in the partner realm. */
@Component
public class HumanIdentityAccess implements IdentityAccess {

    private final PartnerUsers partnerUsers;

    public HumanIdentityAccess(PartnerUsers partnerUsers) {
        this.partnerUsers = partnerUsers;
    }

    @Override
    public IdentityKind kind() {
        return IdentityKind.HUMAN;
    }

    @Override
    public Shown shown(String keycloakName) {
        return partnerUsers.findUser(keycloakName).map(user -> new Shown(true, Boolean.TRUE.equals(user.isEnabled()),
                partnerUsers.sessionCount(user.getId()), null)).orElse(Shown.GONE);
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
            partnerUsers.enableUser(target.keycloakId(), target.identityId());
        }
    }

    /** Suspended, and every partner role removed, so a user enabled again by mistake holds nothing. */
    @Override
    public Revocation revoke(Target target, Exposure exposure) {
        user(target).ifPresent(userId -> {
            cutOff(userId, target.identityId());
            partnerUsers.revokePartnerRoles(userId);
        });
        return Revocation.PLAIN;
    }

    @Override
    public void delete(Target target) {
        user(target).ifPresent(partnerUsers::deleteUser);
    }

    private void cutOff(String userId, String identityId) {
        partnerUsers.disableUser(userId, identityId);
        partnerUsers.logoutUser(userId);
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
        return partnerUsers.findUser(target.keycloakName())
                .filter(user -> KeycloakAttributes.isBound(user.getAttributes(), target.identityId()))
                .map(UserRepresentation::getId);
    }
}
