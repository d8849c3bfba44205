package org.partneraccess.security;

import java.util.Optional;

import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.springframework.stereotype.Service;

/**
 * Looks up staff users and their groups in the staff realm through the engine's identity service.
 * The lookups validate requests, so they run without the caller's own read restrictions on users.
 */
@Service
public class StaffDirectory {

    private final ProcessEngineConfigurationImpl engine;

    StaffDirectory(ProcessEngineConfiguration engine) {
        this.engine = (ProcessEngineConfigurationImpl) engine;
    }

    public boolean exists(String userId) {
        return find(userId).isPresent();
    }

    public boolean isMember(String userId, String group) {
        if (userId == null || userId.isBlank()) {
            return false;
        }
        return unrestricted(context -> engine.getIdentityService().createUserQuery().userId(userId)
                .memberOfGroup(group).count() > 0);
    }

    public Optional<String> email(String userId) {
        return find(userId).map(User::getEmail).filter(email -> !email.isBlank());
    }

    private Optional<User> find(String userId) {
        if (userId == null || userId.isBlank()) {
            return Optional.empty();
        }
        return Optional.ofNullable(unrestricted(
                context -> engine.getIdentityService().createUserQuery().userId(userId).singleResult()));
    }

    private <T> T unrestricted(Command<T> query) {
        return engine.getCommandExecutorTxRequired().execute(context -> {
            context.disableAuthorizationCheck();
            try {
                return query.execute(context);
            } finally {
                context.enableAuthorizationCheck();
            }
        });
    }
}
