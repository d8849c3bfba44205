package org.partneraccess.keycloak;

import java.util.List;
import java.util.Map;
import java.util.Objects;

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

    /** Whether a user's or client's attributes name the registry identity {@code identityId}. */
    public static boolean isBound(Map<String, ?> attributes, String identityId) {
        return hasAttribute(attributes, IDENTITY, identityId);
    }

    /** The object carries the registry identity it is acted on for, or nothing is done (409). */
    static void requireBound(Map<String, ?> attributes, String operation, String identityId) {
        if (!hasAttribute(attributes, IDENTITY, Objects.requireNonNull(identityId, "identityId"))) {
            throw new KeycloakRejectedException(operation + ": refused, the object is not bound to identity "
                    + identityId + " (its " + IDENTITY + " attribute differs)", 409, null);
        }
    }

    /** A user's attributes hold lists, a client's single values. */
    static boolean hasAttribute(Map<String, ?> attributes, String name, String value) {
        if (attributes == null || value == null) {
            return false;
        }
        Object values = attributes.get(name);
        return values instanceof List<?> list ? list.contains(value) : value.equals(values);
    }
}
