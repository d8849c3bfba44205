package org.partneraccess.audit;

/** Who acted, so that partner actions and staff decisions are never mistaken for one another in the trail. */
public enum ActorKind {

    /** A staff user of the staff realm (a requester, sponsor, security officer…), or several who decided together. */
    STAFF,
    /** A partner person or machine, as seen in the partner realm (a sign-in, a token). */
    PARTNER,
    /** The application itself: provisioning, timers, relayed triggers. */
    SYSTEM,
    /** The access policy (DMN) deciding. */
    POLICY;

    private static final String SERVICE_ACCOUNT_PREFIX = "service-account-";
    /** The revocation drill, acting as the application; no Keycloak user name can hold a colon. */
    public static final String REVOCATION_DRILL = "system:revocation-drill";

    /**
     * The actor names the application writes: {@code system}, the revocation drill and {@code policy}, and a client's service
     * account of the staff realm (Keycloak names them {@code service-account-<client>}, e.g. a SIEM reporting an
     * incident) is a system too; anyone else is a staff user.
     */
    public static ActorKind of(String actor) {
        if ("system".equals(actor) || REVOCATION_DRILL.equals(actor)
                || (actor != null && actor.startsWith(SERVICE_ACCOUNT_PREFIX))) {
            return SYSTEM;
        }
        if ("policy".equals(actor)) {
            return POLICY;
        }
        return STAFF;
    }
}
