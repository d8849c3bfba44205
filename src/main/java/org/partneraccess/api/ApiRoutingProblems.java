package org.partneraccess.api;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Problem documents for {@code /api} requests that reach no handler: a wrong content type, method or path. These are
 * raised before a controller is chosen, so {@link ApiProblemHandler} (bound to this code's controllers) never sees
 * them. Other paths (the dashboard, Tasklist) keep the default error pages.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
class ApiRoutingProblems {

    @ExceptionHandler({HttpMediaTypeNotSupportedException.class, HttpMediaTypeNotAcceptableException.class,
            HttpRequestMethodNotSupportedException.class, NoResourceFoundException.class})
    ResponseEntity<Object> routing(Exception e, HttpServletRequest request) throws Exception {
        if (!request.getRequestURI().startsWith("/api/") || !(e instanceof ErrorResponse error)) {
            // declined: the same exception thrown again continues with the default handling
            throw e;
        }
        return ResponseEntity.status(error.getStatusCode()).headers(error.getHeaders()).body(error.getBody());
    }
}
