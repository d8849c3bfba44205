package org.partneraccess.security;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.Timeout;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.extension.keycloak.plugin.KeycloakIdentityProviderPlugin;
import org.partneraccess.keycloak.KeycloakProperties;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.stereotype.Component;

/**
 * Camunda users and groups, and the webapp login, come from the staff realm. The plugin's requests are sent with the
 * connect and read timeouts of {@code partner-access.keycloak}, as the application's other Keycloak clients are.
 */
@Component
@ConfigurationProperties(prefix = "plugin.identity.keycloak")
public class StaffIdentityPlugin extends KeycloakIdentityProviderPlugin implements DisposableBean {

    private final KeycloakProperties keycloak;
    private HttpComponentsClientHttpRequestFactory transport;

    // the plugin's settings are bound through its setters, not this constructor
    @Autowired
    StaffIdentityPlugin(KeycloakProperties keycloak) {
        this.keycloak = keycloak;
    }

    /** Built here, once the plugin's own settings (its connection limit) are bound. */
    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        transport = new HttpComponentsClientHttpRequestFactory(HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(getMaxHttpConnections()).setMaxConnPerRoute(getMaxHttpConnections())
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(keycloak.connectTimeout()))
                                .setSocketTimeout(Timeout.of(keycloak.readTimeout())).build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(Timeout.of(keycloak.readTimeout()))
                        .setResponseTimeout(Timeout.of(keycloak.readTimeout())).build())
                .build());
        setCustomHttpRequestInterceptors(List.of(refusedPasswordIsUnauthorized(), sentThrough(transport)));
        super.preInit(configuration);
    }

    /**
     * Sends each request through {@code transport} instead of the plugin's own client, which waits for an answer
     * without limit: a staff realm that accepts connections and never answers would hold the caller, and the engine
     * command's database connection, for as long. Last in the chain, since it sends the request itself.
     */
    static ClientHttpRequestInterceptor sentThrough(ClientHttpRequestFactory transport) {
        return (request, body, execution) -> {
            ClientHttpRequest sent = transport.createRequest(request.getURI(), request.getMethod());
            sent.getHeaders().putAll(request.getHeaders());
            if (body.length > 0) {
                sent.getBody().write(body);
            }
            return sent.execute();
        };
    }

    @Override
    public void destroy() throws Exception {
        if (transport != null) {
            transport.destroy();
        }
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
