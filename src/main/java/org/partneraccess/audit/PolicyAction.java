package org.partneraccess.audit;

/**
 * The access policy's decisions, recorded by the actor {@code policy} with the inputs they were taken on. The decision
 * record names its steps the same way.
 */
public enum PolicyAction implements AuditAction {
    /** a partnership's or a person's request */
    POLICY_DECIDED,
    ELEVATION_POLICY_DECIDED,
    MACHINE_POLICY_DECIDED,
    MACHINE_ELEVATION_POLICY_DECIDED,
    SCOPE_CHANGE_POLICY_DECIDED
}
