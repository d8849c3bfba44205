package org.partneraccess.drift;

/** What differs between the partner realm and the registry. */
public enum DriftKind {

    /**
     * A user or client that carries no registry identity, or one the registry does not know: enabled, or disabled (the
     * application's credential, which may manage every client, could enable it again).
     */
    ORPHAN,
    /** Enabled in Keycloak while the registry says the identity, or its partnership, holds no access. */
    REVOKED_BUT_ACTIVE,
    /** Realm roles (people) or client scopes (machines) beyond what was approved. */
    EXCESS_PRIVILEGE,
    /** A machine client's access token lives longer than the policy allowed, or its lifespan is unset. */
    LIFESPAN_BEYOND_POLICY,
    /**
     * A partner machine client configured beyond what provisioning set: protocol mappers, flows besides client
     * credentials, redirect URIs, full scope, public, or another authenticator or other public keys.
     */
    CLIENT_CONFIG,
    /** A client scope that is neither a permission scope of the realm's catalogue nor Keycloak's or the application's. */
    FOREIGN_SCOPE
}
