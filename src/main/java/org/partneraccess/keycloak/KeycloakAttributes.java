package org.partneraccess.keycloak;

/** Attributes that tie every provisioned Keycloak user and client to the registry rows that justify it. */
public final class KeycloakAttributes {

    public static final String PARTNERSHIP = "partner-access.partnership";
    public static final String IDENTITY = "partner-access.identity";
    /** On a client scope of the partner realm: {@code read} or {@code write} (write or decision-impacting). */
    public static final String ACCESS = "partner-access.access";
    /** Prefix of a user's attributes that the invitation mail shows: sponsor, organisation, purpose, last-day. */
    public static final String INVITATION = "partner-access.invitation.";

    private KeycloakAttributes() {
    }
}
