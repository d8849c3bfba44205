package org.partneraccess.security;

import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Feature;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.impl.form.validator.FormFieldValidationException;
import org.camunda.bpm.engine.rest.dto.ExceptionDto;
import org.camunda.bpm.engine.rest.exception.RestException;
import org.glassfish.jersey.spi.ExtendedExceptionMapper;
import org.partneraccess.Refusal;
import org.partneraccess.keycloak.KeycloakUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the engine's JAX-RS APIs ({@code /engine-rest} and the webapps' {@code /camunda/api/...}, which share Camunda's
 * exception handlers) answer a refusal raised inside an engine command. Camunda's own mapping answers 403 for an
 * {@link AuthorizationException}, 400 for a {@code BadUserRequestException} and 500 for anything else; and the
 * resources that complete a task, submit a form or start a process catch every engine exception but those two and
 * rethrow it as a 500 {@link RestException} with the exception as its cause. So a refusal by a delegate or listener
 * (an approval the decision record lacks, a registry record in another state, segregation of duties) answered 500
 * as if the server had failed. Here, where the exception or one of its causes is a {@link Refusal}, the answer is its
 * 4xx; an {@link AuthorizationException} or {@link FormFieldValidationException} that a resource wrapped into a 500
 * keeps its own 403 or 400. A failure because Keycloak did not answer ({@link IdentityProviderOutage}) is no refusal,
 * but no failure of the server either: it answers 503 with {@code Retry-After}, as the {@code /api} does, and is logged
 * once, one line. Everything else (a bug) is left to Camunda's handlers: a 500.
 * The body has Camunda's error shape ({@code type}, {@code message}), which Tasklist and Cockpit show.
 */
public final class EngineRefusals implements Feature {

    private static final Logger LOG = LoggerFactory.getLogger(EngineRefusals.class);
    /** Ahead of Camunda's handlers for the same exception type, which have the default priority. */
    private static final int AHEAD_OF_CAMUNDA = Priorities.USER - 100;
    private static final int MAX_CAUSES = 16;

    @Override
    public boolean configure(FeatureContext context) {
        context.register(WrappedByAResource.class);
        context.register(FromTheEngine.class);
        context.register(FromADelegate.class);
        return true;
    }

    /**
     * What the failure answers: Keycloak's outage anywhere in it, else the refusal in it or its causes; empty for a
     * failure that is neither.
     */
    static Optional<Answer> answerTo(Throwable failure) {
        Optional<String> outage = IdentityProviderOutage.in(failure);
        if (outage.isPresent()) {
            return Optional.of(new Answer(Response.Status.SERVICE_UNAVAILABLE.getStatusCode(),
                    IdentityProviderOutage.TYPE, IdentityProviderOutage.MESSAGE, outage.get()));
        }
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < MAX_CAUSES; depth++, cause = cause.getCause()) {
            if (cause instanceof Refusal refusal) {
                return Optional.of(Answer.refused(refusal.kind().status(), cause, failure));
            }
            // the engine's own refusals are mapped by Camunda's handlers where they arrive unwrapped
            if (cause != failure && cause instanceof AuthorizationException) {
                return Optional.of(Answer.refused(Response.Status.FORBIDDEN.getStatusCode(), cause, failure));
            }
            if (cause != failure && cause instanceof FormFieldValidationException) {
                return Optional.of(Answer.refused(Response.Status.BAD_REQUEST.getStatusCode(), cause, failure));
            }
        }
        return Optional.empty();
    }

    /** The status, Camunda's {@code type} and {@code message}, and for the log why it was answered so. */
    record Answer(int status, String type, String message, String why) {

        /**
         * The refusal names the {@code type}; the message is the outermost: a resource's says what was refused
         * ("Cannot complete task …: ") and then why.
         */
        static Answer refused(int status, Throwable refusal, Throwable failure) {
            return new Answer(status, refusal.getClass().getSimpleName(), failure.getMessage(), failure.getMessage());
        }

        boolean unavailable() {
            return status == Response.Status.SERVICE_UNAVAILABLE.getStatusCode();
        }
    }

    /** What the three mappers share: who asked, for the log of an outage. */
    abstract static class Mapper {
        @Context
        private Request request;
        @Context
        private UriInfo uri;

        Response respond(Throwable failure) {
            Answer answer = answerTo(failure).orElseThrow();
            ExceptionDto body = new ExceptionDto();
            body.setType(answer.type());
            body.setMessage(answer.message());
            Response.ResponseBuilder response = Response.status(answer.status()).entity(body)
                    .type(MediaType.APPLICATION_JSON_TYPE);
            if (answer.unavailable()) {
                // one line, as the /api logs it: an outage fails every request, a stack trace each would flood the log
                LOG.warn("{} {} answered 503: {}", request.getMethod(), uri.getRequestUri().getPath(), answer.why());
                response.header(HttpHeaders.RETRY_AFTER, KeycloakUnavailableException.RETRY_AFTER_SECONDS);
            } else {
                LOG.info("Engine API call refused with {}: {}", answer.status(), answer.why());
            }
            return response.build();
        }
    }

    /** A resource's 500 around an engine exception (completing a task, submitting a form, starting a process). */
    @Priority(AHEAD_OF_CAMUNDA)
    public static final class WrappedByAResource extends Mapper implements ExtendedExceptionMapper<RestException> {
        @Override
        public boolean isMappable(RestException exception) {
            return (exception.getStatus() == null || exception.getStatus() == Response.Status.INTERNAL_SERVER_ERROR)
                    && answerTo(exception).isPresent();
        }

        @Override
        public Response toResponse(RestException exception) {
            return respond(exception);
        }
    }

    /** An engine exception that reached the API as it was thrown, or wrapped by the engine (a task listener's). */
    @Priority(AHEAD_OF_CAMUNDA)
    public static final class FromTheEngine extends Mapper implements ExtendedExceptionMapper<ProcessEngineException> {
        @Override
        public boolean isMappable(ProcessEngineException exception) {
            return answerTo(exception).isPresent();
        }

        @Override
        public Response toResponse(ProcessEngineException exception) {
            return respond(exception);
        }
    }

    /** Any other exception, e.g. a registry record's refused transition or Keycloak's outage met by a delegate. */
    @Priority(AHEAD_OF_CAMUNDA)
    public static final class FromADelegate extends Mapper implements ExtendedExceptionMapper<Throwable> {
        @Override
        public boolean isMappable(Throwable exception) {
            return answerTo(exception).isPresent();
        }

        @Override
        public Response toResponse(Throwable exception) {
            return respond(exception);
        }
    }
}
