package org.partneraccess.policy;

/** Who access is decided for: the relationship itself, a partner person, or a partner machine. */
public enum SubjectKind {
    PARTNERSHIP, HUMAN, MACHINE
}
