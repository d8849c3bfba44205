package org.partneraccess.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.camunda.bpm.engine.impl.jobexecutor.DefaultJobExecutor;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.jobexecutor.JobExecutor;
import org.camunda.bpm.spring.boot.starter.property.CamundaBpmProperties;
import org.camunda.bpm.spring.boot.starter.property.JobExecutionProperty;
import org.junit.jupiter.api.Test;
import org.partneraccess.keycloak.KeycloakProperties;
import org.partneraccess.support.ApplicationProcess;
import org.partneraccess.support.PartnerAccessTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.io.ClassPathResource;

/**
 * Issue 6, figure 7 and the settings: the start of the application with its managed Keycloak (already unpacked) until
 * Tasklist answers, its resident memory once started, and the settings every figure of the report was measured with.
 */
@PartnerAccessTest
class FootprintBenchmark {

    private static final Pattern KEYCLOAK_UP = Pattern.compile("Managed Keycloak is up at \\S+ after (\\d+) s");

    @Autowired
    ProcessEngineConfigurationImpl engine;
    @Autowired
    RepositoryService repository;
    @Autowired
    CamundaBpmProperties camunda;
    @Autowired
    DataSource dataSource;
    @Autowired
    KeycloakProperties keycloak;
    @Value("${partner-access.revocation.concurrency:8}")
    int revocationConcurrency;

    @Test
    void startupToTasklistAndMemory() throws Exception {
        StringBuilder section = new StringBuilder("""
                ## 7. Footprint: start to a usable Tasklist, resident memory

                The application is started as a JVM of its own (`support/ApplicationProcess`: `java <the run command's
                JVM options> -cp <classpath> org.partneraccess.PartnerAccessApplication`, the run command without
                Maven's own start) in the run command's `dev` profile: a managed Keycloak from the unpacked
                distribution (in-memory database, realms imported), H2, the development SMTP server. Timed from the
                process start until `GET /camunda/app/tasklist/default/` (where `/camunda/app/tasklist/` redirects),
                its redirects followed as a signed-out browser follows them, ends at the staff sign-in page of
                Keycloak with 200: Tasklist and the sign-in to it are both up.
                Targets: ≤ 90 s to a usable Tasklist; RSS ≤ 768 MB.

                """);
        int starts = BenchmarkReport.size(0, 1, 1);
        if (starts == 0) {
            long rss = ApplicationProcess.rssMiB(ProcessHandle.current().pid());
            assertThat(rss).as("resident memory read from /proc").isPositive();
            section.append("Only in a measuring run (a second Keycloak start costs a minute or more on a shared host). "
                    + "This JVM (application, its tests, no Keycloak): ").append(rss).append(" MiB resident.\n");
        } else {
            section.append("| start | to Tasklist (its sign-in page 200) | of which Keycloak ready | application JVM RSS after start | "
                    + "its Keycloak's RSS |\n| ---: | ---: | ---: | ---: | ---: |\n");
        }
        long slowest = 0;
        long largest = 0;
        for (int start = 1; start <= starts; start++) {
            Map<String, String> env = Map.of(
                    // the run command's profile: the managed Keycloak, the development SMTP server, the demo users
                    "SPRING_PROFILES_ACTIVE", "dev",
                    "MANAGED_KEYCLOAK_PORT", String.valueOf(ApplicationProcess.freePort()),
                    "MANAGED_KEYCLOAK_MANAGEMENT_PORT", String.valueOf(ApplicationProcess.freePort()),
                    "PARTNERACCESS_MANAGEDKEYCLOAK_DATABASE", "dev-mem",
                    "DEV_SMTP_PORT", String.valueOf(ApplicationProcess.freePort()),
                    "DATABASE_URL", "jdbc:h2:mem:footprint;DB_CLOSE_DELAY=-1");
            try (ApplicationProcess app = ApplicationProcess.start("footprint-" + start, env)) {
                // the Tasklist page sends a signed-out user to the staff sign-in: both must answer
                Duration ready = app.awaitOkAfterRedirects("/camunda/app/tasklist/default/", Duration.ofMinutes(5));
                Matcher keycloakUp = KEYCLOAK_UP.matcher(Files.readString(app.log()));
                String keycloakSeconds = keycloakUp.find() ? keycloakUp.group(1) + " s" : "—";
                long keycloakRss = ProcessHandle.of(app.pid()).orElseThrow().descendants()
                        .mapToLong(child -> ApplicationProcess.rssMiB(child.pid())).filter(rss -> rss > 0).sum();
                assertThat(ready).isPositive();
                long rss = app.rssMiB();
                slowest = Math.max(slowest, ready.toSeconds());
                largest = Math.max(largest, rss);
                section.append("| ").append(start).append(" | ").append(ready.toSeconds()).append(" s | ")
                        .append(keycloakSeconds).append(" | ").append(rss).append(" MiB | ")
                        .append(keycloakRss).append(" MiB |\n");
            }
        }
        if (starts > 0) {
            section.append(String.format(java.util.Locale.ROOT, "%nSlowest start %d s (target ≤ 90 s: %s), application "
                    + "JVM after start at most %d MiB.%n", slowest, slowest <= 90 ? "met" : "missed by " + (slowest - 90)
                    + " s", largest));
        }
        section.append("\nThe memory of the application JVM under load is in section 5 (each node's own resident memory during "
                + "the throughput run).\n");
        BenchmarkReport.section("footprint", section.toString());
        BenchmarkReport.section("settings", settings());
    }

    /**
     * The settings in force while the benchmarks ran: those of the benchmark JVM read from its running beans, and those
     * of the separate nodes (sections 5 and 7) bound from {@code application.yaml} as the nodes bind it, with the
     * libraries' defaults where it sets nothing.
     */
    private String settings() throws Exception {
        MutablePropertySources sources = new MutablePropertySources();
        new YamlPropertySourceLoader().load("application.yaml", new ClassPathResource("application.yaml"))
                .forEach(sources::addLast);
        Binder yaml = new Binder(ConfigurationPropertySources.from(sources), new PropertySourcesPlaceholdersResolver(sources));
        JobExecutionProperty nodePool = yaml.bind("camunda.bpm.job-execution", JobExecutionProperty.class)
                .orElseGet(JobExecutionProperty::new);
        JobExecutor defaults = new DefaultJobExecutor();
        JobExecutor jobs = engine.getJobExecutor();
        JobExecutionProperty pool = camunda.getJobExecution();
        HikariDataSource hikari = dataSource.unwrap(HikariDataSource.class);
        String settingsHelp = "| setting | benchmark JVM (test profile) | nodes (`application.yaml`) | why |\n"
                + "| --- | --- | --- | --- |\n";
        StringBuilder table = new StringBuilder(settingsHelp);
        setting(table, "JVM: options / max heap", "the build's test JVM / " + Runtime.getRuntime().maxMemory() / 1024 / 1024
                + " MiB", "`" + System.getProperty("application.jvm-arguments", "") + "` (the run command's, from the pom)",
                "production starts `java <the same> -jar` (section 5 measures that launch): a capped heap keeps the "
                        + "node's resident memory bounded (the JVM would size its heap to a quarter of the host's RAM)");
        setting(table, "job executor: wait time / max wait", jobs.getWaitTimeInMillis() + " / " + jobs.getMaxWait() + " ms",
                or(nodePool.getWaitTimeInMillis(), defaults.getWaitTimeInMillis()) + " / "
                        + or(nodePool.getMaxWait(), defaults.getMaxWait()) + " ms",
                "an idle node finds a due timer within a second (Camunda's default: a minute); a node's own new jobs "
                        + "start at once on its commit's hint");
        setting(table, "job executor: backoff / max backoff", jobs.getBackoffTimeInMillis() + " / " + jobs.getMaxBackoff()
                + " ms", or(nodePool.getBackoffTimeInMillis(), defaults.getBackoffTimeInMillis()) + " / "
                + or(nodePool.getMaxBackoff(), defaults.getMaxBackoff()) + " ms",
                "Camunda's: backoff only matters when nodes fight over the same jobs, which section 5's lock waits do "
                        + "not show");
        setting(table, "job executor: jobs per acquisition / lock time", jobs.getMaxJobsPerAcquisition() + " / "
                + jobs.getLockTimeInMillis() + " ms", or(nodePool.getMaxJobsPerAcquisition(),
                defaults.getMaxJobsPerAcquisition()) + " / " + or(nodePool.getLockTimeInMillis(),
                defaults.getLockTimeInMillis()) + " ms",
                "8 jobs and 8 threads: as many Keycloak calls at a time as an incident makes; section 5 measures 16 "
                        + "beside it");
        setting(table, "job executor: thread pool core / max / queue", pool.getCorePoolSize() + " / "
                + pool.getMaxPoolSize() + " / " + pool.getQueueCapacity(), nodePool.getCorePoolSize() + " / "
                + nodePool.getMaxPoolSize() + " / " + nodePool.getQueueCapacity(),
                "as above; the queue holds two acquisitions");
        setting(table, "job acquisition by priority", String.valueOf(engine.isJobExecutorAcquireByPriority()),
                yaml.bind("camunda.bpm.generic-properties.properties.job-executor-acquire-by-priority", Boolean.class)
                        .orElse(false).toString(),
                "an incident's cut-off (priority 100) overtakes routine jobs already due");
        setting(table, "history level", engine.getHistoryLevel().getName(),
                yaml.bind("camunda.bpm.history-level", String.class).orElse("full"),
                "section 5 measures `audit` beside it; `full` alone keeps the engine's user operation log (who "
                        + "suspended, modified or changed variables of an instance, through any API) and the job log, "
                        + "the evidence of an insider's attempt");
        setting(table, "database pool (HikariCP): size / connection timeout", hikari.getMaximumPoolSize() + " / "
                + hikari.getConnectionTimeout() + " ms", yaml.bind("spring.datasource.hikari.maximum-pool-size",
                Integer.class).map(String::valueOf).orElse("HikariCP's default (" + hikari.getMaximumPoolSize()
                + ", as read from the nodes in section 5)"),
                "section 5: all 20 busy and up to 16 requests waiting at 16 requesters, the first bound on a "
                        + "node's throughput; not raised without measuring PostgreSQL beside it");
        setting(table, "Keycloak admin client: HTTP pool / connect / read timeout", keycloak.connectionPoolSize()
                + " connections / " + keycloak.connectTimeout().toMillis() + " ms / " + keycloak.readTimeout().toMillis()
                + " ms", yaml.bind("partner-access.keycloak.connection-pool-size", Integer.class).orElse(0)
                + " connections / " + yaml.bind("partner-access.keycloak.connect-timeout", Duration.class)
                .get().toMillis() + " ms / " + yaml.bind("partner-access.keycloak.read-timeout", Duration.class)
                .get().toMillis() + " ms",
                "section 5's Keycloak calls in flight stay under the pool; a read timeout fails a call into a job "
                        + "retry instead of holding a thread");
        setting(table, "Keycloak calls in parallel per incident (`partner-access.revocation.concurrency`)",
                String.valueOf(revocationConcurrency), yaml.bind("partner-access.revocation.concurrency", Integer.class)
                        .map(String::valueOf).orElse(revocationConcurrency + " (the code's default)"),
                "section 2: parallel calls cut an incident's time in half against sequential ones on two cores");
        setting(table, "history kept after an instance ends / cleanup window", historyTimeToLive() + " / "
                + engine.getHistoryCleanupBatchWindowStartTime() + "–" + engine.getHistoryCleanupBatchWindowEndTime(),
                "the models' `historyTimeToLive` / " + yaml.bind("camunda.bpm.generic-properties.properties"
                        + ".history-cleanup-batch-window-start-time", String.class).orElse("none") + "–"
                        + yaml.bind("camunda.bpm.generic-properties.properties.history-cleanup-batch-window-end-time",
                        String.class).orElse("none"),
                "a year's partnership and its review; section 5's history per machine times the registrations a "
                        + "day is what the nightly window removes");
        return """
                ## Settings in force

                Read from the running application of the benchmark JVM (Spring profile `test`: the job executor's idle
                wait is shortened there, as the tests wait for async steps) and bound from `application.yaml` the way
                the separate nodes of sections 5 and 7 bind it (they get only connection settings from the
                environment), with Camunda's and the libraries' defaults where the file sets nothing. With the nodes'
                idle wait, a job executor that found nothing to do for a while starts a due timer up to its max wait
                late (jobs created on the same node are picked up at once: the engine hints its own executor), so the
                timer lateness of section 4 holds for the test profile's wait.

                %s""".formatted(table);
    }

    private static void setting(StringBuilder table, String name, String benchmarkJvm, String nodes, String why) {
        table.append("| ").append(name).append(" | ").append(benchmarkJvm).append(" | ").append(nodes).append(" | ")
                .append(why).append(" |\n");
    }

    /** The models' history time-to-live, in days, as the engine deployed them. */
    private String historyTimeToLive() {
        return repository.createProcessDefinitionQuery().latestVersion().list().stream()
                .map(definition -> definition.getHistoryTimeToLive() + " days").distinct().sorted()
                .collect(Collectors.joining(", "));
    }

    private static Object or(Object configured, Object byDefault) {
        return configured != null ? configured : byDefault;
    }
}
