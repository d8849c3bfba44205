package org.partneraccess.security;

import java.util.function.Supplier;

import org.camunda.bpm.engine.IdentityService;
import org.springframework.security.core.Authentication;

/** Runs engine work as the calling staff user, so the engine records the initiator and applies its authorizations. */
public final class EngineCaller {

    public static <T> T as(IdentityService identity, Authentication caller, Supplier<T> work) {
        identity.setAuthentication(caller.getName(), StaffGroups.groupsOf(caller));
        try {
            return work.get();
        } finally {
            identity.clearAuthentication();
        }
    }

    private EngineCaller() {
    }
}
