package org.partneraccess.modelchange;

public enum ModelChangeStatus {
    PENDING, APPROVED, REJECTED, EXPIRED
}
