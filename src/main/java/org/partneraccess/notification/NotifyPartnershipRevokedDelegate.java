package org.partneraccess.notification;

import static org.partneraccess.Variables.*;

import java.util.Optional;
import java.util.stream.Stream;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.partneraccess.partnership.Partnership;
import org.partneraccess.partnership.PartnershipService;
import org.partneraccess.security.StaffDirectory;
import org.springframework.stereotype.Component;

@Component
public class NotifyPartnershipRevokedDelegate implements JavaDelegate {

    private final PartnershipService partnerships;
    private final StaffDirectory staff;
    private final MailNotifier mail;

    NotifyPartnershipRevokedDelegate(PartnershipService partnerships, StaffDirectory staff, MailNotifier mail) {
        this.partnerships = partnerships;
        this.staff = staff;
        this.mail = mail;
    }

    @Override
    public void execute(DelegateExecution execution) {
        Partnership partnership = partnerships.get(string(execution, PARTNERSHIP_KEY));
        mail.send(Stream.of(partnership.getSponsor(), partnership.getBusinessOwner(), partnership.getTechnicalOwner())
                        .map(staff::email).flatMap(Optional::stream).toList(),
                "Partnership " + partnership.getKey() + " is revoked",
                """
                Every identity of the partnership %s (%s) is revoked in Keycloak.
                Reason: %s
                """.formatted(partnership.getKey(), partnership.getLegalName(), partnership.getStateReason()));
    }
}
