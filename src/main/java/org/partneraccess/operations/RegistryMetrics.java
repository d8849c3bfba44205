package org.partneraccess.operations;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.task.Task;
import org.partneraccess.Drills;
import org.partneraccess.LifecycleState;
import org.partneraccess.ProcessIds;
import org.partneraccess.inventory.IdentityKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Gauges of what the registry and the engine hold, counted on a schedule rather than per scrape: one grouped query
 * per registry table, one for open user tasks, one count of incidents. Every known state, kind and approval task is
 * reported, zero included, so a series never vanishes when its count drops to nothing.
 */
@Component
public class RegistryMetrics {

    public static final String IDENTITIES = "partner.access.identities";
    public static final String PARTNERSHIPS = "partner.access.partnerships";
    public static final String PENDING_APPROVALS = "partner.access.approvals.pending";
    public static final String OVERDUE_REVIEWS = "partner.access.reviews.overdue";
    public static final String UPCOMING_EXPIRIES = "partner.access.expiries.upcoming";
    public static final String OVERDUE_EXPIRIES = "partner.access.expiries.overdue";
    public static final String OPEN_INCIDENTS = "partner.access.incidents.open";

    /** Tag value of {@code kind} for a partnership itself; identities use their {@link IdentityKind}. */
    static final String PARTNERSHIP_KIND = "PARTNERSHIP";

    private static final Logger log = LoggerFactory.getLogger(RegistryMetrics.class);
    private static final Set<LifecycleState> UNDER_RECERTIFICATION =
            EnumSet.of(LifecycleState.ACTIVE, LifecycleState.UNDER_REVIEW);
    private static final Set<LifecycleState> ENDED = EnumSet.of(LifecycleState.REVOKED, LifecycleState.REJECTED);
    private static final List<String> APPROVAL_TASKS = List.of(ProcessIds.TASK_APPROVE_AS_SPONSOR,
            ProcessIds.TASK_APPROVE_AS_SECURITY_OFFICER, ProcessIds.TASK_RECERTIFY_AS_SPONSOR,
            ProcessIds.TASK_APPROVE_SCOPE_CHANGE_AS_SPONSOR, ProcessIds.TASK_APPROVE_SCOPE_CHANGE_AS_SECURITY_OFFICER,
            ProcessIds.TASK_REVIEW_AFTER_RISK_DOWNGRADE, ProcessIds.TASK_RECERTIFY_ACCESS,
            ProcessIds.TASK_APPROVE_ELEVATION);

    private final JdbcTemplate jdbc;
    private final ManagementService management;
    private final RuntimeService runtime;
    private final OperationsProperties properties;
    private final Clock clock;
    private final MultiGauge identities;
    private final MultiGauge partnerships;
    private final MultiGauge pendingApprovals;
    private final MultiGauge overdueReviews;
    private final MultiGauge upcomingExpiries;
    private final MultiGauge overdueExpiries;
    private final MultiGauge openIncidents;

    RegistryMetrics(JdbcTemplate jdbc, ManagementService management, RuntimeService runtime,
                    OperationsProperties properties, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.management = management;
        this.runtime = runtime;
        this.properties = properties;
        this.clock = Clock.systemUTC();
        identities = gauge(registry, IDENTITIES, "Partner identities in the registry by state and kind");
        partnerships = gauge(registry, PARTNERSHIPS, "Partnerships in the registry by state");
        pendingApprovals = gauge(registry, PENDING_APPROVALS, "Open approval and review tasks by task definition key");
        overdueReviews = gauge(registry, OVERDUE_REVIEWS,
                "Active partnerships and identities whose recertification date has passed");
        upcomingExpiries = gauge(registry, UPCOMING_EXPIRIES,
                "Partnerships and identities not yet ended whose end date falls within the warning period");
        overdueExpiries = gauge(registry, OVERDUE_EXPIRIES,
                "Partnerships and identities not yet ended whose end date has passed: access outliving its end");
        openIncidents = gauge(registry, OPEN_INCIDENTS, "Open incidents of the process engine (failed jobs)");
    }

    private static MultiGauge gauge(MeterRegistry registry, String name, String description) {
        return MultiGauge.builder(name).description(description).register(registry);
    }

    @Scheduled(fixedDelayString = "${partner-access.operations.metrics-refresh:30s}")
    public synchronized void refresh() {
        try {
            Instant now = clock.instant();
            // by kind: HUMAN and MACHINE from the identities, PARTNERSHIP from the partnerships
            Map<String, Long> overdue = new LinkedHashMap<>();
            Map<String, Long> expiring = new LinkedHashMap<>();
            Map<String, Long> pastEnd = new LinkedHashMap<>();
            refreshIdentities(now, overdue, expiring, pastEnd);
            refreshPartnerships(now, overdue, expiring, pastEnd);
            overdueReviews.register(rows(byKind(overdue)), true);
            upcomingExpiries.register(rows(byKind(expiring)), true);
            overdueExpiries.register(rows(byKind(pastEnd)), true);
            refreshEngine();
        } catch (DataAccessException | org.camunda.bpm.engine.ProcessEngineException e) {
            // the gauges keep their last values; the next refresh tries again
            log.warn("Could not refresh the registry metrics: {}", e.getMessage());
        }
    }

    private void refreshIdentities(Instant now, Map<String, Long> overdue, Map<String, Long> expiring,
                                   Map<String, Long> pastEnd) {
        Map<Tags, Long> byStateAndKind = new LinkedHashMap<>();
        for (IdentityKind kind : IdentityKind.values()) {
            for (LifecycleState state : LifecycleState.values()) {
                byStateAndKind.put(Tags.of("state", state.name(), "kind", kind.name()), 0L);
            }
            overdue.put(kind.name(), 0L);
            expiring.put(kind.name(), 0L);
            pastEnd.put(kind.name(), 0L);
        }
        jdbc.query("select state, kind, count(*), "
                        + "sum(case when next_review_at < ? then 1 else 0 end), "
                        + "sum(case when end_date >= ? and end_date < ? then 1 else 0 end), "
                        + "sum(case when end_date < ? then 1 else 0 end) "
                        + "from partner_identity where " + Drills.NOT_A_DRILL + " group by state, kind",
                row -> {
                    LifecycleState state = LifecycleState.valueOf(row.getString(1));
                    String kind = row.getString(2);
                    byStateAndKind.put(Tags.of("state", state.name(), "kind", kind), row.getLong(3));
                    if (UNDER_RECERTIFICATION.contains(state)) {
                        overdue.merge(kind, row.getLong(4), Long::sum);
                    }
                    if (!ENDED.contains(state)) {
                        expiring.merge(kind, row.getLong(5), Long::sum);
                        pastEnd.merge(kind, row.getLong(6), Long::sum);
                    }
                },
                utc(now), utc(now), utc(now.plus(properties.expiryWarning())), utc(now));
        identities.register(rows(byStateAndKind), true);
    }

    private void refreshPartnerships(Instant now, Map<String, Long> overdue, Map<String, Long> expiring,
                                     Map<String, Long> pastEnd) {
        Map<Tags, Long> byState = new LinkedHashMap<>();
        for (LifecycleState state : LifecycleState.values()) {
            byState.put(Tags.of("state", state.name()), 0L);
        }
        overdue.put(PARTNERSHIP_KIND, 0L);
        expiring.put(PARTNERSHIP_KIND, 0L);
        pastEnd.put(PARTNERSHIP_KIND, 0L);
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        jdbc.query("select state, count(*), "
                        + "sum(case when next_review_at < ? then 1 else 0 end), "
                        + "sum(case when end_date >= ? and end_date <= ? then 1 else 0 end), "
                        + "sum(case when end_date < ? then 1 else 0 end) "
                        + "from partnership where " + Drills.NOT_A_DRILL + " group by state",
                row -> {
                    LifecycleState state = LifecycleState.valueOf(row.getString(1));
                    byState.put(Tags.of("state", state.name()), row.getLong(2));
                    if (UNDER_RECERTIFICATION.contains(state)) {
                        overdue.merge(PARTNERSHIP_KIND, row.getLong(3), Long::sum);
                    }
                    if (!ENDED.contains(state)) {
                        expiring.merge(PARTNERSHIP_KIND, row.getLong(4), Long::sum);
                        pastEnd.merge(PARTNERSHIP_KIND, row.getLong(5), Long::sum);
                    }
                },
                utc(now), today, LocalDate.ofInstant(now.plus(properties.expiryWarning()), ZoneOffset.UTC), today);
        partnerships.register(rows(byState), true);
    }

    private void refreshEngine() {
        Map<Tags, Long> byTask = new LinkedHashMap<>();
        APPROVAL_TASKS.forEach(task -> byTask.put(Tags.of("task", task), 0L));
        // no grouped count in the engine's query API; its own table name keeps any configured prefix
        jdbc.query("select TASK_DEF_KEY_, count(*) from " + management.getTableName(Task.class)
                        + " group by TASK_DEF_KEY_",
                row -> {
                    byTask.put(Tags.of("task", String.valueOf(row.getString(1))), row.getLong(2));
                });
        pendingApprovals.register(rows(byTask), true);
        openIncidents.register(List.of(MultiGauge.Row.of(Tags.empty(), runtime.createIncidentQuery().count())), true);
    }

    private static Map<Tags, Long> byKind(Map<String, Long> counts) {
        Map<Tags, Long> tagged = new LinkedHashMap<>();
        counts.forEach((kind, count) -> tagged.put(Tags.of("kind", kind), count));
        return tagged;
    }

    private static List<MultiGauge.Row<?>> rows(Map<Tags, Long> counts) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        counts.forEach((tags, count) -> rows.add(MultiGauge.Row.of(tags, count)));
        return rows;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
