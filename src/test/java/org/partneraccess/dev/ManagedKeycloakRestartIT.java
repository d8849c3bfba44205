package org.partneraccess.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.partneraccess.support.ApplicationProcess;

/**
 * The run command after a crash, as a developer meets it: the application as a JVM of its own in the {@code dev}
 * profile, killed with {@code kill -9} and started again. The managed Keycloak the killed run left is stopped and a
 * fresh one started; a start that cannot have its Keycloak ends the JVM. This class starts no Spring context itself.
 */
class ManagedKeycloakRestartIT {

    private static final Duration START = Duration.ofMinutes(5);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void aKeycloakLeftByAKilledRunIsStoppedAndTheNextRunStarts() throws Exception {
        int port = ApplicationProcess.freePort();
        Map<String, String> env = devRun(port);
        List<ProcessHandle> leftover = List.of();
        try {
            long killedRun;
            List<ProcessHandle> leftoverLauncher;
            try (ApplicationProcess killed = ApplicationProcess.start("restart-killed", env)) {
                killed.awaitOk("/actuator/health/readiness", START);
                killedRun = killed.pid();
                leftover = ProcessHandle.of(killedRun).orElseThrow().descendants().toList();
                leftoverLauncher = ProcessHandle.of(killedRun).orElseThrow().children().toList();
                killed.kill();
            }
            assertThat(leftover).as("the killed run's managed Keycloak, still running").isNotEmpty()
                    .allMatch(ProcessHandle::isAlive);
            assertThat(realmAnswers(port)).as("the leftover holds the port").isTrue();

            List<ProcessHandle> fresh;
            List<ProcessHandle> freshLauncher;
            try (ApplicationProcess next = ApplicationProcess.start("restart-next", devRun(port))) {
                next.awaitOk("/actuator/health/readiness", START);

                assertThat(leftover).as("the leftover's processes").noneMatch(ProcessHandle::isAlive);
                fresh = ProcessHandle.of(next.pid()).orElseThrow().descendants().toList();
                assertThat(fresh).as("this run's own Keycloak").isNotEmpty().allMatch(ProcessHandle::isAlive)
                        .doesNotContainAnyElementsOf(leftover);
                assertThat(realmAnswers(port)).isTrue();
                assertThat(Files.readString(next.log())).contains("Managed Keycloak is up at http://localhost:" + port,
                        "stopped first: the managed Keycloak on port " + port + " left running by an earlier run"
                                + " (process " + killedRun + ")");
                freshLauncher = ProcessHandle.of(next.pid()).orElseThrow().children().toList();
                assertThat(recordsOf(freshLauncher)).as("this run's record of its server").singleElement()
                        .satisfies(record -> assertThat(record).exists());
            }
            // a graceful stop takes the server and its record with it
            assertThat(fresh).noneMatch(ProcessHandle::isAlive);
            assertThat(recordsOf(freshLauncher)).noneMatch(Files::exists);
            assertThat(recordsOf(leftoverLauncher)).as("the killed run's record").isNotEmpty().noneMatch(Files::exists);
        } finally {
            // only where an assertion failed before the next run stopped it
            leftover.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** The hang of issue 18: the development SMTP server was up, the Keycloak start failed, the JVM never ended. */
    @Test
    void aStartWhoseKeycloakPortIsTakenEndsTheJvmNamingThePort() throws Exception {
        try (ServerSocket foreign = new ServerSocket(0)) {
            int port = foreign.getLocalPort();
            try (ApplicationProcess app = ApplicationProcess.start("restart-port-taken", devRun(port))) {
                int exit = app.awaitExit(Duration.ofSeconds(90));

                assertThat(exit).as("exit code of a failed start").isNotZero();
                // the development SMTP server was up by then: it starts first, Keycloak is told where it is
                assertThat(Files.readString(app.log())).contains("Port " + port + " for the managed Keycloak is in use by a program that is not this checkout's"
                                + " managed Keycloak");
            }
        }
    }

    private static Map<String, String> devRun(int keycloakPort) {
        return Map.of(
                "SPRING_PROFILES_ACTIVE", "dev",
                "MANAGED_KEYCLOAK_PORT", String.valueOf(keycloakPort),
                "MANAGED_KEYCLOAK_MANAGEMENT_PORT", String.valueOf(ApplicationProcess.freePort()),
                "PARTNERACCESS_MANAGEDKEYCLOAK_DATABASE", "dev-mem",
                "DEV_SMTP_PORT", String.valueOf(ApplicationProcess.freePort()),
                "DATABASE_URL", "jdbc:h2:mem:restart;DB_CLOSE_DELAY=-1");
    }

    private boolean realmAnswers(int port) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/realms/staff")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** The records a run keeps beside the managed Keycloak's database, one per server, named by its launcher. */
    private static List<Path> recordsOf(List<ProcessHandle> processes) {
        Path data = Path.of(System.getenv().getOrDefault("KEYCLOAK_HOME", "target/keycloak/keycloak-26.7.3"), "data");
        return processes.stream().map(process -> data.resolve(KeycloakPidFile.PREFIX + process.pid() + KeycloakPidFile.SUFFIX))
                .toList();
    }
}
