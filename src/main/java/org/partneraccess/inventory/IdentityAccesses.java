package org.partneraccess.inventory;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.springframework.stereotype.Component;

/** The one {@link IdentityAccess} of each identity kind, for callers that act on people and machines alike. */
@Component
public class IdentityAccesses {

    private final Map<IdentityKind, IdentityAccess> byKind;

    public IdentityAccesses(List<IdentityAccess> accesses) {
        this.byKind = onePerKind(accesses, IdentityAccess::kind, "access");
    }

    /** Each kind's one definition of {@code what}; refuses two for a kind, or none. */
    static <T> Map<IdentityKind, T> onePerKind(List<T> definitions, Function<T, IdentityKind> kindOf, String what) {
        Map<IdentityKind, T> byKind = new EnumMap<>(IdentityKind.class);
        for (T definition : definitions) {
            if (byKind.put(kindOf.apply(definition), definition) != null) {
                throw new IllegalStateException("Two definitions of " + what + " for " + kindOf.apply(definition));
            }
        }
        for (IdentityKind kind : IdentityKind.values()) {
            if (!byKind.containsKey(kind)) {
                throw new IllegalStateException("No definition of " + what + " for " + kind);
            }
        }
        return byKind;
    }

    public IdentityAccess of(IdentityKind kind) {
        return byKind.get(kind);
    }

    public IdentityAccess of(PartnerIdentity identity) {
        return of(identity.getKind());
    }
}
