package org.partneraccess.support;

import java.util.List;
import java.util.TreeSet;

import jakarta.mail.MessagingException;
import org.partneraccess.audit.AuditEvent;
import org.partneraccess.audit.AuditLog;
import org.partneraccess.inventory.PartnerIdentity;
import org.partneraccess.inventory.internal.PartnerIdentityRepository;

/**
 * What an attack on one partner person or machine could change outside the engine and Keycloak: its registry row, its
 * audit entries, whether the audit chain verifies, and the mails naming it. Taken before and after an attack that must
 * change nothing; equal snapshots (and an intact chain) say it changed nothing there.
 */
public record IdentitySnapshot(String row, List<String> audit, boolean auditChainIntact, List<String> mails) {

    /** @param mailTerms what a mail about the identity would name: its id, its e-mail address, its client id */
    public static IdentitySnapshot of(PartnerIdentityRepository identities, AuditLog audit, String identityId,
                                      String... mailTerms) throws MessagingException {
        PartnerIdentity row = identities.findById(identityId).orElseThrow();
        return new IdentitySnapshot(describe(row),
                audit.ofIdentity(identityId).stream().map(IdentitySnapshot::describe).toList(),
                audit.verify().intact(), Mailbox.naming(mailTerms));
    }

    /** The row's lifecycle, grants and approval; not its last use, which a token taken in the test may move. */
    private static String describe(PartnerIdentity row) {
        return row.getId() + " " + row.getKind() + " state=" + row.getState() + " reason=" + row.getStateReason()
                + " approvedBy=" + row.getApprovedBy() + " approvedAt=" + row.getApprovedAt() + " keycloak="
                + row.getKeycloakName() + "/" + row.getKeycloakId() + " scopes=" + new TreeSet<>(row.getClientScopes())
                + " endDate=" + row.getEndDate() + " revokedAt=" + row.getRevokedAt();
    }

    private static String describe(AuditEvent event) {
        return event.getId() + " " + event.getActor() + " " + event.getAction() + " " + event.getDetail();
    }
}
