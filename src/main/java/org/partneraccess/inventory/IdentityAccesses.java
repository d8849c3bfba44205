package org.partneraccess.inventory;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

/** The one {@link IdentityAccess} of each identity kind, for callers that act on people and machines alike. */
@Component
public class IdentityAccesses {

    private final Map<IdentityKind, IdentityAccess> byKind = new EnumMap<>(IdentityKind.class);

    public IdentityAccesses(List<IdentityAccess> accesses) {
        for (IdentityAccess access : accesses) {
            if (byKind.put(access.kind(), access) != null) {
                throw new IllegalStateException("Two definitions of access for " + access.kind());
            }
        }
        for (IdentityKind kind : IdentityKind.values()) {
            if (!byKind.containsKey(kind)) {
                throw new IllegalStateException("No definition of access for " + kind);
            }
        }
    }

    public IdentityAccess of(IdentityKind kind) {
        return byKind.get(kind);
    }

    public IdentityAccess of(PartnerIdentity identity) {
        return of(identity.getKind());
    }
}
