package org.partneraccess.dashboard;

import java.util.stream.Collectors;

import org.partneraccess.decision.RequestRecorded;
import org.partneraccess.mail.MailNotifier;
import org.partneraccess.mail.PublicLinks;
import org.partneraccess.security.StaffDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.TaskExecutor;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The requester's receipt: a mail naming the stored request and linking to its page on "My requests", whichever door
 * it came through (Tasklist's start form, which says only "process started", the engine's REST API or ours). Sent
 * after the commit, so a refused request is never confirmed; a mail server that is down costs the receipt only (the
 * request stands and is listed on "My requests"). Sent on a small pool of its own, so the request answers and gives
 * back its database connection at once instead of holding it, and a second one, through a staff lookup and SMTP.
 */
@Component
class RequestReceipts {

    /** The bean name of the receipts' sender pool. */
    static final String SENDER = "receiptSender";

    @Configuration
    static class Sender {

        /** Two threads keep up with the mail server; a full queue drops receipts, never requests. */
        @Bean(name = SENDER)
        ThreadPoolTaskExecutor receiptSender() {
            ThreadPoolTaskExecutor pool = new ThreadPoolTaskExecutor();
            pool.setThreadNamePrefix("receipt-");
            pool.setCorePoolSize(2);
            pool.setMaxPoolSize(2);
            pool.setQueueCapacity(10_000);
            pool.setWaitForTasksToCompleteOnShutdown(true);
            pool.setAwaitTerminationSeconds(10);
            return pool;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(RequestReceipts.class);

    private final MyRequests requests;
    private final StaffDirectory staff;
    private final MailNotifier mail;
    private final PublicLinks links;
    private final TaskExecutor sender;
    private final TransactionTemplate read;

    RequestReceipts(MyRequests requests, StaffDirectory staff, MailNotifier mail, PublicLinks links,
                    @Qualifier(SENDER) TaskExecutor sender, PlatformTransactionManager transactions) {
        this.requests = requests;
        this.staff = staff;
        this.mail = mail;
        this.links = links;
        this.sender = sender;
        this.read = new TransactionTemplate(transactions);
        this.read.setReadOnly(true);
    }

    @TransactionalEventListener
    public void confirm(RequestRecorded recorded) {
        try {
            sender.execute(() -> send(recorded));
        } catch (TaskRejectedException e) {
            log.warn("The receipt for the request on {} was not sent: the receipt queue is full", recorded.subject());
        }
    }

    private void send(RequestRecorded recorded) {
        try {
            // read, then let go of the connection before the staff lookup and the mail
            MyRequests.Request request = read.execute(status -> requests.on(recorded.requester(), recorded.subject())
                    .stream().filter(found -> found.asked() == null).findFirst().orElse(null));
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
