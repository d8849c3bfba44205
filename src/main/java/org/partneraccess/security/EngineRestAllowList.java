package org.partneraccess.security;

import java.util.ArrayList;
import java.util.List;

import org.springframework.http.HttpMethod;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * What staff may call on the engine's API (every other path and method there is for Camunda administrators), at both
 * doors: {@code /engine-rest} with a bearer token ({@link #forStaff()}) and the webapps' session API
 * {@code /camunda/api/engine/engine/{engine}} ({@link #forStaffInWebapps()}, held by {@link WebappEngineDoor}). The
 * same writes at both: the few that Tasklist's work, a script and Camunda Modeler need, and the queries that take
 * their filter as a POST body (they only read). Reads differ: {@code /engine-rest} keeps the staff directory and the
 * authorizations for administrators, while Tasklist itself reads a user's profile and groups through its session, so
 * there the engine's guard decides which reads are a directory listing. Paths match exactly (no trailing slash). The
 * engine's own guard and authorizations decide inside what each of these may do.
 */
final class EngineRestAllowList {

    /** Where the webapps reach the engine's API, one engine per name. */
    static final String WEBAPP_ENGINE_API = "/camunda/api/engine/engine/{engine}";

    /** Directory and grants: who exists, their groups, their passwords, who may do what. */
    private static final List<String> ADMIN_READS = List.of("/user/**", "/user", "/group/**", "/group",
            "/authorization/**", "/authorization", "/identity/**", "/tenant/**", "/tenant");

    private static final List<String> WRITES = List.of(
            "/process-definition/key/{key}/start", "/process-definition/key/{key}/submit-form",
            "/process-definition/{id}/start", "/process-definition/{id}/submit-form",
            "/task/{id}/claim", "/task/{id}/unclaim", "/task/{id}/complete", "/task/{id}/submit-form",
            "/task/{id}/comment/create", "/deployment/create");

    /**
     * Queries whose filter comes as a POST body; they only read, as their GET forms do. Tasklist lists a filter's tasks
     * this way, Cockpit instances, jobs and variables (and counts a deployment's case instances); not the directory
     * ({@code /group}).
     */
    private static final List<String> POST_QUERIES = List.of("/task", "/task/count", "/filter/{id}/list",
            "/filter/{id}/count", "/filter/{id}/singleResult", "/process-instance", "/process-instance/count",
            "/execution", "/execution/count", "/variable-instance", "/variable-instance/count", "/job", "/job/count",
            "/job-definition", "/job-definition/count", "/external-task", "/external-task/count",
            "/history/process-instance", "/history/process-instance/count", "/history/activity-instance",
            "/history/activity-instance/count", "/history/task", "/history/task/count", "/history/variable-instance",
            "/history/variable-instance/count", "/history/detail", "/history/job-log", "/history/job-log/count",
            "/history/external-task-log", "/history/external-task-log/count", "/case-instance", "/case-instance/count",
            "/case-execution", "/case-execution/count", "/history/case-instance", "/history/case-instance/count");

    static RequestMatcher forStaff() {
        List<RequestMatcher> reads = new ArrayList<>();
        List<RequestMatcher> adminReads = new ArrayList<>();
        List<RequestMatcher> writes = new ArrayList<>();
        for (String root : List.of("/engine-rest", "/engine-rest/engine/{engine}")) {
            reads.add(SecurityConfiguration.path(HttpMethod.GET, root + "/**"));
            ADMIN_READS.forEach(p -> adminReads.add(SecurityConfiguration.path(HttpMethod.GET, root + p)));
            writes.addAll(writes(root));
        }
        RequestMatcher staffReads = new AndRequestMatcher(new OrRequestMatcher(reads),
                new NegatedRequestMatcher(new OrRequestMatcher(adminReads)));
        return new OrRequestMatcher(staffReads, new OrRequestMatcher(writes));
    }

    /**
     * The writes staff may send through the webapps' session API: those of {@code /engine-rest}. Reads ({@code GET})
     * are not matched here; the door lets them through to the engine's guard.
     */
    static RequestMatcher forStaffInWebapps() {
        return new OrRequestMatcher(writes(WEBAPP_ENGINE_API));
    }

    private static List<RequestMatcher> writes(String root) {
        List<RequestMatcher> writes = new ArrayList<>();
        WRITES.forEach(p -> writes.add(SecurityConfiguration.path(HttpMethod.POST, root + p)));
        POST_QUERIES.forEach(p -> writes.add(SecurityConfiguration.path(HttpMethod.POST, root + p)));
        return writes;
    }

    private EngineRestAllowList() {
    }
}
