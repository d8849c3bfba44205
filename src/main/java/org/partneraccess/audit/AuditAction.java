package org.partneraccess.audit;

/**
 * An action the audit trail records, from one vocabulary kept in this package, an enum per subject. The constant's
 * {@link #name()} is the string the trail stores and each entry's hash covers: a name is never changed, or the entries
 * written under it no longer read as that action (receipts, exports, the SIEM) while the chain still verifies.
 */
public sealed interface AuditAction permits IdentityAction, PartnershipAction, PolicyAction, GovernanceAction {

    /** The stored string. */
    String name();
}
