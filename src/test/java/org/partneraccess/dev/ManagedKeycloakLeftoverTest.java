package org.partneraccess.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a start finds of earlier runs, without a Keycloak: a server whose run died is stopped, a live run's server and a
 * reused pid are left alone, and a port held by anyone else fails the start at once, saying what to do. The
 * distribution here is a script in a temporary directory; the real restart is {@code ManagedKeycloakRestartIT}.
 */
class ManagedKeycloakLeftoverTest {

    private final List<Process> started = new ArrayList<>();

    @TempDir
    Path home;

    @AfterEach
    void stopWhatTheTestStarted() {
        for (Process process : started) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    @Test
    void aServerLeftByARunThatDiedIsStoppedWithItsChildren() throws Exception {
        Process leftover = fakeServer();
        ProcessHandle child = await().until(() -> leftover.descendants().findFirst(), found -> found.isPresent()).orElseThrow();
        ProcessHandle deadRun = deadProcess();
        Path record = record(deadRun, leftover, 18180);

        List<String> stopped = KeycloakPidFile.stopLeftovers(home);

        assertThat(stopped).singleElement().asString()
                .contains("port 18180", "left running by an earlier run (process " + deadRun.pid() + ")");
        assertThat(leftover.toHandle().isAlive()).isFalse();
        await().atMost(Duration.ofSeconds(10)).until(() -> !child.isAlive());
        assertThat(record).doesNotExist();
    }

    @Test
    void theServerOfARunThatIsStillRunningIsLeftAlone() throws Exception {
        Process running = fakeServer();
        Path record = record(ProcessHandle.current(), running, 18180);

        assertThat(KeycloakPidFile.stopLeftovers(home)).isEmpty();

        assertThat(running.isAlive()).isTrue();
        assertThat(record).exists();
    }

    /** The owner's pid now names a process that started at another time: the run that owned the server has ended. */
    @Test
    void aRunWhosePidNowNamesAnotherProcessHasEnded() throws Exception {
        Process leftover = fakeServer();
        Path record = record(ProcessHandle.current(), leftover, 18180);
        Files.writeString(record, Files.readString(record).replaceAll("(?m)^owner-started=.*$",
                "owner-started=2000-01-01T00\\\\:00\\\\:00Z"));

        assertThat(KeycloakPidFile.stopLeftovers(home)).hasSize(1);

        assertThat(leftover.isAlive()).isFalse();
        assertThat(record).doesNotExist();
    }

    /** The system gives a dead server's pid to the next process: one that does not name this directory is not ours. */
    @Test
    void aRecordedPidNowHeldByAnotherProgramIsLeftAlone() throws Exception {
        Process other = start(new ProcessBuilder("sleep", "300"));
        Path record = record(deadProcess(), other, 18180);

        assertThat(KeycloakPidFile.stopLeftovers(home)).isEmpty();

        assertThat(other.isAlive()).isTrue();
        assertThat(record).as("a record of nothing left").doesNotExist();
    }

    @Test
    void aPortHeldByAnotherProgramFailsTheStartAtOnceSayingWhatToDo() throws Exception {
        distribution();
        try (ServerSocket foreign = new ServerSocket(0)) {
            int port = foreign.getLocalPort();

            assertThatThrownBy(() -> ManagedKeycloak.ensureStarted(settings(port, 0)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("Port " + port + " for the managed Keycloak is in use by a program that is"
                            + " not this checkout's managed Keycloak: stop it (lsof -i :" + port + " names it)")
                    .hasMessageContaining("MANAGED_KEYCLOAK_PORT")
                    .hasMessageContaining("KEYCLOAK_URL");
        }
        assertThat(home.resolve("started")).as("no server launched").doesNotExist();
    }

    @Test
    void aManagementPortHeldByAnotherProgramFailsTheStartToo() throws Exception {
        distribution();
        try (ServerSocket foreign = new ServerSocket(0)) {
            int port = foreign.getLocalPort();

            assertThatThrownBy(() -> ManagedKeycloak.ensureStarted(settings(0, port)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("Management port " + port + " for the managed Keycloak is in use")
                    .hasMessageContaining("MANAGED_KEYCLOAK_MANAGEMENT_PORT");
        }
        assertThat(home.resolve("started")).doesNotExist();
    }

    /** Two runs of one checkout on one port: the second names the first rather than a stranger. */
    @Test
    void aPortHeldByTheServerOfAnotherLiveRunNamesThatRun() throws Exception {
        distribution();
        try (ServerSocket held = new ServerSocket(0)) {
            int port = held.getLocalPort();
            KeycloakPidFile.write(home.resolve("data").resolve(KeycloakPidFile.PREFIX + "1" + KeycloakPidFile.SUFFIX),
                    ProcessHandle.current(), port, 0, List.of());

            assertThatThrownBy(() -> ManagedKeycloak.ensureStarted(settings(port, 0)))
                    .hasMessageStartingWith("Port " + port + " for the managed Keycloak is in use by the managed Keycloak"
                            + " of another run of this checkout, which is still running (process "
                            + ProcessHandle.current().pid() + "): stop that run");
        }
    }

    /** A stand-in for kc.sh: a script of this directory that starts a child, as kc.sh starts Keycloak's JVM. */
    private Process fakeServer() throws IOException {
        Path script = executable(home.resolve("bin/kc.sh"), "#!/bin/sh\nsleep 300 &\nwait\n");
        return start(new ProcessBuilder(script.toString()));
    }

    /** A distribution whose kc.sh only leaves a mark: the port checks must fail before it is run. */
    private void distribution() throws IOException {
        executable(home.resolve("bin/kc.sh"), "#!/bin/sh\ntouch \"" + home.resolve("started") + "\"\n");
    }

    private ManagedKeycloak.Settings settings(int port, int managementPort) {
        return new ManagedKeycloak.Settings(home, port, managementPort, "dev-mem", Duration.ofSeconds(5), "127.0.0.1", 25);
    }

    private Path record(ProcessHandle owner, Process server, int port) {
        Path file = home.resolve("data").resolve(KeycloakPidFile.PREFIX + server.pid() + KeycloakPidFile.SUFFIX);
        KeycloakPidFile.write(file, owner, port, port + 1000, List.of(server.pid()));
        return file;
    }

    private static ProcessHandle deadProcess() throws Exception {
        Process process = new ProcessBuilder("true").start();
        process.waitFor();
        return process.toHandle();
    }

    private Process start(ProcessBuilder builder) throws IOException {
        Process process = builder.start();
        started.add(process);
        return process;
    }

    private static Path executable(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }
}
