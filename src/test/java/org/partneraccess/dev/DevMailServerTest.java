package org.partneraccess.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * The development mail log, as a person reads it: every mail the SMTP server receives appears once, in the order the
 * mails arrived, whichever mailboxes they went to (real GreenMail, real SMTP).
 */
class DevMailServerTest {

    private static final Pattern SUBJECT = Pattern.compile("^  subject: (.*)$", Pattern.MULTILINE);

    private final Logger devMailLog = (Logger) LoggerFactory.getLogger(DevMailServer.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final DevMailServer server = DevMailServer.ensureStarted(0);
    private final JavaMailSenderImpl sender = new JavaMailSenderImpl();
    // the server is shared by the JVM: this test's mails and mailboxes are its own
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void captureTheLog() {
        logged.start();
        devMailLog.addAppender(logged);
        sender.setHost("127.0.0.1");
        sender.setPort(server.port());
    }

    @AfterEach
    void releaseTheLog() {
        devMailLog.detachAppender(logged);
    }

    @Test
    void everyMailIsLoggedOnceInTheOrderItArrivedWhicheverMailboxItWentTo() throws InterruptedException {
        List<String> sent = new ArrayList<>();
        // each mail once the one before is in the log, as the app sends them over a walk through
        send(sent, "1", "sam");
        send(sent, "2", "rita");
        send(sent, "3", "sam");
        send(sent, "4", "ian", "sam");
        send(sent, "5", "rita");
        send(sent, "6", "olga");
        send(sent, "7", "sam");

        // longer than the old log's polling interval: nothing comes again
        Thread.sleep(1500);
        assertThat(loggedSubjects()).containsExactlyElementsOf(sent);
        assertThat(logged.list).filteredOn(event -> event.getFormattedMessage().contains("subject: " + run + " 4"))
                .singleElement().extracting(ILoggingEvent::getFormattedMessage).asString()
                .contains("to: ian-" + run + "@example.org, sam-" + run + "@example.org");
    }

    @Test
    void mailsSentTogetherAreLoggedInTheOrderTheyArrived() {
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String subject = run + " burst " + i;
            SimpleMailMessage mail = mail(subject, i % 3 == 0 ? "sam" : i % 3 == 1 ? "rita" : "ian");
            sender.send(mail);
            sent.add(subject);
        }

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(loggedSubjects()).hasSameSizeAs(sent));
        assertThat(loggedSubjects()).containsExactlyElementsOf(sent);
    }

    /** A start that fails after the mail server is up must let the JVM exit: no thread of the server holds it. */
    @Test
    void itsThreadsDoNotKeepTheJvmAlive() throws Exception {
        try (Socket client = new Socket("127.0.0.1", server.port());
             BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII))) {
            assertThat(in.readLine()).startsWith("220");

            List<Thread> threads = Thread.getAllStackTraces().keySet().stream()
                    .filter(thread -> thread.getName().startsWith("smtp:127.0.0.1:" + server.port())).toList();

            assertThat(threads).as("the server's accepting thread and this connection's")
                    .hasSizeGreaterThanOrEqualTo(2).allMatch(Thread::isDaemon);
        }
    }

    private void send(List<String> sent, String subject, String... mailboxes) {
        sender.send(mail(run + " " + subject, mailboxes));
        sent.add(run + " " + subject);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(loggedSubjects()).containsExactlyElementsOf(sent));
    }

    private SimpleMailMessage mail(String subject, String... mailboxes) {
        SimpleMailMessage mail = new SimpleMailMessage();
        mail.setFrom("partner-access@localhost");
        mail.setTo(List.of(mailboxes).stream().map(mailbox -> mailbox + "-" + run + "@example.org").toArray(String[]::new));
        mail.setSubject(subject);
        mail.setText("Body of " + subject);
        return mail;
    }

    private List<String> loggedSubjects() {
        List<String> subjects = new ArrayList<>();
        for (ILoggingEvent event : List.copyOf(logged.list)) {
            Matcher subject = SUBJECT.matcher(event.getFormattedMessage());
            if (event.getFormattedMessage().startsWith("Mail received") && subject.find()
                    && subject.group(1).startsWith(run)) {
                subjects.add(subject.group(1));
            }
        }
        return subjects;
    }
}
