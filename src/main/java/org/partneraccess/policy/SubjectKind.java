package org.partneraccess.policy;

/**
 * Who access is decided for: the relationship itself, a partner person, a partner machine, or the partnership's
 * workload trust (its workload issuer trusted to vouch for its machines).
 */
public enum SubjectKind {
    PARTNERSHIP, HUMAN, MACHINE, WORKLOAD_TRUST
}
