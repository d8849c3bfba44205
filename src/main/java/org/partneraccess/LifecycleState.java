package org.partneraccess;

/** Lifecycle of a partnership and of each of its identities. */
public enum LifecycleState {
    REQUESTED, APPROVED, ACTIVE, UNDER_REVIEW, SUSPENDED, REVOKED, REJECTED
}
