package org.partneraccess.keycloak;

import java.util.Set;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.client.ClientResponseContext;
import jakarta.ws.rs.client.ClientResponseFilter;

/**
 * Times every HTTP call of the admin client, token requests included, as {@value #METRIC}, tagged by HTTP method,
 * URI template, status and outcome. Ids and realm names are replaced in the URI so the number of series stays small.
 * A call that gets no answer at all (refused, timed out) never reaches a response filter; {@link KeycloakCalls} turns
 * those into {@link KeycloakUnavailableException}s, and the health check reports them.
 */
class KeycloakRequestMetrics implements ClientRequestFilter, ClientResponseFilter {

    static final String METRIC = "partner.access.keycloak.requests";

    /** Path segments after which Keycloak's admin API puts an id or a name. */
    private static final Set<String> ID_PARENTS = Set.of("users", "clients", "groups", "client-scopes",
            "default-client-scopes", "optional-client-scopes", "roles", "roles-by-id", "components", "organizations",
            "sessions");
    private static final Pattern HAS_DIGIT = Pattern.compile(".*\\d.*");
    private static final String STARTED = KeycloakRequestMetrics.class.getName() + ".started";

    private final MeterRegistry registry;

    KeycloakRequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void filter(ClientRequestContext request) {
        request.setProperty(STARTED, Timer.start(registry));
    }

    @Override
    public void filter(ClientRequestContext request, ClientResponseContext response) {
        if (!(request.getProperty(STARTED) instanceof Timer.Sample sample)) {
            return;
        }
        int status = response.getStatus();
        sample.stop(Timer.builder(METRIC)
                .description("HTTP calls to Keycloak's admin and token endpoints")
                .tag("method", request.getMethod())
                .tag("uri", uriTemplate(request.getUri().getRawPath()))
                .tag("status", Integer.toString(status))
                .tag("outcome", outcome(status))
                .register(registry));
    }

    static String outcome(int status) {
        if (status >= 500) {
            return "SERVER_ERROR";
        }
        if (status >= 400) {
            return "CLIENT_ERROR";
        }
        return status >= 200 && status < 400 ? "SUCCESS" : "UNKNOWN";
    }

    /** {@code /admin/realms/partner/users/8f1c…/logout} becomes {@code /admin/realms/{realm}/users/{id}/logout}. */
    static String uriTemplate(String path) {
        String[] segments = path.split("/", -1);
        StringBuilder template = new StringBuilder();
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            String parent = i > 0 ? segments[i - 1] : "";
            if (i > 0) {
                template.append('/');
            }
            if (segment.isEmpty()) {
                continue;
            }
            if ("realms".equals(parent)) {
                template.append("{realm}");
            } else if (ID_PARENTS.contains(parent) || HAS_DIGIT.matcher(segment).matches()) {
                template.append("{id}");
            } else {
                template.append(segment);
            }
        }
        return template.toString();
    }
}
