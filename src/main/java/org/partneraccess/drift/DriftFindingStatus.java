package org.partneraccess.drift;

/** Where a stored drift finding stands. */
public enum DriftFindingStatus {

    /** Found; waiting for its review's decision, or for a correction Keycloak refused for now. */
    OPEN,
    /** The reviewer accepted it as it is: the same finding opens no review again. */
    ACCEPTED,
    /** Keycloak was brought back to what the registry approved (by the reviewer's decision, or at once by the system). */
    CORRECTED,
    /**
     * Nothing was done: when it was to be corrected the drift was no longer there on the same Keycloak object, or the
     * object is not a partner identity at all.
     */
    GONE
}
