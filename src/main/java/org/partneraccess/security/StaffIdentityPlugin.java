package org.partneraccess.security;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.camunda.bpm.extension.keycloak.plugin.KeycloakIdentityProviderPlugin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.stereotype.Component;

/** Camunda users and groups, and the webapp login, come from the staff realm. */
@Component
@ConfigurationProperties(prefix = "plugin.identity.keycloak")
public class StaffIdentityPlugin extends KeycloakIdentityProviderPlugin {

    public StaffIdentityPlugin() {
        setCustomHttpRequestInterceptors(List.of(refusedPasswordIsUnauthorized()));
    }

    /**
     * Keycloak answers a wrong password with 400 invalid_grant; the plugin takes only 401 as a refusal and reports
     * anything else as a failure of Keycloak. A wrong password is a refused login, not a server error.
     */
    static ClientHttpRequestInterceptor refusedPasswordIsUnauthorized() {
        return (request, body, execution) -> {
            ClientHttpResponse response = execution.execute(request, body);
            boolean passwordGrant = new String(body, StandardCharsets.UTF_8).contains("grant_type=password");
            if (passwordGrant && response.getStatusCode().value() == HttpStatus.BAD_REQUEST.value()) {
                return new ClientHttpResponse() {
                    @Override
                    public HttpStatusCode getStatusCode() {
                        return HttpStatus.UNAUTHORIZED;
                    }

                    @Override
                    public String getStatusText() {
                        return HttpStatus.UNAUTHORIZED.getReasonPhrase();
                    }

                    @Override
                    public HttpHeaders getHeaders() {
                        return response.getHeaders();
                    }

                    @Override
                    public InputStream getBody() throws IOException {
                        return response.getBody();
                    }

                    @Override
                    public void close() {
                        response.close();
                    }
                };
            }
            return response;
        };
    }
}
