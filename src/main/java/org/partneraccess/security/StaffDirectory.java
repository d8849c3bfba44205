package org.partneraccess.security;

import java.util.Optional;
import java.util.function.Supplier;

import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.springframework.stereotype.Service;

/**
 * Looks up staff users and their groups in the staff realm through the engine's identity service.
 */
@Service
public class StaffDirectory {

    private final IdentityService identity;

    StaffDirectory(IdentityService identity) {
        this.identity = identity;
    }

    public boolean exists(String userId) {
        return find(userId).isPresent();
    }

    public boolean isMember(String userId, String group) {
        if (userId == null || userId.isBlank()) {
            return false;
        }
        return unrestricted(() -> identity.createUserQuery().userId(userId)
                .memberOfGroup(group).count() > 0);
    }

    public java.util.List<String> emailsOfGroup(String group) {
        return unrestricted(() -> identity.createUserQuery().memberOfGroup(group).list())
                .stream().map(User::getEmail).filter(email -> email != null && !email.isBlank()).toList();
    }

    public Optional<String> email(String userId) {
        return find(userId).map(User::getEmail).filter(email -> !email.isBlank());
    }

    private Optional<User> find(String userId) {
        if (userId == null || userId.isBlank()) {
            return Optional.empty();
        }
        return Optional.ofNullable(unrestricted(
                () -> identity.createUserQuery().userId(userId).singleResult()));
    }

    /**
     * Runs a lookup without the current user's authentication: the identity plugin filters users by the caller's
     * own read permission, and a requester must still be able to name a sponsor they cannot list.
     */
    private <T> T unrestricted(Supplier<T> query) {
        Authentication current = identity.getCurrentAuthentication();
        identity.clearAuthentication();
        try {
            return query.get();
        } finally {
            if (current != null) {
                identity.setAuthentication(current);
            }
        }
    }
}
