package org.partneraccess.operations;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;
import org.springframework.http.server.PathContainer;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Puts the partnership key or identity id of an {@code /api} request into the logging context, so every line the
 * request writes (security, services, the engine work it starts) names what it was about. Runs before security.
 */
class RequestLoggingContext extends OncePerRequestFilter {

    static final String PARTNERSHIP_KEY = "partnershipKey";
    static final String IDENTITY_ID = "identityId";

    private static final Map<String, PathPattern> PATTERNS = Map.of(
            PARTNERSHIP_KEY, PathPatternParser.defaultInstance.parse("/api/partnerships/{value}/**"),
            IDENTITY_ID, PathPatternParser.defaultInstance.parse("/api/identities/{value}/**"));
    /** Keys and ids are short and plain; anything else (line breaks, markup) stays out of the logs. */
    private static final Pattern LOGGABLE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        PathContainer path = PathContainer.parsePath(request.getRequestURI().substring(request.getContextPath().length()));
        List<String> added = new java.util.ArrayList<>(1);
        PATTERNS.forEach((key, pattern) -> {
            PathPattern.PathMatchInfo match = pattern.matchAndExtract(path);
            String value = match == null ? null : match.getUriVariables().get("value");
            if (value != null && LOGGABLE.matcher(value).matches()) {
                MDC.put(key, value);
                added.add(key);
            }
        });
        try {
            chain.doFilter(request, response);
        } finally {
            added.forEach(MDC::remove);
        }
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith(request.getContextPath() + "/api/");
    }
}
