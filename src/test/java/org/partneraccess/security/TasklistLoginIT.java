package org.partneraccess.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.partneraccess.ProcessIds;
import org.partneraccess.support.PartnerAccessTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The Camunda webapp login, at the HTTP level, with staff-realm accounts checked by the real Keycloak. */
@PartnerAccessTest
class TasklistLoginIT {

    @LocalServerPort
    int port;

    @Test
    void requesterLogsInToTasklistAndSeesTheStartableProcess() throws Exception {
        Session session = new Session();
        HttpResponse<String> login = session.login("rita.requester", "demo", "tasklist");
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(login.body()).contains("\"userId\":\"rita.requester\"");

        HttpResponse<String> startable = session.get(
                "/camunda/api/engine/engine/default/process-definition?latest=true&startableInTasklist=true");
        assertThat(startable.statusCode()).isEqualTo(200);
        assertThat(startable.body()).contains(ProcessIds.PARTNERSHIP_PROCESS);
    }

    @Test
    void wrongPasswordIsRefused() throws Exception {
        assertThat(new Session().login("rita.requester", "not-the-password", "tasklist").statusCode()).isEqualTo(401);
    }

    @Test
    void unknownUserIsRefused() throws Exception {
        assertThat(new Session().login("mallory", "demo", "tasklist").statusCode()).isEqualTo(401);
    }

    @Test
    void eachGroupOpensOnlyItsApplications() throws Exception {
        assertThat(new Session().login("alice.auditor", "demo", "tasklist").statusCode()).isEqualTo(403);
        assertThat(new Session().login("alice.auditor", "demo", "cockpit").statusCode()).isEqualTo(200);
        assertThat(new Session().login("rita.requester", "demo", "cockpit").statusCode()).isEqualTo(403);
        assertThat(new Session().login("rita.requester", "demo", "admin").statusCode()).isEqualTo(403);
        assertThat(new Session().login("adam.admin", "demo", "admin").statusCode()).isEqualTo(200);
    }

    /** A browser-like session: cookies and the webapp's CSRF token. */
    private class Session {
        private final CookieManager cookies = new CookieManager();
        private final HttpClient http = HttpClient.newBuilder().cookieHandler(cookies).build();

        HttpResponse<String> login(String username, String password, String app) throws IOException, InterruptedException {
            get("/camunda/app/" + app + "/default/");
            String form = "username=" + URLEncoder.encode(username, StandardCharsets.UTF_8)
                    + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8);
            HttpRequest.Builder request = HttpRequest.newBuilder(
                            URI.create(base() + "/camunda/api/admin/auth/user/default/login/" + app))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form));
            csrfToken().ifPresent(token -> request.header("X-XSRF-TOKEN", token));
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> get(String path) throws IOException, InterruptedException {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path)).header("Accept", "application/json");
            csrfToken().ifPresent(token -> request.header("X-XSRF-TOKEN", token));
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }

        private java.util.Optional<String> csrfToken() {
            return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("XSRF-TOKEN"))
                    .map(HttpCookie::getValue).findFirst();
        }

        private String base() {
            return "http://localhost:" + port;
        }
    }
}
