package org.partneraccess.trust;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.util.Timeout;
import org.partneraccess.security.JwksUrlCheck;

/**
 * Reads an OpenID Connect issuer's discovery document ({@code <issuer>/.well-known/openid-configuration}) for the JWKS
 * URL it names: the one outbound fetch of partner metadata the application makes itself. The same rules as for any
 * URL Keycloak fetches for a partner ({@link JwksUrlCheck}: https, no internal address) hold for the issuer and for the
 * JWKS URL it names; the fetch connects only to the addresses the issuer's host was checked by (a second lookup could
 * answer otherwise: DNS rebinding), with the certificate still checked against the host name; redirects are not
 * followed; the whole exchange is bounded in time and the document in size; the document must name the issuer exactly
 * as registered.
 */
final class IssuerDiscovery {

    static final String WELL_KNOWN = "/.well-known/openid-configuration";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JwksUrlCheck urls;
    private final Duration timeout;
    private final int maxBytes;

    IssuerDiscovery(JwksUrlCheck urls, Duration timeout, int maxBytes) {
        this.urls = urls;
        this.timeout = timeout;
        this.maxBytes = maxBytes;
    }

    /** The issuer's discovery document could not be used; the message says why (never quoting more than a status). */
    static class DiscoveryException extends RuntimeException {
        DiscoveryException(String message) {
            super(message);
        }
    }

    /** The JWKS URL the issuer's discovery document names, checked like the issuer. */
    String jwksUrl(String issuer) {
        JwksUrlCheck.Checked checked = urls.check(issuer);
        checked.problem().ifPresent(problem -> {
            throw new DiscoveryException("the issuer " + problem);
        });
        String location = (issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer) + WELL_KNOWN;
        JsonNode document = read(location, pinned(java.net.URI.create(location).getHost(), checked.addresses()));
        if (!issuer.equals(document.path("issuer").asText(null))) {
            throw new DiscoveryException("the discovery document at " + location + " names another issuer");
        }
        String jwksUrl = document.path("jwks_uri").asText("").trim();
        if (jwksUrl.isEmpty()) {
            throw new DiscoveryException("the discovery document at " + location + " names no jwks_uri");
        }
        urls.problem(jwksUrl).ifPresent(problem -> {
            throw new DiscoveryException("the jwks_uri of the discovery document " + problem);
        });
        return jwksUrl;
    }

    private record Answer(int status, byte[] body) {
    }

    private JsonNode read(String location, DnsResolver resolver) {
        HttpGet request = new HttpGet(location);
        request.setHeader("Accept", "application/json");
        Timeout limit = Timeout.of(timeout);
        // the whole exchange, body included, within the time limit: cancelling closes the connection
        CompletableFuture<Void> deadline = CompletableFuture.runAsync(request::cancel,
                CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS));
        Answer response;
        try (CloseableHttpClient http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create().setDnsResolver(resolver)
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(limit)
                                .setSocketTimeout(limit).build()).build())
                .setDefaultRequestConfig(RequestConfig.custom().setConnectionRequestTimeout(limit)
                        .setResponseTimeout(limit).build())
                .disableRedirectHandling().disableAutomaticRetries().disableCookieManagement()
                .disableAuthCaching().build()) {
            response = http.execute(request, answer -> new Answer(answer.getCode(),
                    answer.getCode() == 200 ? limited(answer.getEntity(), request) : new byte[0]));
        } catch (TooLarge e) {
            throw new DiscoveryException("the discovery document at " + location + " could not be read: " + e.getMessage());
        } catch (IOException e) {
            if (request.isCancelled() || e instanceof java.io.InterruptedIOException) {
                throw new DiscoveryException("the discovery document at " + location + " did not arrive within " + timeout);
            }
            throw new DiscoveryException("the discovery document at " + location + " could not be read: "
                    + e.getClass().getSimpleName());
        } finally {
            deadline.cancel(false);
        }
        int status = response.status();
        if (status != 200) {
            throw new DiscoveryException("the discovery document at " + location + " answered " + status
                    + (status / 100 == 3 ? " (redirects are not followed)" : ""));
        }
        try {
            JsonNode document = JSON.readTree(response.body());
            if (document == null || !document.isObject()) {
                throw new DiscoveryException("the discovery document at " + location + " is not a JSON object");
            }
            return document;
        } catch (IOException e) {
            throw new DiscoveryException("the discovery document at " + location + " is not JSON");
        }
    }

    private static final class TooLarge extends IOException {
        TooLarge(int maxBytes) {
            super("larger than " + maxBytes + " bytes");
        }
    }

    /** Reads the body up to the limit; a larger one is cut off (its connection closed), not read to its end. */
    private byte[] limited(HttpEntity entity, HttpGet request) throws IOException {
        if (entity == null) {
            return new byte[0];
        }
        try (InputStream in = entity.getContent()) {
            byte[] body = in.readNBytes(maxBytes + 1);
            if (body.length > maxBytes) {
                request.cancel();
                throw new TooLarge(maxBytes);
            }
            return body;
        }
    }

    /**
     * Resolves the checked host to the addresses it was checked by and nothing else; a host the check did not need to
     * look up (allow-listed, or loopback in development) as the system does. A name that did not resolve then does not
     * get a second chance.
     */
    static DnsResolver pinned(String checkedHost, List<InetAddress> addresses) {
        String expected = bare(checkedHost);
        return new DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) throws UnknownHostException {
                if (!bare(host).equals(expected)) {
                    throw new UnknownHostException(host + " was not checked");
                }
                if (addresses == null) {
                    return SystemDefaultDnsResolver.INSTANCE.resolve(host);
                }
                if (addresses.isEmpty()) {
                    throw new UnknownHostException(host + " did not resolve when checked");
                }
                return addresses.toArray(InetAddress[]::new);
            }

            @Override
            public String resolveCanonicalHostname(String host) throws UnknownHostException {
                return host;
            }
        };
    }

    private static String bare(String host) {
        String lower = host == null ? "" : host.toLowerCase(Locale.ROOT);
        return lower.startsWith("[") && lower.endsWith("]") ? lower.substring(1, lower.length() - 1) : lower;
    }
}
