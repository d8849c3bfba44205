package org.partneraccess.dev;

import static java.util.stream.Collectors.joining;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.icegreen.greenmail.Managers;
import com.icegreen.greenmail.mail.MailAddress;
import com.icegreen.greenmail.mail.MovingMessage;
import com.icegreen.greenmail.server.AbstractServer;
import com.icegreen.greenmail.user.MessageDeliveryHandler;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real SMTP server inside the app for development, started only when no SMTP host is configured.
 * Every received mail is written to the log once, as it arrives, so a person can follow it; tests read the mailbox
 * directly.
 */
public final class DevMailServer {

    private static final Logger log = LoggerFactory.getLogger(DevMailServer.class);
    private static DevMailServer running;

    private final GreenMail greenMail;

    private DevMailServer(int port) {
        greenMail = new DaemonGreenMail(new ServerSetup(port == 0 ? ManagedKeycloak.freePort() : port, "127.0.0.1",
                ServerSetup.PROTOCOL_SMTP));
        // GreenMail hands each accepted mail to this handler once per envelope recipient, in the order the mails
        // arrive; logging at the first recipient logs every mail once, whichever mailboxes it goes to
        MessageDeliveryHandler delivery = greenMail.getUserManager().getMessageDeliveryHandler();
        greenMail.getUserManager().setMessageDeliveryHandler((message, recipient) -> {
            Iterator<MailAddress> recipients = message.getToAddresses().iterator();
            if (recipients.hasNext() && recipients.next().equals(recipient)) {
                logReceived(message);
            }
            return delivery.handle(message, recipient);
        });
        greenMail.start();
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

    private static void logReceived(MovingMessage received) {
        try {
            MimeMessage message = received.getMessage();
            Address[] to = message.getAllRecipients();
            log.info("Mail received\n  to: {}\n  subject: {}\n{}",
                    to == null ? received.getToAddresses() : Stream.of(to).map(Address::toString).collect(joining(", ")),
                    message.getSubject(), GreenMailUtil.getBody(message).indent(2));
        } catch (MessagingException | RuntimeException e) {
            // the mail is still delivered to its mailboxes
            log.warn("Could not read a received mail", e);
        }
    }

    private void stop() {
        greenMail.stop();
    }

    /**
     * Its threads are daemons: a start that fails after the mail server is up must still let the JVM exit (its
     * shutdown hook then stops the server and the managed Keycloak).
     */
    private static final class DaemonGreenMail extends GreenMail {

        DaemonGreenMail(ServerSetup setup) {
            super(setup);
        }

        @Override
        protected Map<String, AbstractServer> createServices(ServerSetup[] config, Managers managers) {
            Map<String, AbstractServer> services = super.createServices(config, managers);
            // connection threads are made by the server thread and inherit this
            services.values().forEach(server -> server.setDaemon(true));
            return services;
        }
    }
}
