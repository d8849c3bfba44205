package org.partneraccess.support;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.icegreen.greenmail.util.GreenMailUtil;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import org.partneraccess.dev.DevMailServer;

/** What the development mail server has received. */
public final class Mailbox {

    private Mailbox() {
    }

    /** The newest mail to the recipient whose subject contains the text (any subject when null), or null. */
    public static MimeMessage newest(String recipient, String subjectContains) throws MessagingException {
        MimeMessage found = null;
        for (MimeMessage message : DevMailServer.current().receivedMessages()) {
            if ((subjectContains == null || message.getSubject().contains(subjectContains))
                    && Arrays.stream(message.getAllRecipients()).anyMatch(address -> address.toString().equals(recipient))) {
                found = message;
            }
        }
        return found;
    }

    /** The mail's plain text: the whole body, or the text part of a mail that also has an HTML one. */
    public static String text(MimeMessage message) throws MessagingException, IOException {
        Object content = message.getContent();
        if (content instanceof Multipart parts) {
            for (int i = 0; i < parts.getCount(); i++) {
                if (parts.getBodyPart(i).isMimeType("text/plain")) {
                    return parts.getBodyPart(i).getContent().toString();
                }
            }
        }
        return content.toString();
    }

    /**
     * Every mail received so far that names one of the terms in a recipient, its subject or its body, as
     * "recipients: subject", in the order they arrived: what an attack on one object could have sent about it.
     */
    public static List<String> naming(String... terms) throws MessagingException {
        List<String> found = new ArrayList<>();
        for (MimeMessage message : DevMailServer.current().receivedMessages()) {
            String recipients = Arrays.toString(message.getAllRecipients());
            String text = recipients + "\n" + message.getSubject() + "\n" + GreenMailUtil.getBody(message);
            if (Arrays.stream(terms).anyMatch(text::contains)) {
                found.add(recipients + ": " + message.getSubject());
            }
        }
        return found;
    }
}
