package org.partneraccess.api;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonMappingException;
import jakarta.servlet.http.HttpServletRequest;
import org.partneraccess.InvalidRequestException;
import org.partneraccess.inventory.IdentityNotFoundException;
import org.partneraccess.keycloak.KeycloakUnavailableException;
import org.partneraccess.partnership.PartnershipNotFoundException;
import org.partneraccess.partnership.ResumptionWithoutProcessException;
import org.partneraccess.partnership.TriggerNotAcceptedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/** RFC 9457 problem details that name each invalid field and reveal nothing of the inside. */
@RestControllerAdvice(basePackages = "org.partneraccess")
public class ApiProblemHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiProblemHandler.class);
    static final URI INVALID_REQUEST = URI.create("https://partner-access.org/problems/invalid-request");
    static final URI PARTNERSHIP_WITHOUT_PROCESS =
            URI.create("https://partner-access.org/problems/partnership-without-process");
    static final URI IDENTITY_PROVIDER_UNAVAILABLE =
            URI.create("https://partner-access.org/problems/identity-provider-unavailable");

    @ExceptionHandler(InvalidRequestException.class)
    ProblemDetail invalid(InvalidRequestException e) {
        return invalidFields(e.fieldErrors());
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ProblemDetail invalid(MethodArgumentNotValidException e) {
        Map<String, String> errors = new LinkedHashMap<>();
        e.getBindingResult().getFieldErrors().forEach(error -> errors.merge(
                error.getField().replaceAll("\\[.*", ""), String.valueOf(error.getDefaultMessage()), (a, b) -> a + "; " + b));
        return invalidFields(errors);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ProblemDetail unreadable(HttpMessageNotReadableException e) {
        if (e.getCause() instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = mapping.getPath().stream().map(ref -> ref.getFieldName() == null ? "" : ref.getFieldName())
                    .filter(name -> !name.isEmpty()).reduce((a, b) -> a + "." + b).orElse("body");
            return invalidFields(Map.of(field, "has the wrong type or an unknown value"));
        }
        return invalidFields(Map.of("body", "is not readable JSON"));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail wrongParameter(MethodArgumentTypeMismatchException e) {
        return invalidFields(Map.of(e.getName(), "has the wrong type or an unknown value"));
    }

    @ExceptionHandler(PartnershipNotFoundException.class)
    ProblemDetail notFound(PartnershipNotFoundException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No such partnership");
    }

    @ExceptionHandler(IdentityNotFoundException.class)
    ProblemDetail notFound(IdentityNotFoundException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No such identity");
    }

    @ExceptionHandler(TriggerNotAcceptedException.class)
    ProblemDetail conflict(TriggerNotAcceptedException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
    }

    /** Says why nothing was resumed and what to do; {@code process} is SUSPENDED or DELETED. */
    @ExceptionHandler(ResumptionWithoutProcessException.class)
    ProblemDetail withoutProcess(ResumptionWithoutProcessException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
        problem.setType(PARTNERSHIP_WITHOUT_PROCESS);
        problem.setTitle("Partnership without a running process");
        problem.setProperty("process", e.getProcess().name());
        return problem;
    }

    /**
     * Keycloak, either realm, did not answer. The requests that ask it check before they change anything (or roll back
     * what they changed), so nothing was; the message names the call and why, never a credential.
     */
    @ExceptionHandler(KeycloakUnavailableException.class)
    ResponseEntity<ProblemDetail> unavailable(KeycloakUnavailableException e, HttpServletRequest request) {
        log.warn("{} {} answered 503: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "The identity provider (Keycloak) did not answer; the request was not completed and the registry "
                        + "kept its state. Send it again later: its steps are safe to repeat.");
        problem.setType(IDENTITY_PROVIDER_UNAVAILABLE);
        problem.setTitle("Identity provider unavailable");
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, KeycloakUnavailableException.RETRY_AFTER_SECONDS).body(problem);
    }

    @ExceptionHandler(AccessDeniedException.class)
    ProblemDetail forbidden(AccessDeniedException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, "Your role does not allow this");
    }

    private static ProblemDetail invalidFields(Map<String, String> errors) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "The request has invalid fields: " + String.join(", ", errors.keySet()));
        problem.setType(INVALID_REQUEST);
        problem.setTitle("Invalid request");
        problem.setProperty("errors", errors);
        return problem;
    }
}
