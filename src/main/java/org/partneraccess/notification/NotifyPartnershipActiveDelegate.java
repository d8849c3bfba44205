package org.partneraccess.notification;

import static org.partneraccess.Variables.PARTNERSHIP_KEY;
import static org.partneraccess.Variables.string;

import java.util.stream.Stream;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.partneraccess.partnership.Partnership;
import org.partneraccess.partnership.PartnershipService;
import org.partneraccess.security.StaffDirectory;
import org.springframework.stereotype.Component;

@Component
public class NotifyPartnershipActiveDelegate implements JavaDelegate {

    private final PartnershipService partnerships;
    private final StaffDirectory staff;
    private final MailNotifier mail;

    NotifyPartnershipActiveDelegate(PartnershipService partnerships, StaffDirectory staff, MailNotifier mail) {
        this.partnerships = partnerships;
        this.staff = staff;
        this.mail = mail;
    }

    @Override
    public void execute(DelegateExecution execution) {
        Partnership partnership = partnerships.get(string(execution, PARTNERSHIP_KEY));
        mail.send(Stream.of(partnership.getSponsor(), partnership.getRequestedBy(), partnership.getTechnicalOwner())
                        .map(staff::email).flatMap(java.util.Optional::stream).toList(),
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
}
