package org.partneraccess.inventory;

/** Why an identity's access ends: sent with IdentityAccessEnds, recorded with the revocation. */
public enum AccessEndTrigger {
    IDENTITY_INCIDENT, PARTNER_INCIDENT, PARTNERSHIP_TERMINATED, ACCESS_ENDED, UNUSED;

    /** Incidents also replace a machine's secret, so that nobody holds a working one. */
    public boolean incident() {
        return this == IDENTITY_INCIDENT || this == PARTNER_INCIDENT;
    }

    /** Decided by the system (timers, sweeps), not by a person who reported or decided it. */
    public boolean bySystem() {
        return this == ACCESS_ENDED || this == UNUSED;
    }
}
