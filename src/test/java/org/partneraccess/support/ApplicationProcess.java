package org.partneraccess.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.partneraccess.dev.ManagedKeycloak;

/**
 * The application started as a JVM of its own, from the classpath of the running tests and with the run command's JVM
 * options, as a second node or to time a start from nothing. Configured through environment variables only, as in production; its output goes to a file.
 * {@link #close()} stops it gracefully (which stops a managed Keycloak it started), then by force.
 */
public final class ApplicationProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;
    private final long startedNanos = System.nanoTime();

    private ApplicationProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * The environment of a node on a database of its own, as production configures it: the database, the managed
     * Keycloak's address and the application's client secrets, and the mail server; callers add what their case needs.
     */
    public static Map<String, String> nodeEnvironment(String databaseUrl, String user, String password,
                                                      String keycloakUrl, int smtpPort) {
        ManagedKeycloak managed = ManagedKeycloak.current();
        Map<String, String> env = new HashMap<>();
        env.put("DATABASE_URL", databaseUrl);
        env.put("DATABASE_USERNAME", user);
        env.put("DATABASE_PASSWORD", password);
        env.put("KEYCLOAK_URL", keycloakUrl);
        env.put("KEYCLOAK_CLIENT_SECRET", managed.secret(ManagedKeycloak.PROVISIONER_SECRET_ENV));
        env.put("KEYCLOAK_STAFF_CLIENT_SECRET", managed.secret(ManagedKeycloak.STAFF_CLIENT_SECRET_ENV));
        env.put("KEYCLOAK_INTROSPECTOR_SECRET", managed.secret(ManagedKeycloak.INTROSPECTOR_SECRET_ENV));
        env.put("SMTP_HOST", "127.0.0.1");
        env.put("SMTP_PORT", String.valueOf(smtpPort));
        return env;
    }

    /** Starts {@code PartnerAccessApplication} on a free port; {@code env} adds to or overrides the defaults. */
    public static ApplicationProcess start(String name, Map<String, String> env) {
        List<String> command = jvmWithOptions();
        command.addAll(List.of("-cp", classPath(), "org.partneraccess.PartnerAccessApplication"));
        return launch(name, command, env);
    }

    /**
     * Starts the packaged application as production does, {@code java <JVM options> -jar} with the options the
     * operations guide recommends (the run command's; tiered JIT), on a free port.
     */
    public static ApplicationProcess startJar(String name, Map<String, String> env) {
        Path jar = Path.of(System.getProperty("application.jar", "target/partner-access.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("No packaged application at " + jar + ": run the build's package phase first");
        }
        List<String> command = jvmWithOptions();
        command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
        return launch(name, command, env);
    }

    /** The JVM options of the run command and of production (the pom's {@code application.jvm-arguments}). */
    public static String jvmOptions() {
        return System.getProperty("application.jvm-arguments", "").trim();
    }

    private static List<String> jvmWithOptions() {
        List<String> command = new ArrayList<>(List.of(java()));
        Arrays.stream(jvmOptions().split("\\s+")).filter(option -> !option.isBlank()).forEach(command::add);
        return command;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static ApplicationProcess launch(String name, List<String> command, Map<String, String> env) {
        int port = freePort();
        Path log = Path.of("target", "application-process", name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        try {
            Files.createDirectories(log.getParent());
            builder.redirectOutput(log.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        builder.environment().put("PORT", String.valueOf(port));
        builder.environment().putAll(env);
        try {
            return new ApplicationProcess(builder.start(), port, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The running tests' class path, each entry once and without empty entries: Maven's test runner ends it with a separator, and an empty
     * entry means the working directory, whose {@code bpmn/} and {@code forms/} the engine would then deploy twice.
     */
    private static String classPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.isBlank()).distinct().collect(Collectors.joining(File.pathSeparator));
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://localhost:" + port;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    /** Waits until the path answers 200 and returns the time since the process was started. */
    public Duration awaitOk(String path, Duration timeout) throws InterruptedException {
        return await(path, HttpClient.Redirect.NEVER, timeout);
    }

    /**
     * Waits until the path, its redirects followed (a signed-out user's way to the sign-in page), answers 200, and
     * returns the time since the process was started.
     */
    public Duration awaitOkAfterRedirects(String path, Duration timeout) throws InterruptedException {
        return await(path, HttpClient.Redirect.ALWAYS, timeout);
    }

    private Duration await(String path, HttpClient.Redirect redirects, Duration timeout)
            throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).followRedirects(redirects).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        int last = 0;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The application exited with " + process.exitValue() + "; see " + log);
            }
            try {
                last = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (last == 200) {
                    return Duration.ofNanos(System.nanoTime() - startedNanos);
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(path + " did not answer 200 within " + timeout + " (last: " + last
                + "); see " + log);
    }

    /** Waits until the application ends by itself (a failed start must let it) and returns its exit code. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("The application was still running " + timeout + " after its start; see " + log);
        }
        return process.exitValue();
    }

    /** Resident memory of the application's JVM alone (not of processes it started), in MiB. */
    public long rssMiB() {
        return rssMiB(process.pid());
    }

    /** Resident memory of a process from {@code /proc/<pid>/status} (Linux), in MiB; -1 where it cannot be read. */
    public static long rssMiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** Ends the JVM as {@code kill -9} would: no shutdown hook, no graceful stop, work in flight simply lost. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("The application did not die within 30 s of SIGKILL");
        }
    }

    @Override
    public void close() {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // whatever the graceful stop left behind (e.g. a managed Keycloak), by its own id
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
