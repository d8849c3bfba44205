package org.partneraccess.inventory;

import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

/** The one {@link IdentityLifecycle} of each identity kind. */
@Component
public class IdentityLifecycles {

    private final Map<IdentityKind, IdentityLifecycle> byKind;

    public IdentityLifecycles(List<IdentityLifecycle> lifecycles) {
        this.byKind = IdentityAccesses.onePerKind(lifecycles, IdentityLifecycle::kind, "lifecycle");
    }

    public IdentityLifecycle of(IdentityKind kind) {
        return byKind.get(kind);
    }
}
