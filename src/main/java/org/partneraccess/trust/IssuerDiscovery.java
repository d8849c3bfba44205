package org.partneraccess.trust;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.partneraccess.security.JwksUrlCheck;

/**
 * Reads an OpenID Connect issuer's discovery document ({@code <issuer>/.well-known/openid-configuration}) for the JWKS
 * URL it names: the one outbound fetch of partner metadata the application makes itself. The same rules as for any
 * URL Keycloak fetches for a partner ({@link JwksUrlCheck}: https, no internal address) hold for the issuer and for the
 * JWKS URL it names; redirects are not followed; the whole exchange is bounded in time and the document in size; the
 * document must name the issuer exactly as registered.
 */
final class IssuerDiscovery {

    static final String WELL_KNOWN = "/.well-known/openid-configuration";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JwksUrlCheck urls;
    private final Duration timeout;
    private final int maxBytes;
    private final HttpClient http;

    IssuerDiscovery(JwksUrlCheck urls, Duration timeout, int maxBytes) {
        this.urls = urls;
        this.timeout = timeout;
        this.maxBytes = maxBytes;
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(timeout).build();
    }

    /** The issuer's discovery document could not be used; the message says why (never quoting more than a status). */
    static class DiscoveryException extends RuntimeException {
        DiscoveryException(String message) {
            super(message);
        }
    }

    /** The JWKS URL the issuer's discovery document names, checked like the issuer. */
    String jwksUrl(String issuer) {
        urls.problem(issuer).ifPresent(problem -> {
            throw new DiscoveryException("the issuer " + problem);
        });
        String location = (issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer) + WELL_KNOWN;
        JsonNode document = read(location);
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

    private JsonNode read(String location) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(location)).timeout(timeout)
                .header("Accept", "application/json").GET().build();
        CompletableFuture<HttpResponse<byte[]>> exchange = http.sendAsync(request, info -> info.statusCode() == 200
                ? new Limited(maxBytes) : HttpResponse.BodySubscribers.replacing(new byte[0]));
        HttpResponse<byte[]> response;
        try {
            // the whole exchange, body included, within the time limit
            response = exchange.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw new DiscoveryException("the discovery document at " + location + " did not arrive within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DiscoveryException("interrupted while reading " + location);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new DiscoveryException("the discovery document at " + location + " could not be read: "
                    + (cause instanceof TooLarge ? cause.getMessage() : cause.getClass().getSimpleName()));
        }
        int status = response.statusCode();
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

    /** Collects the body up to the limit; a larger one is cancelled, not read to its end. */
    private static final class Limited implements HttpResponse.BodySubscriber<byte[]> {

        private final int maxBytes;
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private final java.io.ByteArrayOutputStream collected = new java.io.ByteArrayOutputStream();
        private Flow.Subscription subscription;

        Limited(int maxBytes) {
            this.maxBytes = maxBytes;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (body.isDone()) {
                return;
            }
            for (ByteBuffer buffer : buffers) {
                if (collected.size() + buffer.remaining() > maxBytes) {
                    subscription.cancel();
                    body.completeExceptionally(new TooLarge(maxBytes));
                    return;
                }
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                collected.writeBytes(bytes);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            body.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            body.complete(collected.toByteArray());
        }
    }
}
