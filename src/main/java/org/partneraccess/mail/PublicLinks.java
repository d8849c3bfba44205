package org.partneraccess.mail;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** Links in mails to the application's own pages: at {@code PUBLIC_URL}, or at this server's own address. */
@Component
public class PublicLinks {

    private final Environment environment;
    private final String publicUrl;

    public PublicLinks(Environment environment, @Value("${partner-access.public-url:}") String publicUrl) {
        this.environment = environment;
        this.publicUrl = publicUrl.replaceAll("/+$", "");
    }

    /** The absolute link to a path of the application (starting with {@code /}); the port is known once it listens. */
    public String to(String path) {
        String base = publicUrl.isBlank() ? "http://localhost:" + environment.getProperty("local.server.port",
                environment.getProperty("server.port", "8080")) : publicUrl;
        return base + path;
    }
}
