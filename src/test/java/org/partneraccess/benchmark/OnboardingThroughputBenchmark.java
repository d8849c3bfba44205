package org.partneraccess.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.TaskService;
import org.junit.jupiter.api.Test;
import org.partneraccess.keycloak.PartnerClients.AuthMethod;
import org.partneraccess.keycloak.PartnerClients.MachineClient;
import org.partneraccess.keycloak.KeycloakRejectedException;
import org.partneraccess.keycloak.KeycloakUnavailableException;
import org.partneraccess.keycloak.PartnerClients;
import org.partneraccess.machine.MachineFixtures.PartnerKey;
import org.partneraccess.machine.MachineFixtures;
import org.partneraccess.partnership.PartnershipService;
import org.partneraccess.postgres.FreshPostgresDatabase;
import org.partneraccess.support.ApplicationProcess;
import org.partneraccess.support.PartnerAccessClient;
import org.partneraccess.support.PartnerAccessTest;
import org.partneraccess.support.Tokens;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.util.FileSystemUtils;

/**
 * Issue 6, figures 5 and 7 (memory): auto-approved machine registrations per second, sustained by concurrent requesters
 * for a fixed time, counted as identities ACTIVE in the registry (their Keycloak client provisioned); and each
 * application JVM's resident memory under that load. In the full run the application runs as JVMs of their own with
 * the production configuration, side by side: on H2, on PostgreSQL, and as two nodes sharing PostgreSQL.
 */
@PartnerAccessTest
class OnboardingThroughputBenchmark {

    /** Staff tokens live 5 minutes; a run with its drain takes longer. */
    private static final Duration TOKEN_REFRESH = Duration.ofMinutes(2);
    private static final String PRODUCTION_LAUNCH = "PostgreSQL, one node, `java -jar`";
    private static final String HISTORY_AUDIT = "… with history level `audit`";
    private static final String JOB_EXECUTOR_16 = "… with 16 job threads, 16 jobs per acquisition";
    /** How often the database is asked who waits for a lock: often enough to see waits of a few milliseconds. */
    private static final Duration LOCK_SAMPLE = Duration.ofMillis(50);
    private static final String DMN_EVALUATIONS = "select count(*) from act_hi_decinst";
    /** The provisioned machines of the run's partnerships, whose keys follow as parameters. */
    private static final String ACTIVE_MACHINES = "select count(*) from partner_identity where kind = 'MACHINE' "
            + "and state = 'ACTIVE' and partnership_key in ";

    @LocalServerPort
    int port;
    @Value("${partner-access.keycloak.url}")
    String keycloakUrl;
    @Value("${spring.datasource.url}")
    String database;
    @Autowired
    TaskService tasks;
    @Autowired
    IdentityService identity;
    @Autowired
    PartnershipService partnerships;
    @Autowired
    ManagementService management;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PartnerClients partnerClients;

    private final PartnerKey key = PartnerKey.generate();

    @Test
    void autoApprovedRegistrationsPerSecond() throws Exception {
        // one requester in the smoke: it shares its JVM with the integration tests
        int requesters = BenchmarkReport.size(1, 16, 16);
        List<Run> runs = new ArrayList<>();
        Direct direct = null;
        if (BenchmarkReport.MEASURING) {
            // the issue's 60 s sustained; -Dbenchmark.throughput.seconds=20 gives a quicker look while tuning
            Duration window = Duration.ofSeconds(Integer.getInteger("benchmark.throughput.seconds", 60));
            GreenMail mail = new GreenMail(new ServerSetup(ApplicationProcess.freePort(), "127.0.0.1",
                    ServerSetup.PROTOCOL_SMTP));
            mail.start();
            try {
                runs.add(onPostgres(new Layout(PRODUCTION_LAUNCH, 1, true, Map.of()), "jar", mail, window, requesters));
                // a rate, stable after a few hundred clients; its clients' removal afterwards costs as long again
                direct = direct(Duration.ofSeconds(Integer.getInteger("benchmark.throughput.direct-seconds",
                        BenchmarkReport.size(0, 20, 60))), requesters);
                // the engine settings the production configuration chose, each against its alternative: a node of its
                // own each, minutes of set-up, so in the full run (or on request) only
                if (BenchmarkReport.FULL_SIZE || Boolean.getBoolean("benchmark.throughput.variants")) {
                    Duration variantWindow = Duration.ofSeconds(Integer.getInteger("benchmark.throughput.variant-seconds",
                            20));
                    runs.add(onPostgres(new Layout(HISTORY_AUDIT, 1, true, Map.of("CAMUNDA_BPM_HISTORYLEVEL", "audit")),
                            "audit", mail, variantWindow, requesters));
                    runs.add(onPostgres(new Layout(JOB_EXECUTOR_16, 1, true, Map.of(
                            "CAMUNDA_BPM_JOBEXECUTION_COREPOOLSIZE", "16", "CAMUNDA_BPM_JOBEXECUTION_MAXPOOLSIZE", "16",
                            "CAMUNDA_BPM_JOBEXECUTION_QUEUECAPACITY", "32",
                            "CAMUNDA_BPM_JOBEXECUTION_MAXJOBSPERACQUISITION", "16")), "jobs16", mail, variantWindow,
                            requesters));
                }
                // the other layouts only on request: the default run stays within its time budget
                if (Boolean.getBoolean("benchmark.throughput.all")) {
                    Path h2 = Path.of("target", "benchmarks", "h2-node").toAbsolutePath();
                    FileSystemUtils.deleteRecursively(h2);
                    runs.add(onNodes(new Layout("H2, one node", 1, false, Map.of()), "jdbc:h2:file:"
                            + h2.resolve("partner-access") + ";AUTO_SERVER=TRUE", "sa", "", mail, window, requesters));
                    runs.add(onPostgres(new Layout("PostgreSQL, two nodes", 2, false, Map.of()), "two", mail, window,
                            requesters));
                }
            } finally {
                mail.stop();
            }
        }
        // in this JVM: the smoke's only run, and in the full run the expiry storm's machines
        PartnerAccessClient client = new PartnerAccessClient(port, keycloakUrl);
        String partnership = MachineFixtures.activePartnership(client, tasks, identity, partnerships, false);
        Run inJvm = measure("H2, benchmark JVM (test profile)", List.of(new Node(port, ProcessHandle.current().pid())),
                jdbc, List.of(partnership), Duration.ofSeconds(BenchmarkReport.size(5, 10, 30)), requesters);
        assertThat(inJvm.accepted.get()).isPositive();
        runs.add(inJvm);
        BenchmarkReport.section("throughput", report(runs, direct, requesters));
    }

    /**
     * The reference: the same clients created straight through the admin API ({@link PartnerClients#ensureMachineClient},
     * the provisioning job's own call) by as many threads for as long, from this JVM; removed afterwards, untimed.
     */
    private Direct direct(Duration window, int threads) throws Exception {
        Direct direct = new Direct();
        String jwks = new ObjectMapper().writeValueAsString(key.jwks());
        List<String[]> created = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        long end = start + window.toNanos();
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            running.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    String clientId = "raw-" + UUID.randomUUID();
                    String identityId = UUID.randomUUID().toString();
                    long sent = System.nanoTime();
                    try {
                        partnerClients.ensureMachineClient(new MachineClient(clientId, clientId, "benchmark: direct",
                                "raw-throughput", identityId, List.of("orders.read"), Duration.ofSeconds(60),
                                AuthMethod.SIGNED_JWT, null, jwks));
                    } catch (KeycloakUnavailableException | KeycloakRejectedException e) {
                        // counted like the workflow's refused registrations, not a reason to stop the loop
                        direct.failed.incrementAndGet();
                        continue;
                    }
                    direct.create.recordNanos(System.nanoTime() - sent);
                    created.add(new String[] {clientId, identityId});
                }
                return null;
            }));
        }
        while (System.nanoTime() < end) {
            Thread.sleep(2000);
            direct.loadSum += ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            direct.samples++;
        }
        for (Future<?> thread : running) {
            thread.get();
        }
        direct.seconds = (System.nanoTime() - start) / 1e9;
        direct.created = created.size();
        // best effort: a removal that times out on a loaded host leaves a disabled-by-nobody test client, not a result
        List<Future<?>> removals = created.stream().map(client -> pool.submit(() -> partnerClients.deleteClient(client[0],
                client[1]))).collect(Collectors.toList());
        List<String[]> left = new ArrayList<>();
        for (int i = 0; i < removals.size(); i++) {
            try {
                removals.get(i).get();
            } catch (ExecutionException e) {
                left.add(created.get(i));
            }
        }
        pool.shutdown();
        // once more, one at a time, after the burst: a removal that timed out under load usually goes through now
        long failed = left.stream().filter(client -> {
            try {
                partnerClients.deleteClient(client[0], client[1]);
                return false;
            } catch (RuntimeException e) {
                return true;
            }
        }).count();
        assertThat(failed).as("direct clients left after their removal failed").isLessThan(Math.max(1, created.size() / 10));
        return direct;
    }

    /** What the direct admin-API loop sustained. */
    private static final class Direct {
        final Figures create = new Figures("direct: client created through the admin API");
        final AtomicLong failed = new AtomicLong();
        double seconds;
        long created;
        double loadSum;
        long samples;

        double rate() {
            return created / seconds;
        }
    }

    /** One application JVM the load goes to: its HTTP port and its process id (for its resident memory). */
    private record Node(int port, long pid) {
    }

    /** What one configuration sustained. */
    private static final class Run {
        final String label;
        final int nodes;
        final Figures post = new Figures("POST …/machines");
        final AtomicLong accepted = new AtomicLong();
        final Map<Integer, AtomicLong> refused = new ConcurrentSkipListMap<>();
        double seconds;
        long activeAtEnd;
        long jobsLeft;
        double drainSeconds;
        long activeAfterDrain;
        long rssStart;
        long rssPeak;
        double keycloakSeconds;
        double keycloakCalls;
        double dbPoolSize;
        double dbActivePeak;
        double dbPendingPeak;
        /** PostgreSQL only: sessions waiting for a lock, summed over the samples taken every {@link #LOCK_SAMPLE}. */
        long lockWaitSum;
        int partnerships;
        long lockWaitPeak;
        long lockSamples;
        /** The statements seen waiting for a lock, shortened, with how many samples saw each. */
        final Map<String, Long> lockWaiters = new ConcurrentHashMap<>();
        /** PostgreSQL only: the database's size and the engine's history rows, before the window and after the drain. */
        long bytesBefore;
        long bytesAfter;
        long historyRowsBefore;
        long historyRowsAfter;
        /** The policy's evaluations, from the engine's decision history (written at history level full only). */
        long decisionsBefore;
        long decisionsAfter;
        long samples;
        /** The host's 1-minute load average, summed over samples: the host is shared with other work. */
        double loadSum;

        Run(String label, int nodes) {
            this.label = label;
            this.nodes = nodes;
        }

        double rate() {
            return activeAtEnd / seconds;
        }
    }

    /**
     * What a configuration runs: how many nodes, whether packaged ({@code java -jar}) or from the classpath, both with
     * the JVM options production is recommended, and settings that differ from {@code application.yaml}, as environment.
     */
    private record Layout(String label, int nodes, boolean jar, Map<String, String> settings) {
    }

    private Run onPostgres(Layout layout, String name, GreenMail mail, Duration window, int requesters) throws Exception {
        String database = FreshPostgresDatabase.createDatabase("partner_access_bench_" + name + "_"
                + ProcessHandle.current().pid());
        return onNodes(layout, database, FreshPostgresDatabase.USER, FreshPostgresDatabase.PASSWORD, mail, window,
                requesters);
    }

    /**
     * Starts the layout's nodes on a fresh database with the production configuration (environment variables only, as
     * in ClusterIT), measures them, and stops them. The first node creates the schemas alone, then the second joins.
     */
    private Run onNodes(Layout layout, String databaseUrl, String user, String password, GreenMail mail, Duration window,
                        int requesters) throws Exception {
        String label = layout.label();
        List<ApplicationProcess> started = new ArrayList<>();
        try {
            for (int i = 1; i <= layout.nodes(); i++) {
                Map<String, String> env = ApplicationProcess.nodeEnvironment(databaseUrl, user, password, keycloakUrl,
                        mail.getSmtp().getPort());
                env.putAll(layout.settings());
                String name = "throughput-" + label.replaceAll("\\W+", "-").toLowerCase(Locale.ROOT) + i;
                ApplicationProcess node = layout.jar() ? ApplicationProcess.startJar(name, env)
                        : ApplicationProcess.start(name, env);
                started.add(node);
                node.awaitOk("/actuator/health/readiness", Duration.ofMinutes(5));
            }
            JdbcTemplate db = new JdbcTemplate(new DriverManagerDataSource(databaseUrl, user, password));
            // one partnership per requester: what they would wait on together is global, not a partnership's own chain
            String prefix = "tp" + Long.toString(System.nanoTime() % 100_000, 36);
            List<String> partnershipKeys = new ArrayList<>();
            for (int i = 0; i < requesters; i++) {
                // one after the other: the set-up is not what is measured
                partnershipKeys.add(MachineFixtures.activePartnership(started.get(0), db, keycloakUrl, prefix));
            }
            return measure(label, started.stream().map(node -> new Node(node.port(), node.pid())).toList(), db,
                    partnershipKeys, window, requesters);
        } finally {
            started.forEach(ApplicationProcess::close);
        }
    }

    /**
     * {@code requesters} threads register back to back for the window, spread evenly over the nodes; then the backlog
     * drains. Memory, the database pool and the Keycloak calls are read from the nodes themselves while they work.
     */
    private Run measure(String label, List<Node> nodes, JdbcTemplate db, List<String> partnerships, Duration window,
                        int requesters) throws Exception {
        Run run = new Run(label, nodes.size());
        run.partnerships = partnerships.size();
        String activeMachines = ACTIVE_MACHINES + "(" + String.join(", ", Collections.nCopies(partnerships.size(), "?"))
                + ")";
        Object[] keys = partnerships.toArray();
        Map<String, Object> registration = MachineFixtures.registration("SIGNED_JWT", key);
        // one token for all requesters, renewed by this thread only: concurrent password grants for one user trip
        // Keycloak's brute-force detection of the staff realm
        RefreshedToken requester = new RefreshedToken("rita.requester");
        RefreshedToken metricsReader = new RefreshedToken("sofia.security");
        double[] keycloakBefore = keycloak(nodes, metricsReader.get());
        run.rssStart = nodes.stream().mapToLong(node -> ApplicationProcess.rssMiB(node.pid())).sum();
        run.rssPeak = run.rssStart;
        if (isPostgres(db)) {
            run.bytesBefore = databaseBytes(db);
            run.historyRowsBefore = historyRows(db);
            run.decisionsBefore = db.queryForObject(DMN_EVALUATIONS, Long.class);
        }
        ScheduledExecutorService locks = isPostgres(db) ? sampleLocks(run, db) : null;
        ExecutorService load = Executors.newFixedThreadPool(requesters);
        long start = System.nanoTime();
        long end = start + window.toNanos();
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < requesters; i++) {
            PartnerAccessClient client = new PartnerAccessClient(nodes.get(i % nodes.size()).port(), keycloakUrl);
            String partnership = partnerships.get(i % partnerships.size());
            running.add(load.submit(() -> {
                while (System.nanoTime() < end) {
                    long sent = System.nanoTime();
                    HttpResponse<String> created = client.postWithToken(requester.current(),
                            "/api/partnerships/" + partnership + "/machines", registration);
                    run.post.recordNanos(System.nanoTime() - sent);
                    if (created.statusCode() == 201) {
                        run.accepted.incrementAndGet();
                    } else {
                        run.refused.computeIfAbsent(created.statusCode(), status -> new AtomicLong()).incrementAndGet();
                    }
                }
                return null;
            }));
        }
        while (System.nanoTime() < end) {
            Thread.sleep(2000);
            requester.get();
            sample(run, nodes, db, metricsReader.get());
        }
        for (Future<?> thread : running) {
            thread.get();
        }
        load.shutdown();
        if (locks != null) {
            // its last sample is read below: wait until it is written
            locks.shutdownNow();
            locks.awaitTermination(5, TimeUnit.SECONDS);
        }
        run.seconds = (System.nanoTime() - start) / 1e9;
        run.activeAtEnd = db.queryForObject(activeMachines, Long.class, keys);
        run.jobsLeft = db.queryForObject("select count(*) from act_ru_job where handler_type_ = 'async-continuation'",
                Long.class);
        double[] keycloakAfter = keycloak(nodes, metricsReader.get());
        run.keycloakSeconds = keycloakAfter[0] - keycloakBefore[0];
        run.keycloakCalls = keycloakAfter[1] - keycloakBefore[1];
        // the backlog drains after the window; how long it takes tells whether the rate was sustainable
        long drainStart = System.nanoTime();
        Duration drainLimit = Duration.ofMinutes(BenchmarkReport.size(2, 3, 3));
        while (db.queryForObject(activeMachines, Long.class, keys) < run.accepted.get()
                && System.nanoTime() - drainStart < drainLimit.toNanos()) {
            Thread.sleep(500);
            run.rssPeak = Math.max(run.rssPeak, nodes.stream().mapToLong(node -> ApplicationProcess.rssMiB(node.pid())).sum());
        }
        run.drainSeconds = (System.nanoTime() - drainStart) / 1e9;
        run.activeAfterDrain = db.queryForObject(activeMachines, Long.class, keys);
        if (isPostgres(db)) {
            run.bytesAfter = databaseBytes(db);
            run.historyRowsAfter = historyRows(db);
            run.decisionsAfter = db.queryForObject(DMN_EVALUATIONS, Long.class);
        }
        return run;
    }

    /** Resident memory and the database pool's use, from each node. */
    private void sample(Run run, List<Node> nodes, JdbcTemplate db, String token) {
        run.samples++;
        run.loadSum += ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        run.rssPeak = Math.max(run.rssPeak, nodes.stream().mapToLong(node -> ApplicationProcess.rssMiB(node.pid())).sum());
        for (Node node : nodes) {
            Map<String, Double> metrics = prometheus(node, token);
            run.dbPoolSize = metrics.getOrDefault("hikaricp_connections_max", 0.0);
            run.dbActivePeak = Math.max(run.dbActivePeak, metrics.getOrDefault("hikaricp_connections_active", 0.0));
            run.dbPendingPeak = Math.max(run.dbPendingPeak, metrics.getOrDefault("hikaricp_connections_pending", 0.0));
        }
    }

    /**
     * Asks PostgreSQL every {@link #LOCK_SAMPLE} which sessions of the database wait for a lock, on a connection of its
     * own: the waits add up to a lock-wait time per registration.
     */
    private static ScheduledExecutorService sampleLocks(Run run, JdbcTemplate db) {
        DriverManagerDataSource source = (DriverManagerDataSource) db.getDataSource();
        JdbcTemplate sampler = new JdbcTemplate(new SingleConnectionDataSource(source.getUrl(), source.getUsername(),
                source.getPassword(), true));
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        scheduler.scheduleAtFixedRate(() -> {
            List<String> waiting = sampler.queryForList("select left(regexp_replace(query, '\\s+', ' ', 'g'), 90) "
                    + "from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'",
                    String.class);
            run.lockSamples++;
            run.lockWaitSum += waiting.size();
            run.lockWaitPeak = Math.max(run.lockWaitPeak, waiting.size());
            waiting.forEach(query -> run.lockWaiters.merge(query, 1L, Long::sum));
        }, 0, LOCK_SAMPLE.toMillis(), TimeUnit.MILLISECONDS);
        return scheduler;
    }

    private static long databaseBytes(JdbcTemplate db) {
        return db.queryForObject("select pg_database_size(current_database())", Long.class);
    }

    /** Rows in the engine's history tables ({@code act_hi_*}), counted. */
    private static long historyRows(JdbcTemplate db) {
        return db.queryForList("select table_name from information_schema.tables where table_schema = current_schema() "
                + "and table_name like 'act\\_hi\\_%'", String.class).stream()
                .mapToLong(table -> db.queryForObject("select count(*) from " + table, Long.class)).sum();
    }

    /** Per machine provisioned by the end of the drain. */
    private static double perMachine(Run run, long amount) {
        return amount / (double) Math.max(1, run.activeAfterDrain);
    }

    /** Lock-wait time per accepted registration: waiting sessions summed over the samples, times the interval. */
    private static double lockWaitMillisPerRegistration(Run run) {
        return run.lockWaitSum * (double) LOCK_SAMPLE.toMillis() / Math.max(1, run.accepted.get());
    }

    private static boolean isPostgres(JdbcTemplate db) {
        return db.getDataSource() instanceof DriverManagerDataSource source && source.getUrl().startsWith("jdbc:postgresql:");
    }

    /** Seconds spent in Keycloak calls and their number so far, over every node (the application's own metric). */
    private double[] keycloak(List<Node> nodes, String token) {
        double seconds = 0;
        double calls = 0;
        for (Node node : nodes) {
            Map<String, Double> metrics = prometheus(node, token);
            seconds += metrics.getOrDefault("partner_access_keycloak_requests_seconds_sum", 0.0);
            calls += metrics.getOrDefault("partner_access_keycloak_requests_seconds_count", 0.0);
        }
        return new double[] {seconds, calls};
    }

    /** The node's Prometheus scrape, each metric summed over its series. */
    private static Map<String, Double> prometheus(Node node, String token) {
        HttpResponse<String> scrape = Tokens.send(HttpClient.newHttpClient(), HttpRequest.newBuilder(
                URI.create("http://localhost:" + node.port() + "/actuator/prometheus"))
                .header("Authorization", "Bearer " + token).GET().build());
        assertThat(scrape.statusCode()).as(scrape.body()).isEqualTo(200);
        Map<String, Double> metrics = new HashMap<>();
        for (String line : scrape.body().split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int nameEnd = line.indexOf('{') >= 0 ? line.indexOf('{') : line.indexOf(' ');
            String value = line.substring(line.lastIndexOf(' ') + 1);
            try {
                metrics.merge(line.substring(0, nameEnd), Double.parseDouble(value), Double::sum);
            } catch (NumberFormatException e) {
                // NaN and the like: not a figure to add up
            }
        }
        return metrics;
    }

    /** A staff token renewed by the thread that calls {@link #get()}; others read the current one. */
    private final class RefreshedToken {
        private final String user;
        private volatile String token;
        private long fetched;

        RefreshedToken(String user) {
            this.user = user;
            get();
        }

        String get() {
            if (token == null || System.nanoTime() - fetched > TOKEN_REFRESH.toNanos()) {
                token = Tokens.staff(keycloakUrl, user);
                fetched = System.nanoTime();
            }
            return token;
        }

        String current() {
            return token;
        }
    }

    private String report(List<Run> runs, Direct direct, int requesters) {
        StringBuilder table = new StringBuilder("| figure |");
        runs.forEach(run -> table.append(" ").append(run.label).append(" |"));
        table.append("\n| --- |").append(" ---: |".repeat(runs.size())).append("\n");
        row(table, runs, "partnerships the requesters register at", run -> String.valueOf(run.partnerships));
        row(table, runs, "window", run -> String.format(Locale.ROOT, "%.0f s", run.seconds));
        row(table, runs, "host load average (1 min) during the window, mean", run -> String.format(Locale.ROOT, "%.1f",
                run.loadSum / Math.max(1, run.samples)));
        row(table, runs, "registrations accepted (201)", run -> String.format(Locale.ROOT, "%,d (%.1f/s)",
                run.accepted.get(), run.accepted.get() / run.seconds));
        row(table, runs, "registrations failed, by status", run -> run.refused.isEmpty() ? "none" : run.refused.toString());
        row(table, runs, "**provisioned (`ACTIVE`) within the window**", run -> String.format(Locale.ROOT,
                "%,d (**%.1f/s**)", run.activeAtEnd, run.rate()));
        row(table, runs, "`POST …/machines` p50 / p95", run -> Figures.ms(run.post.millis(50)) + " / "
                + Figures.ms(run.post.millis(95)) + " ms");
        row(table, runs, "asynchronous jobs queued at the end of the window", run -> String.format(Locale.ROOT, "%,d",
                run.jobsLeft));
        row(table, runs, "time to provision the rest after the window", run -> String.format(Locale.ROOT,
                "%.1f s (%,d of %,d `ACTIVE` then)", run.drainSeconds, run.activeAfterDrain, run.accepted.get()));
        row(table, runs, "Keycloak admin calls per provisioned machine", run -> run.activeAtEnd == 0 ? "—"
                : String.format(Locale.ROOT, "%.1f", run.keycloakCalls / run.activeAtEnd));
        row(table, runs, "Keycloak time per provisioned machine", run -> run.activeAtEnd == 0 ? "—"
                : Figures.ms(run.keycloakSeconds * 1000 / run.activeAtEnd) + " ms");
        row(table, runs, "Keycloak admin call, mean", run -> run.keycloakCalls == 0 ? "—"
                : Figures.ms(run.keycloakSeconds * 1000 / run.keycloakCalls) + " ms");
        row(table, runs, "Keycloak admin calls in flight, on average", run -> String.format(Locale.ROOT, "%.2f",
                run.keycloakSeconds / run.seconds));
        row(table, runs, "database pool: size / peak active / peak waiting (per node)", run -> String.format(Locale.ROOT,
                "%.0f / %.0f / %.0f", run.dbPoolSize, run.dbActivePeak, run.dbPendingPeak));
        row(table, runs, "database sessions waiting for a lock: mean / peak (sampled every " + LOCK_SAMPLE.toMillis()
                + " ms)", run -> run.lockSamples == 0 ? "—" : String.format(Locale.ROOT, "%.2f / %d",
                (double) run.lockWaitSum / run.lockSamples, run.lockWaitPeak));
        row(table, runs, "**lock-wait time per registration**", run -> run.lockSamples == 0 ? "—"
                : Figures.ms(lockWaitMillisPerRegistration(run)) + " ms");
        row(table, runs, "database growth per provisioned machine: all / engine history rows", run -> run.bytesAfter == 0
                ? "—" : String.format(Locale.ROOT, "%.1f KiB / %.0f rows", perMachine(run, run.bytesAfter - run.bytesBefore)
                / 1024, perMachine(run, run.historyRowsAfter - run.historyRowsBefore)));
        row(table, runs, "policy (DMN) evaluations per provisioned machine, from the decision history", run ->
                run.decisionsAfter == 0 ? "—" : String.format(Locale.ROOT, "%.2f", perMachine(run,
                        run.decisionsAfter - run.decisionsBefore)));
        row(table, runs, "resident memory of the application JVM (two nodes: summed): after start / peak", run -> String.format(
                Locale.ROOT, "%,d / %,d MiB", run.rssStart, run.rssPeak));

        Run one = runs.stream().filter(run -> run.label.equals(PRODUCTION_LAUNCH)).findFirst().orElse(null);
        Run two = runs.stream().filter(run -> run.label.startsWith("PostgreSQL, two")).findFirst().orElse(null);
        StringBuilder targets = new StringBuilder();
        if (one != null && direct != null) {
            long rssPeakMb = Math.round(one.rssPeak * 1.048576);
            double lockWait = lockWaitMillisPerRegistration(one);
            targets.append(String.format(Locale.ROOT, """
                    | path, %d threads | window | host load (1 min), mean | done | per second | each request p50 / p95 |
                    | --- | ---: | ---: | ---: | ---: | ---: |
                    | workflow: `POST …/machines` until `ACTIVE` (%s) | %.0f s | %.1f | %,d provisioned | **%.1f/s** | %s / %s ms |
                    | direct: the same client created through the admin API (`PartnerClients.ensureMachineClient`) | %.0f s | %.1f | %,d created, %,d failed | **%.1f/s** | %s / %s ms |

                    | target | measured | |
                    | --- | ---: | --- |
                    | ≥ 40/s sustained for 60 s, one node, PostgreSQL, `java -jar` | %.1f/s | %s |
                    | ratio to the direct admin-API loop, same concurrency, same run | %.2f | |
                    | lock-wait time per registration at concurrency %d: close to 0 | %s ms | %s |
                    | RSS ≤ 768 MB under this load | %,d MB | %s |
                    """, requesters, PRODUCTION_LAUNCH, one.seconds, one.loadSum / Math.max(1, one.samples),
                    one.activeAtEnd, one.rate(), Figures.ms(one.post.millis(50)), Figures.ms(one.post.millis(95)),
                    direct.seconds, direct.loadSum / Math.max(1, direct.samples), direct.created, direct.failed.get(), direct.rate(),
                    Figures.ms(direct.create.millis(50)), Figures.ms(direct.create.millis(95)),
                    one.rate(), one.rate() >= 40 ? "met" : String.format(Locale.ROOT, "missed by %.1f/s", 40 - one.rate()),
                    one.rate() / Math.max(0.001, direct.rate()), requesters, Figures.ms(lockWait),
                    lockWait < 1 ? "met" : "missed", rssPeakMb, rssPeakMb <= 768 ? "met" : "missed by " + (rssPeakMb - 768)
                            + " MB"));
            if (two != null) {
                targets.append(String.format(Locale.ROOT, "| two nodes ≥ 1.6× one node (two nodes from the classpath) "
                        + "| %.2f× (%.1f/s) | %s |%n", two.rate() / Math.max(0.001, one.rate()), two.rate(),
                        two.rate() >= 1.6 * one.rate() ? "met" : "missed"));
            }
            targets.append(String.format(Locale.ROOT, """

                    The node is the packaged application started as the operations guide recommends, `java %s -jar`
                    (tiered JIT, the JDK's default).
                    Every provisioned machine cost %.1f Keycloak admin calls and %s ms of Keycloak time (%.1f calls in
                    flight on average, %s ms each); the direct loop is Keycloak's own ceiling on this host at this
                    concurrency, with the same Keycloak, cores and client representation. Statements seen waiting for a
                    lock (samples): %s.
                    """, ApplicationProcess.jvmOptions(), one.keycloakCalls / Math.max(1, one.activeAtEnd),
                    Figures.ms(one.keycloakSeconds * 1000 / Math.max(1, one.activeAtEnd)), one.keycloakSeconds / one.seconds,
                    Figures.ms(one.keycloakSeconds * 1000 / Math.max(1, one.keycloakCalls)), topWaiters(one)));
        } else {
            targets.append("Smoke: only this JVM's own application, for a few seconds; the packaged node on PostgreSQL "
                    + "and the direct admin-API loop run in the benchmark run (`-Pbenchmark`).\n");
        }
        return """
                ## 5. Onboarding throughput: auto-approved machine registrations per second

                %d requesters register LOW-risk read-only workloads (`POST /api/partnerships/{key}/machines`, signed
                JWT) back to back, spread evenly over the nodes, each at a partnership of its own on the separate nodes
                (so that what they wait on together is global, not one partnership's audit chain), all at one
                partnership in the last column; a registration counts when its identity is `ACTIVE` in
                the registry, i.e. its Keycloak client exists. The nodes are JVMs of their own with the production
                configuration (`application.yaml`, settings below), started on a fresh database each; the H2 node and
                the two nodes (started from the classpath with the run command's JVM options) run only with
                `-Dbenchmark.throughput.all=true`; the last column is the application inside the benchmark JVM (test
                profile). Keycloak figures come from the nodes' own request metric (`partner_access_keycloak_requests`),
                the database pool's from HikariCP's, both scraped from `/actuator/prometheus` every 2 s; lock waits from
                `pg_stat_activity` every %d ms; memory is the nodes' own `VmRSS`.

                %s
                %s
                """.formatted(requesters, LOCK_SAMPLE.toMillis(), table, targets);
    }

    /** The three statements seen waiting for a lock most often, with the number of samples that saw them. */
    private static String topWaiters(Run run) {
        if (run.lockWaiters.isEmpty()) {
            return "none";
        }
        return run.lockWaiters.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(3)
                .map(waiter -> "`" + waiter.getKey().replace("`", "'") + "…` " + waiter.getValue())
                .collect(Collectors.joining("; "));
    }

    private static void row(StringBuilder table, List<Run> runs, String figure, java.util.function.Function<Run, String> value) {
        table.append("| ").append(figure).append(" |");
        runs.forEach(run -> table.append(" ").append(value.apply(run)).append(" |"));
        table.append("\n");
    }

}
