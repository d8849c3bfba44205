package org.partneraccess.inventory;

public enum IdentityKind {
    HUMAN, MACHINE
}
