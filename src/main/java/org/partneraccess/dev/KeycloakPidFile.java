package org.partneraccess.dev;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * What a run records beside the managed Keycloak's database about the server it started: the JVM that owns it and
 * the server's processes. A JVM that dies without its shutdown hook ({@code kill -9}) leaves the server running; the
 * next run of the same checkout finds it here and stops it. One file per server, so runs side by side (the app and a
 * test run of the same checkout) never take each other's server for a leftover.
 */
final class KeycloakPidFile {

    static final String PREFIX = "partner-access-keycloak-";
    static final String SUFFIX = ".pid";
    private static final Duration GRACE = Duration.ofSeconds(20);
    private static final Duration START_TOLERANCE = Duration.ofSeconds(2);

    private final Path file;
    private final int port;
    private final int managementPort;

    private KeycloakPidFile(Path file, int port, int managementPort) {
        this.file = file;
        this.port = port;
        this.managementPort = managementPort;
    }

    /** Records the server just started (its launcher; {@link #update} adds the processes the launcher starts). */
    static KeycloakPidFile record(Path home, ProcessHandle server, int port, int managementPort) {
        KeycloakPidFile pidFile = new KeycloakPidFile(dataDirectory(home).resolve(PREFIX + server.pid() + SUFFIX),
                port, managementPort);
        pidFile.update(server);
        return pidFile;
    }

    /** Rewrites the record with the server and all its processes as they are now. */
    void update(ProcessHandle server) {
        List<Long> pids = new ArrayList<>();
        pids.add(server.pid());
        server.descendants().map(ProcessHandle::pid).forEach(pids::add);
        write(file, ProcessHandle.current(), port, managementPort, pids);
    }

    void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // the next run finds its processes gone and removes it
        }
    }

    static void write(Path file, ProcessHandle owner, int port, int managementPort, List<Long> pids) {
        Properties record = new Properties();
        record.setProperty("owner", String.valueOf(owner.pid()));
        owner.info().startInstant().ifPresent(started -> record.setProperty("owner-started", started.toString()));
        record.setProperty("port", String.valueOf(port));
        record.setProperty("management-port", String.valueOf(managementPort));
        record.setProperty("pids", pids.stream().map(String::valueOf).collect(Collectors.joining(",")));
        try {
            Files.createDirectories(file.getParent());
            try (Writer out = Files.newBufferedWriter(file)) {
                record.store(out, "the managed Keycloak started by the run 'owner'; removed when that run stops it");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Stops every server of this checkout whose run has ended without stopping it, and removes their records. A
     * recorded process is stopped only while its command line still names this distribution's directory: a pid the
     * system has since given to another program is left alone. Returns what was stopped, for the start-up message.
     */
    static List<String> stopLeftovers(Path home) {
        List<String> stopped = new ArrayList<>();
        for (Path file : recordFiles(home)) {
            Properties record = read(file);
            if (record == null || ownerAlive(record)) {
                continue;
            }
            Set<ProcessHandle> processes = new LinkedHashSet<>();
            for (long pid : pids(record)) {
                ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(process -> namesDirectory(process, home))
                        .ifPresent(process -> {
                            processes.add(process);
                            process.descendants().forEach(processes::add);
                        });
            }
            if (!processes.isEmpty()) {
                stop(List.copyOf(processes));
                stopped.add("the managed Keycloak on port " + record.getProperty("port") + " left running by an earlier"
                        + " run (process " + record.getProperty("owner") + ") that ended without stopping it");
            }
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return stopped;
    }

    /** The run of this checkout whose managed Keycloak holds the port, where one still runs. */
    static Optional<String> liveOwnerOf(Path home, int port) {
        for (Path file : recordFiles(home)) {
            Properties record = read(file);
            if (record != null && ownerAlive(record) && (String.valueOf(port).equals(record.getProperty("port"))
                    || String.valueOf(port).equals(record.getProperty("management-port")))) {
                return Optional.of(record.getProperty("owner"));
            }
        }
        return Optional.empty();
    }

    /** Stops processes gently, then by force, each by its own id (children too: a parent's end does not end them). */
    static void stop(List<ProcessHandle> processes) {
        processes.forEach(ProcessHandle::destroy);
        CompletableFuture<?> ended = CompletableFuture.allOf(processes.stream().map(ProcessHandle::onExit)
                .toArray(CompletableFuture[]::new));
        try {
            try {
                ended.get(GRACE.toSeconds(), TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                processes.forEach(ProcessHandle::destroyForcibly);
                ended.get(GRACE.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (TimeoutException | ExecutionException e) {
            throw new IllegalStateException("The managed Keycloak's processes " + processes.stream()
                    .map(process -> String.valueOf(process.pid())).toList() + " did not end", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            processes.forEach(ProcessHandle::destroyForcibly);
        }
    }

    static boolean namesDirectory(ProcessHandle process, Path home) {
        String directory = home.toAbsolutePath().normalize().toString();
        return process.info().commandLine().map(line -> line.contains(directory + "/")).orElse(false);
    }

    private static boolean ownerAlive(Properties record) {
        Optional<ProcessHandle> owner = ProcessHandle.of(Long.parseLong(record.getProperty("owner", "-1").trim()));
        if (owner.isEmpty() || !owner.get().isAlive()) {
            return false;
        }
        // a live process with that pid is the owner only if it started when the owner did (pids are reused); the
        // system's boot time, which start times derive from, may shift a little when the clock is adjusted
        String started = record.getProperty("owner-started");
        Optional<Instant> actual = owner.get().info().startInstant();
        return started == null || actual.isEmpty()
                || Duration.between(Instant.parse(started), actual.get()).abs().compareTo(START_TOLERANCE) <= 0;
    }

    private static List<Long> pids(Properties record) {
        return Arrays.stream(record.getProperty("pids", "").split(",")).map(String::trim).filter(pid -> !pid.isEmpty())
                .map(Long::parseLong).toList();
    }

    private static List<Path> recordFiles(Path home) {
        Path data = dataDirectory(home);
        if (!Files.isDirectory(data)) {
            return List.of();
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> found = Files.newDirectoryStream(data, PREFIX + "*" + SUFFIX)) {
            found.forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private static Properties read(Path file) {
        Properties record = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            record.load(in);
            Long.parseLong(record.getProperty("owner", "").trim());
            return record;
        } catch (IOException | NumberFormatException e) {
            // half written by a run killed at that moment: its server is still found by the port check
            return null;
        }
    }

    private static Path dataDirectory(Path home) {
        return home.toAbsolutePath().normalize().resolve("data");
    }
}
