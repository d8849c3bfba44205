package org.partneraccess.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.partneraccess.security.JwksUrlCheck;

/**
 * An OIDC issuer's discovery document, served on the loopback interface (the check's development switch on, as in the
 * integration tests): its JWKS URL is taken only from a document of the registered issuer, read within the limits,
 * and only where Keycloak may fetch it.
 */
class IssuerDiscoveryTest {

    private HttpServer server;
    private String base;
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void theJwksUrlIsTheOneTheIssuersDocumentNames() {
        serve("/good", 200, document(base + "/good", base + "/good/keys"));

        assertThat(discovery(true).jwksUrl(base + "/good")).isEqualTo(base + "/good/keys");
    }

    @Test
    void aRedirectIsNotFollowed() {
        server.createContext("/moved", exchange -> {
            requests.incrementAndGet();
            exchange.getResponseHeaders().set("Location", base + "/good" + IssuerDiscovery.WELL_KNOWN);
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        serve("/good", 200, document(base + "/moved", base + "/good/keys"));

        assertThatThrownBy(() -> discovery(true).jwksUrl(base + "/moved"))
                .hasMessageContaining("answered 302 (redirects are not followed)");
        assertThat(requests).hasValue(1);
    }

    @Test
    void aDocumentLargerThanTheLimitIsRefused() {
        String padding = "x".repeat(5000);
        serve("/large", 200, "{\"issuer\":\"" + base + "/large\",\"jwks_uri\":\"" + base + "/large/keys\",\"pad\":\""
                + padding + "\"}");

        assertThatThrownBy(() -> new IssuerDiscovery(check(true), Duration.ofSeconds(5), 1024).jwksUrl(base + "/large"))
                .hasMessageContaining("larger than 1024 bytes");
    }

    @Test
    void aDocumentOfAnotherIssuerIsRefused() {
        serve("/other", 200, document("https://id.attacker.example.org", base + "/other/keys"));

        assertThatThrownBy(() -> discovery(true).jwksUrl(base + "/other")).hasMessageContaining("names another issuer");
    }

    @Test
    void aJwksUrlAtAnInternalAddressIsRefused() {
        serve("/metadata", 200, document(base + "/metadata", "https://169.254.169.254/latest/keys"));
        serve("/private", 200, document(base + "/private", "https://10.1.2.3/keys"));
        serve("/plain", 200, document(base + "/plain", "http://keys.partner.example.org/keys"));
        serve("/none", 200, "{\"issuer\":\"" + base + "/none\"}");

        assertThatThrownBy(() -> discovery(true).jwksUrl(base + "/metadata")).hasMessageContaining("jwks_uri")
                .hasMessageContaining("metadata address");
        assertThatThrownBy(() -> discovery(true).jwksUrl(base + "/private")).hasMessageContaining("private");
        assertThatThrownBy(() -> discovery(true).jwksUrl(base + "/plain")).hasMessageContaining("must be https");
        assertThatThrownBy(() -> discovery(true).jwksUrl(base + "/none")).hasMessageContaining("names no jwks_uri");
    }

    @Test
    void aSlowIssuerIsGivenUpWithinTheTimeLimit() {
        server.createContext("/slow", exchange -> {
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        long started = System.nanoTime();

        assertThatThrownBy(() -> new IssuerDiscovery(check(true), Duration.ofMillis(300), 65536).jwksUrl(base + "/slow"))
                .hasMessageContaining("did not arrive within");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void withoutTheDevelopmentSwitchALoopbackIssuerIsNotEvenAsked() {
        serve("/good", 200, document(base + "/good", base + "/good/keys"));

        assertThatThrownBy(() -> discovery(false).jwksUrl(base + "/good")).hasMessageContaining("the issuer must be https");
        assertThatThrownBy(() -> discovery(false).jwksUrl("https://127.0.0.1:" + server.getAddress().getPort() + "/good"))
                .hasMessageContaining("loopback");
        assertThat(requests).hasValue(0);
    }

    /**
     * DNS rebinding: the issuer's name answers a public address when checked and the loopback one afterwards. The
     * fetch connects to the checked address only, never asks again, and nothing reaches the loopback listener.
     */
    @Test
    void aNameThatAnswersLoopbackAfterItsCheckDoesNotLeadToLoopback() throws Exception {
        try (ServerSocket loopback = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            AtomicInteger accepted = new AtomicInteger();
            Thread acceptor = new Thread(() -> {
                while (!loopback.isClosed()) {
                    try (Socket ignored = loopback.accept()) {
                        accepted.incrementAndGet();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            acceptor.start();
            AtomicInteger lookups = new AtomicInteger();
            InetAddress publicAddress = InetAddress.getByAddress("localhost", new byte[] {(byte) 203, 0, 113, 10});
            JwksUrlCheck rebinding = new JwksUrlCheck(false, List.of(), host -> lookups.getAndIncrement() == 0
                    ? new InetAddress[] {publicAddress}
                    : new InetAddress[] {InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1})});
            // a name the system resolves to loopback, so that any second lookup, ours or the HTTP client's, gets it
            String issuer = "https://localhost:" + loopback.getLocalPort();

            assertThatThrownBy(() -> new IssuerDiscovery(rebinding, Duration.ofMillis(700), 65536).jwksUrl(issuer))
                    .isInstanceOf(IssuerDiscovery.DiscoveryException.class);
            assertThat(lookups).as("looked up once, by the check").hasValue(1);
            Thread.sleep(200);
            assertThat(accepted).as("connections to loopback").hasValue(0);
        }
    }

    @Test
    void aNameThatDidNotResolveWhenCheckedIsNotLookedUpAgain() {
        AtomicInteger lookups = new AtomicInteger();
        JwksUrlCheck rebinding = new JwksUrlCheck(false, List.of(), host -> {
            if (lookups.getAndIncrement() == 0) {
                throw new java.net.UnknownHostException(host);
            }
            return new InetAddress[] {InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1})};
        });

        assertThatThrownBy(() -> new IssuerDiscovery(rebinding, Duration.ofMillis(700), 65536)
                .jwksUrl("https://issuer.rebind.example:" + server.getAddress().getPort()))
                .hasMessageContaining("could not be read");
        assertThat(lookups).as("not asked again after its check").hasValue(1);
    }

    private void serve(String issuerPath, int status, String body) {
        server.createContext(issuerPath + IssuerDiscovery.WELL_KNOWN, exchange -> {
            requests.incrementAndGet();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
    }

    private static String document(String issuer, String jwksUri) {
        return "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + jwksUri + "\",\"response_types_supported\":[\"id_token\"]}";
    }

    private static IssuerDiscovery discovery(boolean loopbackAllowed) {
        return new IssuerDiscovery(check(loopbackAllowed), Duration.ofSeconds(5), 65536);
    }

    private static JwksUrlCheck check(boolean loopbackAllowed) {
        return new JwksUrlCheck(loopbackAllowed, List.of(), InetAddress::getAllByName);
    }
}
