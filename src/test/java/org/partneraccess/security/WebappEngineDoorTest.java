package org.partneraccess.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.camunda.bpm.webapp.impl.security.auth.AuthenticationUtil;
import org.camunda.bpm.webapp.impl.security.auth.Authentications;
import org.camunda.bpm.webapp.impl.security.auth.UserAuthentication;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The webapps' door to the engine's API: a signed-in staff user who is no Camunda administrator gets 403 for every
 * write that {@code /engine-rest} does not allow staff either, before any engine resource runs; the allowed writes,
 * every read, an administrator and a call without a session pass on.
 */
class WebappEngineDoorTest {

    private static final String ENGINE = "/camunda/api/engine/engine/default";
    private final WebappEngineDoor door = new WebappEngineDoor(new ObjectMapper());

    @Test
    void staffWritesOutsideTheAllowListAreRefusedBeforeTheEngine() throws Exception {
        for (String call : List.of("POST /process-instance/p1/modification", "PUT /process-instance/p1/variables/x",
                "POST /case-instance/c1/close", "POST /job/retries", "POST /external-task/fetchAndLock",
                "POST /migration/execute", "POST /telemetry/configuration", "POST /task/t1/assignee",
                "POST /task/t1/identity-links", "PUT /task/t1", "DELETE /process-instance/p1", "POST /message",
                "POST /identity/verify", "POST /group", "POST /job/j1/execute", "POST /task/t1/complete/")) {
            MockHttpServletResponse response = new MockHttpServletResponse();
            MockFilterChain chain = new MockFilterChain();
            door.doFilter(request(call, "alice.auditor", "auditors"), response, chain);
            assertThat(response.getStatus()).as(call).isEqualTo(403);
            assertThat(chain.getRequest()).as(call + " reached the engine").isNull();
            assertThat(response.getContentAsString()).as(call).contains("\"type\":\"AuthorizationException\"")
                    .contains("Only Camunda administrators may do this (" + call.replace(" ", " " + ENGINE));
        }
    }

    @Test
    void theAllowedWritesReadsAdministratorsAndCallsWithoutASessionPassOn() throws Exception {
        for (String call : List.of("POST /task/t1/claim", "POST /task/t1/unclaim", "POST /task/t1/complete",
                "POST /task/t1/submit-form", "POST /task/t1/comment/create", "POST /process-definition/key/k/start",
                "POST /process-definition/d1/submit-form", "POST /deployment/create", "POST /filter/f1/list",
                "POST /filter/f1/count", "POST /task", "POST /history/process-instance/count", "POST /job",
                "GET /user/alice.auditor/profile", "GET /identity/groups", "GET /process-instance/p1/variables")) {
            assertPassesOn(request(call, "alice.auditor", "auditors"), call);
        }
        assertPassesOn(request("POST /process-instance/p1/modification", "adam.admin", StaffGroups.CAMUNDA_ADMIN),
                "an administrator");
        MockHttpServletRequest noSession = new MockHttpServletRequest("POST", ENGINE + "/process-instance/p1/modification");
        assertPassesOn(noSession, "without a session: the webapps answer 401");
        assertPassesOn(engineOf("other", "POST /process-instance/p1/modification"),
                "signed in to another engine only: the webapps answer 401");
    }

    /** The same writes at both doors: each one {@code /engine-rest} allows staff, and only those, the webapps do. */
    @Test
    void theWebappsAllowStaffTheWritesOfTheEngineRestApi() {
        RequestMatcher engineRest = EngineRestAllowList.forStaff();
        RequestMatcher webapps = EngineRestAllowList.forStaffInWebapps();
        for (String call : List.of("POST /task/t1/complete", "POST /filter/f1/list", "POST /history/detail",
                "POST /deployment/create", "POST /process-instance/p1/modification", "POST /message",
                "POST /task/t1/assignee", "PUT /task/t1", "DELETE /task/t1", "POST /identity/verify")) {
            String[] methodAndPath = call.split(" ", 2);
            assertThat(webapps.matches(new MockHttpServletRequest(methodAndPath[0], ENGINE + methodAndPath[1])))
                    .as(call).isEqualTo(engineRest.matches(new MockHttpServletRequest(methodAndPath[0],
                            "/engine-rest" + methodAndPath[1])));
        }
    }

    private void assertPassesOn(MockHttpServletRequest request, String what) throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        door.doFilter(request, response, chain);
        assertThat(chain.getRequest()).as(what + ": " + request.getMethod() + " " + request.getRequestURI()).isNotNull();
        assertThat(response.getStatus()).as(what).isEqualTo(200);
    }

    /** A call by a user signed in to the webapps with the given group. */
    private static MockHttpServletRequest request(String call, String user, String group) {
        String[] methodAndPath = call.split(" ", 2);
        MockHttpServletRequest request = new MockHttpServletRequest(methodAndPath[0], ENGINE + methodAndPath[1]);
        MockHttpSession session = new MockHttpSession();
        UserAuthentication authentication = new UserAuthentication(user, "default");
        authentication.setGroupIds(List.of(group));
        Authentications authentications = new Authentications();
        authentications.addOrReplace(authentication);
        AuthenticationUtil.updateSession(session, authentications);
        request.setSession(session);
        return request;
    }

    /** A staff user signed in to the engine {@code default} who calls another engine's API. */
    private static MockHttpServletRequest engineOf(String engine, String call) {
        MockHttpServletRequest request = request(call, "alice.auditor", "auditors");
        request.setRequestURI(request.getRequestURI().replace("/engine/default/", "/engine/" + engine + "/"));
        return request;
    }
}
