package org.partneraccess.dashboard;

import java.util.stream.Collectors;

import org.partneraccess.decision.RequestRecorded;
import org.partneraccess.mail.MailNotifier;
import org.partneraccess.mail.PublicLinks;
import org.partneraccess.security.StaffDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * The requester's receipt: a mail naming the stored request and linking to its page on "My requests", whichever door
 * it came through (Tasklist's start form, which says only "process started", the engine's REST API or ours). Sent
 * after the commit, so a refused request is never confirmed; a mail server that is down costs the receipt only (the
 * request stands and is listed on "My requests").
 */
@Component
class RequestReceipts {

    private static final Logger log = LoggerFactory.getLogger(RequestReceipts.class);

    private final MyRequests requests;
    private final StaffDirectory staff;
    private final MailNotifier mail;
    private final PublicLinks links;

    RequestReceipts(MyRequests requests, StaffDirectory staff, MailNotifier mail, PublicLinks links) {
        this.requests = requests;
        this.staff = staff;
        this.mail = mail;
        this.links = links;
    }

    @TransactionalEventListener
    @Transactional(propagation = Propagation.REQUIRES_NEW, readOnly = true)
    public void confirm(RequestRecorded recorded) {
        try {
            MyRequests.Request request = requests.on(recorded.requester(), recorded.subject()).stream()
                    .filter(found -> found.asked() == null).findFirst().orElse(null);
            if (request == null) {
                log.warn("No request on {} by {} to confirm", recorded.subject(), recorded.requester());
                return;
            }
            mail.send(staff.email(recorded.requester()).stream().toList(), "Your request is recorded: " + request.title(),
                    """
                    Your request is recorded: %s (%s).
                    State: %s
                    Who decides next: %s
                    Follow it, with every decision and its reason, on "My requests":
                      %s
                    """.formatted(request.title(), request.kind().label(), request.state(),
                            request.next().isEmpty() ? "nobody: no decision is open"
                                    : request.next().stream().map(next -> next.task() + " (" + next.who() + ")")
                                    .collect(Collectors.joining("; ")),
                            links.to(request.href())));
        } catch (RuntimeException e) {
            // the request is stored and listed on "My requests"; only its receipt is lost
            log.warn("The receipt for the request on {} could not be sent: {}", recorded.subject(), e.toString());
        }
    }
}
