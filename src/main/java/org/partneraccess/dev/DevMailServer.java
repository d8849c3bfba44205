package org.partneraccess.dev;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real SMTP server inside the app for development, started only when no SMTP host is configured.
 * Every received mail is written to the log so a person can follow it; tests read the mailbox directly.
 */
public final class DevMailServer {

    private static final Logger log = LoggerFactory.getLogger(DevMailServer.class);
    private static DevMailServer running;

    private final GreenMail greenMail;
    private final ScheduledExecutorService logger = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "dev-mail-log");
        thread.setDaemon(true);
        return thread;
    });
    private int logged;

    private DevMailServer(int port) {
        greenMail = new GreenMail(new ServerSetup(port == 0 ? ManagedKeycloak.freePort() : port, "127.0.0.1",
                ServerSetup.PROTOCOL_SMTP));
        greenMail.start();
        logger.scheduleWithFixedDelay(this::logNewMessages, 1, 1, TimeUnit.SECONDS);
    }

    public static synchronized DevMailServer ensureStarted(int port) {
        if (running == null) {
            running = new DevMailServer(port);
            Runtime.getRuntime().addShutdownHook(new Thread(running::stop, "dev-mail-stop"));
        }
        return running;
    }

    /** The running server, for tests that read what the app sent. */
    public static synchronized DevMailServer current() {
        if (running == null) {
            throw new IllegalStateException("The development SMTP server is not running");
        }
        return running;
    }

    public int port() {
        return greenMail.getSmtp().getPort();
    }

    public String summary() {
        return "Development SMTP server listening on 127.0.0.1:" + port() + "; every mail it receives is logged as 'Mail received'";
    }

    public List<MimeMessage> receivedMessages() {
        return List.of(greenMail.getReceivedMessages());
    }

    private synchronized void logNewMessages() {
        MimeMessage[] messages = greenMail.getReceivedMessages();
        for (int i = logged; i < messages.length; i++) {
            try {
                log.info("Mail received\n  to: {}\n  subject: {}\n{}", String.join(", ",
                        List.of(messages[i].getAllRecipients()).stream().map(Object::toString).toList()),
                        messages[i].getSubject(), GreenMailUtil.getBody(messages[i]).indent(2));
            } catch (MessagingException e) {
                log.warn("Could not read a received mail", e);
            }
        }
        logged = messages.length;
    }

    private void stop() {
        logger.shutdownNow();
        greenMail.stop();
    }
}
