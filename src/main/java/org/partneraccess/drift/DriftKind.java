package org.partneraccess.drift;

/** What differs between the partner realm and the registry. */
public enum DriftKind {

    /** An enabled user or client that carries no registry identity, or one the registry does not know. */
    ORPHAN,
    /** Enabled in Keycloak while the registry says the identity, or its partnership, holds no access. */
    REVOKED_BUT_ACTIVE,
    /** Realm roles (people) or client scopes (machines) beyond what was approved. */
    EXCESS_PRIVILEGE,
    /** A machine client's access token lives longer than the policy allowed, or its lifespan is unset. */
    LIFESPAN_BEYOND_POLICY
}
