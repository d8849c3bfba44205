package org.partneraccess.mail;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Service;

/** Sends plain-text notices. A failure throws, so the calling job is retried by the engine. */
@Service
public class MailNotifier {

    private static final Logger log = LoggerFactory.getLogger(MailNotifier.class);

    private final JavaMailSender sender;
    private final String from;

    MailNotifier(JavaMailSender sender, @Value("${partner-access.mail.from}") String from) {
        this.sender = sender;
        this.from = from;
    }

    public void send(Collection<String> recipients, String subject, String body) {
        List<String> to = recipients.stream().filter(Objects::nonNull).distinct().toList();
        if (to.isEmpty()) {
            log.warn("No recipient for the notice '{}'", subject);
            return;
        }
        SimpleMailMessage message = new SimpleMailMessage();
        message.setFrom(from);
        message.setTo(to.toArray(String[]::new));
        message.setSubject(subject);
        message.setText(body);
        sender.send(message);
    }
}
