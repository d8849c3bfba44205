package org.partneraccess.human;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.partneraccess.inventory.PartnerIdentity;
import org.partneraccess.mail.MailNotifier;
import org.partneraccess.security.StaffDirectory;
import org.springframework.stereotype.Service;

/** The mails a partner person's sponsor and requester receive. */
@Service
class HumanAccessNotices {

    private final HumanAccessService humans;
    private final StaffDirectory staff;
    private final MailNotifier mail;

    HumanAccessNotices(HumanAccessService humans, StaffDirectory staff, MailNotifier mail) {
        this.humans = humans;
        this.staff = staff;
        this.mail = mail;
    }

    public void granted(String identityId) {
        PartnerIdentity person = humans.get(identityId);
        mail.send(emails(person), "Access for " + person.getDisplayName() + " (" + person.getPartnershipKey() + ") is provisioned",
                """
                %s <%s> has access in the partnership %s.
                Purpose: %s
                Roles: %s
                Approved by: %s
                The person received an invitation to accept the partner terms and set a password; the account
                cannot be used before that. Access ends on %s.
                """.formatted(person.getDisplayName(), person.getEmail(), person.getPartnershipKey(),
                        person.getPurpose(), String.join(", ", person.getClientScopes()), person.getApprovedBy(),
                        person.getLastDay()));
    }

    public void expiryWarning(String identityId) {
        PartnerIdentity person = humans.get(identityId);
        long days = Math.max(0, Duration.between(Instant.now(), person.getEndDate()).toDays());
        mail.send(emails(person), "Access for " + person.getDisplayName() + " ends in " + days + " day(s)",
                """
                The access of %s <%s> in the partnership %s ends on %s (its last day).
                To keep it, request access again for a new period before then; otherwise nothing needs doing.
                """.formatted(person.getDisplayName(), person.getEmail(), person.getPartnershipKey(), person.getLastDay()));
    }

    public void revoked(String identityId) {
        PartnerIdentity person = humans.get(identityId);
        mail.send(emails(person), "Access for " + person.getDisplayName() + " (" + person.getPartnershipKey() + ") is revoked",
                """
                The account of %s <%s> in the partnership %s is disabled, its sessions ended and its roles removed.
                Reason: %s
                """.formatted(person.getDisplayName(), person.getEmail(), person.getPartnershipKey(),
                        person.getStateReason()));
    }

    /** The requester (and the sponsor) learn the decision and its reason. */
    public void rejected(String identityId) {
        PartnerIdentity person = humans.get(identityId);
        mail.send(emails(person), "Access request for " + person.getDisplayName() + " (" + person.getPartnershipKey()
                        + ") is rejected",
                """
                The request for access of %s <%s> in the partnership %s is rejected; no account was created.
                Reason: %s
                """.formatted(person.getDisplayName(), person.getEmail(), person.getPartnershipKey(),
                        person.getStateReason()));
    }

    private List<String> emails(PartnerIdentity person) {
        return Stream.of(person.getOwner(), person.getRequestedBy()).map(staff::email).flatMap(Optional::stream).toList();
    }
}
