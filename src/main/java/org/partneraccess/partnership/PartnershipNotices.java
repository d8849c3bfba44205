package org.partneraccess.partnership;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.partneraccess.mail.MailNotifier;
import org.partneraccess.security.StaffDirectory;
import org.partneraccess.security.StaffGroups;
import org.springframework.stereotype.Service;

/** The mails a partnership's staff receive at its turning points. */
@Service
class PartnershipNotices {

    private final PartnershipService partnerships;
    private final StaffDirectory staff;
    private final MailNotifier mail;

    PartnershipNotices(PartnershipService partnerships, StaffDirectory staff, MailNotifier mail) {
        this.partnerships = partnerships;
        this.staff = staff;
        this.mail = mail;
    }

    public void active(String partnershipKey) {
        Partnership partnership = partnerships.get(partnershipKey);
        mail.send(emails(partnership.getSponsor(), partnership.getRequestedBy(), partnership.getTechnicalOwner()),
                "Partnership " + partnership.getKey() + " is active",
                """
                The partnership %s (%s) is active.
                Purpose: %s
                Approved by: %s
                Client scopes: %s
                Access ends on %s unless it is recertified.
                """.formatted(partnership.getKey(), partnership.getLegalName(), partnership.getPurpose(),
                        partnership.getApprovedBy(), String.join(", ", partnership.getClientScopes()),
                        partnership.getEndDate()));
    }

    public void suspended(String partnershipKey) {
        Partnership partnership = partnerships.get(partnershipKey);
        List<String> to = new ArrayList<>(staff.emailsOfGroup(StaffGroups.SECURITY_OFFICERS));
        to.addAll(emails(partnership.getSponsor()));
        mail.send(to, "Partnership " + partnership.getKey() + " is suspended",
                """
                Every identity of the partnership %s (%s) is disabled.
                Reason: %s
                It stays suspended until it is resumed (message PartnershipResumed or
                POST /api/partnerships/%s/resumption) or ended.
                """.formatted(partnership.getKey(), partnership.getLegalName(), partnership.getStateReason(),
                        partnership.getKey()));
    }

    public void revoked(String partnershipKey) {
        Partnership partnership = partnerships.get(partnershipKey);
        mail.send(emails(partnership.getSponsor(), partnership.getBusinessOwner(), partnership.getTechnicalOwner()),
                "Partnership " + partnership.getKey() + " is revoked",
                """
                Every identity of the partnership %s (%s) is revoked in Keycloak.
                Reason: %s
                """.formatted(partnership.getKey(), partnership.getLegalName(), partnership.getStateReason()));
    }

    /** The requester learns the decision and its reason. */
    public void rejected(String partnershipKey) {
        Partnership partnership = partnerships.get(partnershipKey);
        mail.send(emails(partnership.getRequestedBy()), "Partnership request " + partnership.getKey() + " is rejected",
                """
                Your request for the partnership %s (%s) is rejected; nothing was provisioned.
                Reason: %s
                """.formatted(partnership.getKey(), partnership.getLegalName(), partnership.getStateReason()));
    }

    private List<String> emails(String... users) {
        return Stream.of(users).map(staff::email).flatMap(Optional::stream).toList();
    }
}
