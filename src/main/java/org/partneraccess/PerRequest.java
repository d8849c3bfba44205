package org.partneraccess;

import java.util.function.Supplier;

import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * Values read once per HTTP request: a registration's checks before the start and its start transaction then work from
 * one reading, and Keycloak is asked once. Outside a request (a job, a timer) every call reads afresh.
 */
public final class PerRequest {

    private PerRequest() {
    }

    public static <T> T once(String key, Supplier<T> read) {
        RequestAttributes request = RequestContextHolder.getRequestAttributes();
        if (request == null) {
            return read.get();
        }
        String name = PerRequest.class.getName() + "." + key;
        @SuppressWarnings("unchecked")
        T known = (T) request.getAttribute(name, RequestAttributes.SCOPE_REQUEST);
        if (known == null) {
            known = read.get();
            request.setAttribute(name, known, RequestAttributes.SCOPE_REQUEST);
        }
        return known;
    }
}
