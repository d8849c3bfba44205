package org.partneraccess.api;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * Problem documents for requests refused before any controller sees them: an address the security firewall rejects
 * ({@code ..}, encoded slashes) and one the server cannot even parse ({@code %00}). Without these, such refusals answer
 * with an HTML page or an empty body that a client cannot read like every other refusal.
 */
@Configuration(proxyBeanMethods = false)
class RawRequestProblems {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Spring Security uses the one bean of this type for every request its firewall rejects. */
    @Bean
    RequestRejectedHandler problemForRejectedAddress() {
        return (request, response, rejected) -> write(response, HttpStatus.BAD_REQUEST.value(),
                "The request's address is not allowed");
    }

    /** Runs after Tomcat's own error report, which then finds the answer written and leaves it. */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemForUnparsableRequest() {
        return factory -> factory.addContextCustomizers(context ->
                context.getParent().getPipeline().addValve(new ProblemReportValve()));
    }

    static void write(HttpServletResponse response, int status, String detail) throws IOException {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(status), detail);
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        PrintWriter writer = response.getWriter();
        writer.write(JSON.writeValueAsString(java.util.Map.of("type", problem.getType().toString(),
                "title", problem.getTitle(), "status", status, "detail", detail)));
        writer.flush();
    }

    /** Tomcat's error report as a problem document, for errors no application code answered. */
    static final class ProblemReportValve extends ErrorReportValve {

        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            int status = response.getStatus();
            if (status < 400 || response.getContentWritten() > 0 || HttpStatus.resolve(status) == null
                    || !response.setErrorReported()) {
                return;
            }
            try {
                response.resetBuffer();
                write(response.getResponse(), status, "The request could not be read");
            } catch (IOException | IllegalStateException e) {
                // the client is gone or the answer is under way: nothing left to tell
            }
        }
    }
}
