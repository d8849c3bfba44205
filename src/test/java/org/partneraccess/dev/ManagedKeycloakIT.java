package org.partneraccess.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.partneraccess.support.StaffSignIn;
import org.partneraccess.support.PartnerAccessTest;

/**
 * The managed development Keycloak fails closed: reachable on the loopback interface only, its master realm's
 * administrator signs in with the generated password and not with admin/admin, and the demo users come from the
 * development file alone.
 */
@PartnerAccessTest
class ManagedKeycloakIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void itAnswersOnTheLoopbackAddress() throws Exception {
        HttpResponse<String> realm = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port()
                + "/realms/staff")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(realm.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(realm.body()).path("realm").asText()).isEqualTo("staff");
    }

    @Test
    void itCannotBeReachedOnAnyOtherAddressOfTheHost() throws IOException {
        List<InetAddress> others = new ArrayList<>();
        for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (network.isUp()) {
                Collections.list(network.getInetAddresses()).stream()
                        .filter(address -> !address.getHostAddress().startsWith("127.")).forEach(others::add);
            }
        }
        for (InetAddress address : others) {
            for (int port : new int[] {port(), keycloak().managementPort()}) {
                assertThatThrownBy(() -> {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress(address, port), 2000);
                    }
                }).as("a connection to %s port %d", address, port).isInstanceOf(IOException.class);
            }
        }
    }

    /** On Linux, what the kernel says: every listening socket on its ports is bound to 127.0.0.1. */
    @Test
    void itsListeningSocketsAreBoundTo127001Only() throws IOException {
        Path tcp = Path.of("/proc/net/tcp");
        if (!Files.isReadable(tcp)) {
            return;
        }
        List<String> bound = new ArrayList<>();
        for (Path table : List.of(tcp, Path.of("/proc/net/tcp6"))) {
            if (Files.isReadable(table)) {
                Files.readAllLines(table).stream().skip(1).map(String::trim).map(line -> line.split("\\s+"))
                        // local address, state 0A: listening
                        .filter(fields -> fields[3].equals("0A")).map(fields -> fields[1])
                        .filter(local -> isPort(local, port()) || isPort(local, keycloak().managementPort()))
                        .forEach(bound::add);
            }
        }
        assertThat(bound).as("listening sockets of the managed Keycloak").isNotEmpty()
                // 127.0.0.1 in the kernel's byte order, alone or as an IPv4-mapped IPv6 address
                .allMatch(local -> local.startsWith("0100007F:") || local.startsWith("0000000000000000FFFF00000100007F:"));
    }

    @Test
    void theMasterRealmRefusesAdminAdmin() throws Exception {
        HttpResponse<String> refused = adminSignIn("admin");

        assertThat(refused.statusCode()).isIn(400, 401);
        assertThat(JSON.readTree(refused.body()).path("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void theMasterRealmAcceptsTheGeneratedPassword() throws Exception {
        String password = keycloak().adminPassword();

        assertThat(password).isNotEqualTo("admin").hasSizeGreaterThanOrEqualTo(40).matches("[A-Za-z0-9_-]+");
        HttpResponse<String> accepted = adminSignIn(password);
        assertThat(accepted.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(accepted.body()).path("access_token").asText()).isNotBlank();
    }

    /** The demo users reach the managed Keycloak through its own import of keycloak-realm/dev/. */
    @Test
    void theDemoUsersSignIn() throws Exception {
        assertThat(StaffSignIn.withSecondFactor(keycloak().url(), "rita.requester").path("access_token").asText())
                .isNotBlank();
    }

    private HttpResponse<String> adminSignIn(String password) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(keycloak().url() + "/realms/master/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=admin-cli&username="
                        + ManagedKeycloak.ADMIN_USERNAME + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Started with the application context, which exists only once the test instance does. */
    private static ManagedKeycloak keycloak() {
        return ManagedKeycloak.current();
    }

    private int port() {
        return URI.create(keycloak().url()).getPort();
    }

    private static boolean isPort(String local, int port) {
        return local.toUpperCase(Locale.ROOT).endsWith(":" + String.format("%04X", port));
    }
}
