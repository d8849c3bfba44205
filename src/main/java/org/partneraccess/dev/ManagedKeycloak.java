package org.partneraccess.dev;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * A real Keycloak server started from the distribution the build unpacks, for development and tests.
 * One per JVM: every Spring context of a test run shares it; a JVM shutdown hook stops it. A JVM killed before its
 * hook runs leaves the server running: the next start of the same distribution stops it (see {@link KeycloakPidFile}).
 */
public final class ManagedKeycloak {

    public static final String STAFF_CLIENT_SECRET_ENV = "PARTNER_ACCESS_STAFF_CLIENT_SECRET";
    public static final String PROVISIONER_SECRET_ENV = "PARTNER_ACCESS_PROVISIONER_SECRET";
    public static final String INTROSPECTOR_SECRET_ENV = "PARTNER_ACCESS_INTROSPECTOR_SECRET";
    /** Of the staff realm's client for a SIEM or SOAR that reports incidents. */
    public static final String INCIDENT_REPORTER_SECRET_ENV = "PARTNER_ACCESS_INCIDENT_REPORTER_SECRET";
    /** The master realm's administrator; its password is generated, see {@link #adminPassword()}. */
    public static final String ADMIN_USERNAME = "admin";
    /** Keycloak's variable for the first administrator's password, and its key in the secrets file. */
    public static final String ADMIN_PASSWORD_ENV = "KC_BOOTSTRAP_ADMIN_PASSWORD";
    /** Where the server listens, HTTP and management interface alike: never another host's reach. */
    public static final String BIND_ADDRESS = "127.0.0.1";
    /** The file beside the server's database holding its generated secrets and admin password. */
    public static final String SECRETS_FILE = "partner-access-dev-secrets.properties";
    /** The password every managed Keycloak had before it was generated; replaced where an old database still has it. */
    private static final String FORMER_ADMIN_PASSWORD = "admin";
    /**
     * Keycloak features the application relies on, named although 26.7 has them on by default, so that a release that
     * switches one off fails at start here rather than in a partner's token request: federated client authentication
     * and the Kubernetes service-account issuer (a partnership's workload trust). Production sets the same in
     * {@code KC_FEATURES}.
     */
    static final String FEATURES = "client-auth-federated,kubernetes-service-accounts";
    /** Keycloak's SPIFFE provider, a preview: added only with {@code partner-access.trust.spiffe.enabled}. */
    static final String SPIFFE_FEATURE = "spiffe";
    /** Where the themes are on the class path (from {@code keycloak-realm/themes/}). */
    private static final String THEMES = "keycloak-realm/themes/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ManagedKeycloak running;

    private final Settings settings;
    private final Map<String, String> secrets;
    private final int port;
    private int managementPort;
    private Process process;
    private KeycloakPidFile pidFile;
    private List<String> stoppedLeftovers = List.of();
    private Duration startupTime = Duration.ZERO;

    /**
     * {@code smtpHost} and {@code smtpPort}: where the partner realm sends its invitation mails; {@code spiffe}: run
     * with Keycloak's preview feature {@code spiffe} too (only when SPIFFE trust domains are switched on).
     */
    public record Settings(Path home, int port, int managementPort, String database, Duration startupTimeout,
                           String smtpHost, int smtpPort, boolean spiffe) {

        public Settings(Path home, int port, int managementPort, String database, Duration startupTimeout,
                        String smtpHost, int smtpPort) {
            this(home, port, managementPort, database, startupTimeout, smtpHost, smtpPort, false);
        }
    }

    private ManagedKeycloak(Settings settings) {
        this.settings = settings;
        // before anything is written beside it
        requireDistribution();
        this.port = settings.port() == 0 ? freePort() : settings.port();
        this.secrets = loadOrCreateSecrets(secretsFile(), persistent());
    }

    /** The instance this JVM started; tests read its generated secrets. */
    public static synchronized ManagedKeycloak current() {
        if (running == null) {
            throw new IllegalStateException("No managed Keycloak was started in this JVM");
        }
        return running;
    }

    /** Starts the server once per JVM and returns it; later calls return the running one. */
    public static synchronized ManagedKeycloak ensureStarted(Settings settings) {
        if (running == null) {
            ManagedKeycloak keycloak = new ManagedKeycloak(settings);
            keycloak.start();
            Runtime.getRuntime().addShutdownHook(new Thread(keycloak::stop, "managed-keycloak-stop"));
            running = keycloak;
        }
        return running;
    }

    public String url() {
        return "http://localhost:" + port;
    }

    public String secret(String name) {
        return secrets.get(name);
    }

    /**
     * The password of {@link #ADMIN_USERNAME} in the master realm: generated at the first start and kept in
     * {@link #secretsFile()} for the next ones (a fresh one per start with an in-memory database).
     */
    public String adminPassword() {
        return secrets.get(ADMIN_PASSWORD_ENV);
    }

    /** Where the generated secrets and the admin password are kept (nothing is written for an in-memory database). */
    public Path secretsFile() {
        return settings.home().toAbsolutePath().normalize().resolve("data").resolve(SECRETS_FILE);
    }

    /** The port of the management interface (health and metrics, where enabled). */
    public int managementPort() {
        return managementPort;
    }

    private Path requireDistribution() {
        Path home = settings.home().toAbsolutePath().normalize();
        Path kcScript = home.resolve("bin/kc.sh");
        if (!Files.isExecutable(kcScript)) {
            throw new IllegalStateException("No Keycloak distribution at " + home
                    + ": run the build once (./mvnw generate-resources) or set KEYCLOAK_URL to use an external server");
        }
        return kcScript;
    }

    private void start() {
        Path home = settings.home().toAbsolutePath().normalize();
        Path kcScript = requireDistribution();
        // A server left by a run that ended without its shutdown hook (kill -9) is stopped, not reused: it runs with
        // that run's settings (mail port, realm files; with an in-memory database, secrets nobody holds any more) and
        // may hold the database's lock, so only a fresh start gives this run the server it configures.
        stoppedLeftovers = KeycloakPidFile.stopLeftovers(home);
        managementPort = settings.managementPort() == 0 ? freePort() : settings.managementPort();
        requireFree(port, "Port", "partner-access.managed-keycloak.port (MANAGED_KEYCLOAK_PORT)", home);
        requireFree(managementPort, "Management port", "partner-access.managed-keycloak.management-port"
                + " (MANAGED_KEYCLOAK_MANAGEMENT_PORT)", home);
        copyRealms(home.resolve("data/import"));
        copyThemes(home.resolve("themes"));
        ProcessBuilder builder = new ProcessBuilder(kcScript.toString(), "start-dev",
                "--http-host=" + BIND_ADDRESS, "--http-port=" + port,
                "--http-management-host=" + BIND_ADDRESS, "--http-management-port=" + managementPort,
                "--db=" + settings.database(), "--import-realm",
                "--features=" + FEATURES + (settings.spiffe() ? "," + SPIFFE_FEATURE : ""))
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("data/partner-access-keycloak.log").toFile());
        Map<String, String> env = builder.environment();
        env.putAll(secrets);
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USERNAME);
        env.put(ADMIN_PASSWORD_ENV, adminPassword());
        env.put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
        // Keycloak 26 locks a user out for a minute when two of their logins overlap, even with the right password
        // (scripts and tests sign the same demo user in at once); failed logins still count toward the lockout
        env.put("KC_SPI_BRUTE_FORCE_PROTECTOR_DEFAULT_BRUTE_FORCE_DETECTOR_ALLOW_CONCURRENT_REQUESTS", "true");
        env.put("PARTNER_ACCESS_SMTP_HOST", settings.smtpHost());
        env.put("PARTNER_ACCESS_SMTP_PORT", String.valueOf(settings.smtpPort()));
        Instant begin = Instant.now();
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Managed Keycloak did not start", e);
        }
        try {
            pidFile = KeycloakPidFile.record(home, process.toHandle(), port, managementPort);
            awaitReady(begin);
            // the launcher script has started the server's JVM by now
            pidFile.update(process.toHandle());
            ensureGeneratedAdminPassword();
        } catch (RuntimeException e) {
            // nothing of a failed start outlives it
            try {
                stop();
            } catch (RuntimeException notStopped) {
                e.addSuppressed(notStopped);
            }
            throw e;
        }
        startupTime = Duration.between(begin, Instant.now());
    }

    /** A port held by someone else fails the start at once, saying by whom where it is known and what to do. */
    private static void requireFree(int port, String what, String setting, Path home) {
        if (portFree(port)) {
            return;
        }
        String holder = KeycloakPidFile.liveOwnerOf(home, port)
                .map(owner -> "by the managed Keycloak of another run of this checkout, which is still running (process "
                        + owner + "): stop that run")
                .orElse("by a program that is not this checkout's managed Keycloak: stop it (lsof -i :" + port
                        + " names it)");
        throw new IllegalStateException(what + " " + port + " for the managed Keycloak is in use " + holder
                + ", or set " + setting + " to a free port (0: any free one), or set KEYCLOAK_URL to use a Keycloak"
                + " of your own");
    }

    /** Where it is, for a person to follow: the URLs and Keycloak's own log file. */
    public String summary() {
        return "Managed Keycloak is up at " + url() + " after " + startupTime.toSeconds() + " s: admin console "
                + url() + "/admin, staff realm " + url() + "/realms/staff/account, partner realm " + url()
                + "/realms/partner/account (demo users: password 'demo'); log " + settings.home().toAbsolutePath()
                .normalize().resolve("data/partner-access-keycloak.log") + "; listening on " + BIND_ADDRESS + " only; "
                + "admin console user '" + ADMIN_USERNAME + "', its generated password "
                + (persistent() ? "is " + ADMIN_PASSWORD_ENV + " in " + secretsFile()
                        : "is not stored (in-memory database: new secrets every start)")
                + (stoppedLeftovers.isEmpty() ? "" : "; stopped first: " + String.join("; ", stoppedLeftovers));
    }

    private void awaitReady(Instant begin) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(url() + "/realms/partner/.well-known/openid-configuration"))
                .timeout(Duration.ofSeconds(5)).build();
        Instant deadline = begin.plus(settings.startupTimeout());
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Managed Keycloak exited with " + process.exitValue()
                        + "; see data/partner-access-keycloak.log in " + settings.home());
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200
                        && realmAnswers(http, "staff")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop();
                throw new IllegalStateException("Interrupted while waiting for Keycloak", e);
            }
            sleep(Duration.ofMillis(500));
        }
        stop();
        throw new IllegalStateException("Managed Keycloak did not answer within " + settings.startupTimeout());
    }

    private boolean realmAnswers(HttpClient http, String realm) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url() + "/realms/" + realm)).timeout(Duration.ofSeconds(5)).build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    }

    /** Stops the server and its JVM: kc.sh stays the parent of the Java process. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> processes = new ArrayList<>(process.descendants().toList());
        processes.add(process.toHandle());
        process = null;
        KeycloakPidFile.stop(processes);
        if (pidFile != null) {
            pidFile.delete();
            pidFile = null;
        }
    }

    /**
     * The realms as production imports them, and beside them the demo users of {@code keycloak-realm/dev/}
     * ({@code <realm>-users-<n>.json}, which Keycloak's directory import adds to a realm it creates).
     */
    private void copyRealms(Path importDir) {
        try {
            Files.createDirectories(importDir);
            PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();
            Resource[] realms = resolver.getResources("classpath*:keycloak-realm/*-realm.json");
            if (realms.length == 0) {
                throw new IllegalStateException("No realm files on the classpath under keycloak-realm/");
            }
            Resource[] devUsers = resolver.getResources("classpath*:keycloak-realm/dev/*-users-*.json");
            for (Resource file : concat(realms, devUsers)) {
                try (InputStream in = file.getInputStream()) {
                    Files.copy(in, importDir.resolve(file.getFilename()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The application's themes (the partner realm's invitation mail), where the server looks for them. */
    private void copyThemes(Path themesDir) {
        try {
            for (Resource file : new PathMatchingResourcePatternResolver().getResources("classpath*:" + THEMES + "**/*.*")) {
                String url = file.getURL().toString();
                Path target = themesDir.resolve(url.substring(url.lastIndexOf(THEMES) + THEMES.length())).normalize();
                if (!target.startsWith(themesDir)) {
                    continue;
                }
                Files.createDirectories(target.getParent());
                try (InputStream in = file.getInputStream()) {
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Resource[] concat(Resource[] first, Resource[] second) {
        Resource[] all = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    /**
     * Checks that the administrator signs in with the generated password. A database made before the password was
     * generated still has the former fixed one: it is replaced by the generated one, so no managed Keycloak keeps
     * accepting it. Any other password is unknown, and the start fails with what to do.
     */
    private void ensureGeneratedAdminPassword() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try {
            if (adminToken(http, adminPassword()) != null) {
                return;
            }
            String token = adminToken(http, FORMER_ADMIN_PASSWORD);
            if (token == null) {
                throw new IllegalStateException("The managed Keycloak's administrator does not sign in with the password"
                        + " in " + secretsFile() + ": its database (" + databaseDirectory() + ") was set up with"
                        + " another one. Delete " + databaseDirectory() + " (or run ./mvnw clean) so it is set up afresh");
            }
            String bearer = "Bearer " + token;
            HttpResponse<String> users = http.send(HttpRequest.newBuilder(URI.create(url()
                    + "/admin/realms/master/users?exact=true&username=" + ADMIN_USERNAME))
                    .header("Authorization", bearer).build(), HttpResponse.BodyHandlers.ofString());
            String id = JSON.readTree(users.body()).path(0).path("id").asText();
            String credential = JSON.writeValueAsString(Map.of("type", "password", "value", adminPassword(),
                    "temporary", false));
            HttpResponse<String> reset = http.send(HttpRequest.newBuilder(URI.create(url()
                            + "/admin/realms/master/users/" + id + "/reset-password"))
                    .header("Authorization", bearer).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(credential)).build(), HttpResponse.BodyHandlers.ofString());
            if (reset.statusCode() / 100 != 2 || adminToken(http, adminPassword()) == null) {
                throw new IllegalStateException("The managed Keycloak did not take the generated admin password ("
                        + reset.statusCode() + ")");
            }
        } catch (IOException e) {
            stop();
            throw new UncheckedIOException("Could not check the managed Keycloak's admin password", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            throw new IllegalStateException("Interrupted while checking the managed Keycloak's admin password", e);
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    /** An access token of the master realm's administrator with this password, or null where it is refused. */
    private String adminToken(HttpClient http, String password) throws IOException, InterruptedException {
        String form = "grant_type=password&client_id=admin-cli&username=" + ADMIN_USERNAME + "&password="
                + URLEncoder.encode(password, StandardCharsets.UTF_8);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create(url() + "/realms/master/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? JSON.readTree(response.body()).path("access_token").asText() : null;
    }

    private boolean persistent() {
        return !"dev-mem".equals(settings.database());
    }

    /** Where {@code --db=dev-file} keeps the server's database. */
    private Path databaseDirectory() {
        return settings.home().toAbsolutePath().normalize().resolve("data").resolve("h2");
    }

    /**
     * Client secrets of the dev realms and the master realm's admin password are made here, never committed. A
     * file-based dev database keeps its realms between runs, so its secrets are kept beside it (readable by the owner
     * only); an in-memory one gets fresh secrets every start.
     */
    static Map<String, String> loadOrCreateSecrets(Path file, boolean persistent) {
        Properties stored = new Properties();
        if (persistent && Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                stored.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Map<String, String> result = new LinkedHashMap<>();
        for (String name : new String[] {STAFF_CLIENT_SECRET_ENV, PROVISIONER_SECRET_ENV, INTROSPECTOR_SECRET_ENV,
                INCIDENT_REPORTER_SECRET_ENV, ADMIN_PASSWORD_ENV}) {
            result.put(name, stored.getProperty(name, randomSecret()));
        }
        if (persistent) {
            try {
                Files.createDirectories(file.getParent());
                Properties out = new Properties();
                out.putAll(result);
                Files.deleteIfExists(file);
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                try (var writer = Files.newBufferedWriter(file)) {
                    out.store(writer, "secrets of the managed development Keycloak");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return result;
    }

    private static String randomSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean portFree(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
