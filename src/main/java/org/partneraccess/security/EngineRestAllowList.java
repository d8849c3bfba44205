package org.partneraccess.security;

import java.util.ArrayList;
import java.util.List;

import org.springframework.http.HttpMethod;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * What staff may call on {@code /engine-rest} (every other path and method there is for Camunda administrators): reads,
 * except the staff directory and the authorizations; the query endpoints that take their filter as a POST body; and
 * the few writes Tasklist's work, a script and Camunda Modeler need. Paths match exactly (no trailing slash). The
 * engine's own guard and authorizations decide inside what each of these may do.
 */
final class EngineRestAllowList {

    /** Directory and grants: who exists, their groups, their passwords, who may do what. */
    private static final List<String> ADMIN_READS = List.of("/user/**", "/user", "/group/**", "/group",
            "/authorization/**", "/authorization", "/identity/**", "/tenant/**", "/tenant");

    private static final List<String> WRITES = List.of(
            "/process-definition/key/{key}/start", "/process-definition/key/{key}/submit-form",
            "/process-definition/{id}/start", "/process-definition/{id}/submit-form",
            "/task/{id}/claim", "/task/{id}/unclaim", "/task/{id}/complete", "/task/{id}/submit-form",
            "/task/{id}/comment/create", "/deployment/create");

    /** Queries whose filter comes as a POST body; they only read. */
    private static final List<String> POST_QUERIES = List.of("/task", "/task/count", "/process-instance",
            "/process-instance/count", "/execution", "/execution/count", "/variable-instance",
            "/variable-instance/count", "/history/process-instance", "/history/process-instance/count",
            "/history/activity-instance", "/history/activity-instance/count", "/history/task", "/history/task/count",
            "/history/variable-instance", "/history/variable-instance/count", "/history/detail");

    static RequestMatcher forStaff() {
        List<RequestMatcher> reads = new ArrayList<>();
        List<RequestMatcher> adminReads = new ArrayList<>();
        List<RequestMatcher> writes = new ArrayList<>();
        for (String root : List.of("/engine-rest", "/engine-rest/engine/{engine}")) {
            reads.add(SecurityConfiguration.path(HttpMethod.GET, root + "/**"));
            ADMIN_READS.forEach(p -> adminReads.add(SecurityConfiguration.path(HttpMethod.GET, root + p)));
            WRITES.forEach(p -> writes.add(SecurityConfiguration.path(HttpMethod.POST, root + p)));
            POST_QUERIES.forEach(p -> writes.add(SecurityConfiguration.path(HttpMethod.POST, root + p)));
        }
        RequestMatcher staffReads = new AndRequestMatcher(new OrRequestMatcher(reads),
                new NegatedRequestMatcher(new OrRequestMatcher(adminReads)));
        return new OrRequestMatcher(staffReads, new OrRequestMatcher(writes));
    }

    private EngineRestAllowList() {
    }
}
