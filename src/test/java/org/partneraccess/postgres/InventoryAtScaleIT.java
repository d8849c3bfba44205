package org.partneraccess.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.partneraccess.LifecycleState;
import org.partneraccess.benchmark.BenchmarkReport;
import org.partneraccess.inventory.IdentityFilter;
import org.partneraccess.inventory.IdentityKind;
import org.partneraccess.inventory.IdentityQuery;
import org.partneraccess.support.PartnerAccessTest;
import org.partneraccess.support.StaffBrowser;
import org.partneraccess.support.Tokens;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The inventory with 100,000 identities on PostgreSQL: each filtered page is read through an index (the plan of the
 * very statement the endpoint runs), a page answers well within a usable bound over HTTP, and the CSV export of all of
 * them streams. The figures measured are written to {@code target/benchmarks/inventory.md}; only generous bounds are
 * asserted, since timings belong in the benchmark report.
 */
@PartnerAccessTest
class InventoryAtScaleIT extends FreshPostgresDatabase {

    static final int IDENTITIES = 100_000;
    static final int PARTNERSHIPS = 200;
    static final int OWNERS = 50;
    static final int PAGE_SIZE = 50;
    static final int SAMPLES = 40;
    static final Duration USABLE = Duration.ofSeconds(2);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LifecycleState[] STATES = {LifecycleState.ACTIVE, LifecycleState.ACTIVE, LifecycleState.ACTIVE,
            LifecycleState.ACTIVE, LifecycleState.ACTIVE, LifecycleState.ACTIVE, LifecycleState.REVOKED,
            LifecycleState.REVOKED, LifecycleState.SUSPENDED, LifecycleState.UNDER_REVIEW, LifecycleState.REQUESTED,
            LifecycleState.REJECTED};

    @LocalServerPort
    int port;
    @Value("${partner-access.keycloak.url}")
    String keycloakUrl;
    @Autowired
    JdbcTemplate jdbc;

    private final HttpClient http = HttpClient.newHttpClient();
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @Test
    void pagesOf100kIdentitiesAreReadThroughIndexesAndTheExportStreams() throws Exception {
        long loadStarted = System.nanoTime();
        load();
        Duration loading = Duration.ofNanos(System.nanoTime() - loadStarted);
        jdbc.execute("vacuum analyze partner_identity");
        jdbc.execute("vacuum analyze partnership");
        long total = jdbc.queryForObject("select count(*) from partner_identity", Long.class);
        assertThat(total).isGreaterThanOrEqualTo(IDENTITIES);

        Map<String, Filter> filters = new LinkedHashMap<>();
        filters.put("state=ACTIVE", new Filter(new IdentityFilter(Set.of(LifecycleState.ACTIVE), null, null, null,
                null, null), null, "state=ACTIVE"));
        filters.put("state=ACTIVE&kind=MACHINE", new Filter(new IdentityFilter(Set.of(LifecycleState.ACTIVE),
                IdentityKind.MACHINE, null, null, null, null), null, "state=ACTIVE&kind=MACHINE"));
        filters.put("partnership", new Filter(new IdentityFilter(null, null, "scale-0042", null, null, null), null,
                "partnership=scale-0042"));
        filters.put("owner", new Filter(new IdentityFilter(null, null, null, "owner-07", null, null), null,
                "owner=owner-07"));
        Instant soon = now.plus(30, ChronoUnit.DAYS);
        filters.put("expiringBefore (30 days)", new Filter(new IdentityFilter(null, null, null, null, soon, null),
                null, "expiringBefore=" + soon));
        filters.put("overdue reviews, by review date", new Filter(new IdentityFilter(Set.of(LifecycleState.ACTIVE,
                LifecycleState.UNDER_REVIEW), null, null, null, null, now), List.of("nextReviewAt"),
                "state=ACTIVE&state=UNDER_REVIEW&reviewBefore=" + now + "&sort=nextReviewAt"));
        filters.put("no filter", new Filter(IdentityFilter.all(), null, ""));

        StringBuilder report = new StringBuilder();
        report.append("| filter | plan (page query) | rows matching | DB execution ms (EXPLAIN ANALYZE) | HTTP page p50 ms "
                + "| HTTP page p95 ms |\n| --- | --- | --- | --- | --- | --- |\n");
        for (Map.Entry<String, Filter> filter : filters.entrySet()) {
            IdentityQuery query = IdentityQuery.of(filter.getValue().filter(), filter.getValue().sort());
            JsonNode plan = plan(query);
            List<String> scans = new ArrayList<>();
            collectScans(plan.get(0).get("Plan"), scans);
            assertThat(scans).as("plan of %s: %s", filter.getKey(), plan).noneMatch(scan -> scan.startsWith("Seq Scan"))
                    .anyMatch(scan -> scan.contains("Index"));
            double executionMs = plan.get(0).get("Execution Time").asDouble();
            long matching = jdbc.queryForObject(query.countSql(), Long.class, query.arguments());

            long[] millis = pageTimes("/api/identities?size=" + PAGE_SIZE + "&" + filter.getValue().parameters(),
                    matching);
            long p95 = percentile(millis, 95);
            assertThat(Duration.ofMillis(p95)).as("p95 of a page of %s", filter.getKey()).isLessThan(USABLE);
            report.append("| ").append(filter.getKey()).append(" | ").append(String.join(", ", scans)).append(" | ")
                    .append(matching).append(" | ").append(String.format("%.1f", executionMs)).append(" | ")
                    .append(percentile(millis, 50)).append(" | ").append(p95).append(" |\n");
        }

        long activeCount = jdbc.queryForObject("select count(*) from partner_identity where state = 'ACTIVE'", Long.class);
        long[] deep = pageTimes("/api/identities?state=ACTIVE&size=" + PAGE_SIZE + "&page=" + (activeCount / PAGE_SIZE / 2),
                activeCount);
        report.append("| state=ACTIVE, page in the middle (offset ").append(activeCount / 2)
                .append(") | | ").append(activeCount).append(" | | ").append(percentile(deep, 50)).append(" | ")
                .append(percentile(deep, 95)).append(" |\n");
        assertThat(Duration.ofMillis(percentile(deep, 95))).isLessThan(USABLE);

        // the dashboard counts and lists over all of them
        StaffBrowser browser = new StaffBrowser(port);
        assertThat(browser.signIn("/dashboard", "sofia.security", Tokens.DEMO_PASSWORD).statusCode()).isEqualTo(200);
        long[] dashboard = new long[10];
        for (int i = 0; i < dashboard.length; i++) {
            long started = System.nanoTime();
            HttpResponse<String> page = browser.open("/dashboard");
            dashboard[i] = (System.nanoTime() - started) / 1_000_000;
            assertThat(page.statusCode()).isEqualTo(200);
        }
        assertThat(Duration.ofMillis(percentile(dashboard, 95))).isLessThan(USABLE);
        report.append("| dashboard overview page (signed in, 10 samples) | | ").append(total).append(" | | ")
                .append(percentile(dashboard, 50)).append(" | ").append(percentile(dashboard, 95)).append(" |\n");

        // the whole inventory as CSV: the first rows arrive long before the last
        String token = Tokens.staff(keycloakUrl, "alice.auditor");
        long started = System.nanoTime();
        HttpResponse<InputStream> export = http.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/api/identities"))
                .header("Authorization", "Bearer " + token).header("Accept", "text/csv").GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(export.statusCode()).isEqualTo(200);
        long lines = 0;
        long bytes = 0;
        long firstRow = 0;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(export.body(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (lines == 1) {
                    firstRow = System.nanoTime() - started;
                }
                lines++;
                bytes += line.getBytes(StandardCharsets.UTF_8).length + 2;
            }
        }
        long exportNanos = System.nanoTime() - started;
        long exported = jdbc.queryForObject("select count(*) from partner_identity", Long.class);
        assertThat(lines).isEqualTo(exported + 1);
        assertThat(firstRow).as("the first row arrives before the export ends").isLessThan(exportNanos);

        report.append("\nFull CSV export over HTTP: ").append(exported).append(" rows, ")
                .append(String.format("%.1f", bytes / 1024.0 / 1024.0)).append(" MiB, first row after ")
                .append(firstRow / 1_000_000).append(" ms, complete after ").append(exportNanos / 1_000_000)
                .append(" ms.\n");
        report.append("Loading ").append(IDENTITIES).append(" identities (JDBC batches of 1000): ")
                .append(loading.toMillis()).append(" ms. Page samples: ").append(SAMPLES)
                .append(" per filter after 5 warm-up requests, page size ").append(PAGE_SIZE)
                .append(", sequential, one token; p95 is the nearest-rank percentile.\n");
        report.append("PostgreSQL: ").append(jdbc.queryForObject("select version()", String.class)).append("\n");
        report.append("JVM: ").append(System.getProperty("java.version")).append(", ")
                .append(Runtime.getRuntime().availableProcessors()).append(" processors, max heap ")
                .append(Runtime.getRuntime().maxMemory() / 1024 / 1024).append(" MiB\n");
        Path file = Path.of("target", "benchmarks", "inventory.md");
        Files.createDirectories(file.getParent());
        Files.writeString(file, report.toString());
        System.out.println("Inventory at scale:\n" + report);
        // the benchmark report folds these figures in (docs/benchmarks.md in the -Pbenchmark run)
        BenchmarkReport.assemble();
    }

    private record Filter(IdentityFilter filter, List<String> sort, String parameters) {
    }

    /** 200 partnerships and 100,000 identities spread over states, kinds, owners, end dates and review dates. */
    private void load() {
        jdbc.batchUpdate("insert into partnership (partnership_key, legal_name, sponsor, business_owner, "
                + "technical_owner, purpose, data_classes, environments, client_scopes, end_date, state, requested_by, "
                + "approved_by, approved_at, created_at, updated_at, version) values (?, ?, ?, 'ian.owner', 'ian.owner', "
                + "'Scale test partner reading orders', 'internal', 'test', 'orders.read', ?, 'ACTIVE', 'rita.requester', "
                + "'sam.sponsor', ?, ?, ?, 0)", rows(PARTNERSHIPS), PARTNERSHIPS, (statement, p) -> {
                    statement.setString(1, partnershipKey(p));
                    statement.setString(2, "Scale Partner " + p);
                    statement.setString(3, "sponsor-" + (p % 20));
                    statement.setObject(4, LocalDate.now(ZoneOffset.UTC).plusDays(365 + p));
                    statement.setObject(5, utc(now.minus(30, ChronoUnit.DAYS)));
                    statement.setObject(6, utc(now.minus(30, ChronoUnit.DAYS)));
                    statement.setObject(7, utc(now.minus(30, ChronoUnit.DAYS)));
                });
        jdbc.batchUpdate("insert into partner_identity (identity_id, partnership_key, kind, state, display_name, "
                + "keycloak_name, keycloak_id, owner, purpose, environment, client_scopes, end_date, requested_by, "
                + "approved_by, approved_at, next_review_at, last_used_at, revoked_at, created_at, updated_at, version) "
                + "values (?, ?, ?, ?, ?, ?, ?, ?, 'Reads open orders to plan shipments', ?, 'orders.read', ?, "
                + "'rita.requester', 'sam.sponsor', ?, ?, ?, ?, ?, ?, 0)", rows(IDENTITIES), 1000, this::identity);
    }

    private void identity(PreparedStatement statement, Integer i) throws java.sql.SQLException {
        LifecycleState state = STATES[i % STATES.length];
        boolean machine = i % 10 >= 7;
        statement.setString(1, String.format("scale-%08d", i));
        statement.setString(2, partnershipKey(i % PARTNERSHIPS));
        statement.setString(3, machine ? "MACHINE" : "HUMAN");
        statement.setString(4, state.name());
        statement.setString(5, (machine ? "Machine " : "Person ") + i);
        statement.setString(6, machine ? "pa-scale-" + i : "person" + i + "@scale.example");
        statement.setString(7, "kc-" + i);
        statement.setString(8, String.format("owner-%02d", i % OWNERS));
        statement.setString(9, machine ? "test" : null);
        long endInDays = (i * 7919L) % 730 - 30;
        if (endInDays <= 0 && LifecycleState.notEnded().contains(state)) {
            endInDays += 730; // access not ended has its end ahead: the expiry sweeper would revoke it meanwhile
        }
        statement.setObject(10, utc(now.plus(endInDays, ChronoUnit.DAYS)));
        statement.setObject(11, utc(now.minus(60, ChronoUnit.DAYS)));
        statement.setObject(12, i % 3 == 0 ? null : utc(now.plus((i * 104729L) % 200 - 20, ChronoUnit.DAYS)));
        statement.setObject(13, i % 4 == 0 ? null : utc(now.minus(i % 9000, ChronoUnit.MINUTES)));
        statement.setObject(14, state == LifecycleState.REVOKED ? utc(now.minus(1, ChronoUnit.DAYS)) : null);
        statement.setObject(15, utc(now.minus(60, ChronoUnit.DAYS)));
        statement.setObject(16, utc(now.minus(1, ChronoUnit.DAYS)));
    }

    private static List<Integer> rows(int count) {
        List<Integer> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            rows.add(i);
        }
        return rows;
    }

    private static String partnershipKey(int p) {
        return String.format("scale-%04d", p);
    }

    /** EXPLAIN (ANALYZE) of the page statement exactly as the inventory runs it, with its parameters bound. */
    private JsonNode plan(IdentityQuery query) throws Exception {
        String json = jdbc.queryForObject("explain (analyze, format json) " + query.pageSql(), String.class,
                query.pageArguments(0, PAGE_SIZE));
        return JSON.readTree(json);
    }

    private static void collectScans(JsonNode node, List<String> scans) {
        String type = node.get("Node Type").asText();
        if (type.contains("Scan")) {
            scans.add(type + (node.has("Index Name") ? " " + node.get("Index Name").asText()
                    : node.has("Relation Name") ? " " + node.get("Relation Name").asText() : ""));
        }
        if (node.has("Plans")) {
            node.get("Plans").forEach(child -> collectScans(child, scans));
        }
    }

    /** Times of {@link #SAMPLES} sequential requests of the page after five warm-up ones; checks the total. */
    private long[] pageTimes(String path, long expectedTotal) throws Exception {
        String token = Tokens.staff(keycloakUrl, "alice.auditor");
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + token).GET().build();
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> warmUp = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(warmUp.statusCode()).as(warmUp.body()).isEqualTo(200);
            assertThat(JSON.readTree(warmUp.body()).get("total").asLong()).isEqualTo(expectedTotal);
        }
        long[] millis = new long[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            long started = System.nanoTime();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            millis[i] = (System.nanoTime() - started) / 1_000_000;
            assertThat(response.statusCode()).isEqualTo(200);
        }
        return millis;
    }

    private static long percentile(long[] values, int percent) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(rank - 1, 0)];
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
