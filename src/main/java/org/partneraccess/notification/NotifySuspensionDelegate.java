package org.partneraccess.notification;

import static org.partneraccess.Variables.*;

import java.util.ArrayList;
import java.util.List;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.partneraccess.partnership.Partnership;
import org.partneraccess.partnership.PartnershipService;
import org.partneraccess.security.StaffDirectory;
import org.partneraccess.security.StaffGroups;
import org.springframework.stereotype.Component;

@Component
public class NotifySuspensionDelegate implements JavaDelegate {

    private final PartnershipService partnerships;
    private final StaffDirectory staff;
    private final MailNotifier mail;

    NotifySuspensionDelegate(PartnershipService partnerships, StaffDirectory staff, MailNotifier mail) {
        this.partnerships = partnerships;
        this.staff = staff;
        this.mail = mail;
    }

    @Override
    public void execute(DelegateExecution execution) {
        Partnership partnership = partnerships.get(string(execution, PARTNERSHIP_KEY));
        List<String> to = new ArrayList<>(staff.emailsOfGroup(StaffGroups.SECURITY_OFFICERS));
        staff.email(partnership.getSponsor()).ifPresent(to::add);
        mail.send(to, "Partnership " + partnership.getKey() + " is suspended",
                """
                Every identity of the partnership %s (%s) is disabled.
                Reason: %s
                It stays suspended until it is resumed (message PartnershipResumed or
                POST /api/partnerships/%s/resumption) or ended.
                """.formatted(partnership.getKey(), partnership.getLegalName(), partnership.getStateReason(),
                        partnership.getKey()));
    }
}
