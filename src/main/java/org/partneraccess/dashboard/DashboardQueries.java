package org.partneraccess.dashboard;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.history.HistoricActivityInstance;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.partneraccess.Drills;
import org.partneraccess.LifecycleState;
import org.partneraccess.ProcessIds;
import org.partneraccess.inventory.IdentityFilter;
import org.partneraccess.inventory.IdentityInventory;
import org.partneraccess.inventory.IdentityKind;
import org.partneraccess.inventory.IdentityPage;
import org.partneraccess.inventory.IdentityQuery;
import org.partneraccess.partnership.PartnershipController.PartnershipView;
import org.partneraccess.partnership.PartnershipFilter;
import org.partneraccess.partnership.PartnershipListing;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What the dashboard shows, read in few queries: grouped counts of the registry, one pass over the next 13 weeks of
 * end dates and reviews, the overdue reviews, and the engine's open incidents.
 */
@Service
class DashboardQueries {

    static final Set<LifecycleState> NOT_ENDED = EnumSet.of(LifecycleState.REQUESTED, LifecycleState.APPROVED,
            LifecycleState.ACTIVE, LifecycleState.UNDER_REVIEW, LifecycleState.SUSPENDED);
    static final Set<LifecycleState> UNDER_RECERTIFICATION = EnumSet.of(LifecycleState.ACTIVE,
            LifecycleState.UNDER_REVIEW);
    /** The timeline: 13 weeks, about 90 days from today. */
    static final int WEEKS = 13;
    static final int LIST_LIMIT = 50;
    static final int INCIDENT_LIMIT = 20;
    private static final DateTimeFormatter WEEK_LABEL = DateTimeFormatter.ofPattern("MMM d");

    private final JdbcTemplate jdbc;
    private final IdentityInventory identities;
    private final PartnershipListing partnerships;
    private final RuntimeService runtime;
    private final HistoryService history;
    private final RepositoryService repository;

    DashboardQueries(JdbcTemplate jdbc, IdentityInventory identities, PartnershipListing partnerships,
                     RuntimeService runtime, HistoryService history, RepositoryService repository) {
        this.jdbc = jdbc;
        this.identities = identities;
        this.partnerships = partnerships;
        this.runtime = runtime;
        this.history = history;
        this.repository = repository;
    }

    /** Identities of one state, by kind. */
    public record StateCount(LifecycleState state, long human, long machine) {
        public long total() {
            return human + machine;
        }
    }

    /** One week of the timeline: identities and partnerships that end, and reviews that fall due, in it. */
    public record Week(LocalDate start, long identityExpiries, long partnershipExpiries, long identityReviews,
                long partnershipReviews) {
        public long expiries() {
            return identityExpiries + partnershipExpiries;
        }

        public long reviews() {
            return identityReviews + partnershipReviews;
        }
    }

    public record IncidentRow(String id, Instant time, String type, String activityId, String processDefinitionKey,
                       String businessKey, String message) {
    }

    public record Overview(Instant generatedAt, List<StateCount> identities, long identityTotal,
                    Map<LifecycleState, Long> partnerships, long partnershipTotal, List<Week> weeks,
                    IdentityPage upcomingExpiries, IdentityPage overdueIdentities,
                    PartnershipListing.Page overduePartnerships, long openIncidents, List<IncidentRow> incidents,
                    List<PartnershipView> suspendedByIncident) {
    }

    @Transactional(readOnly = true)
    Overview overview(Instant now) {
        List<StateCount> identityCounts = identityCounts();
        Map<LifecycleState, Long> partnershipCounts = partnershipCounts();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        Instant horizon = today.plusWeeks(WEEKS).atStartOfDay().toInstant(ZoneOffset.UTC);
        IdentityPage upcoming = identities.page(IdentityQuery.of(new IdentityFilter(NOT_ENDED, null, null, null,
                horizon, null), null), 0, LIST_LIMIT);
        IdentityPage overdueIdentities = identities.page(IdentityQuery.of(new IdentityFilter(UNDER_RECERTIFICATION,
                null, null, null, null, now), List.of("nextReviewAt")), 0, LIST_LIMIT);
        PartnershipListing.Page overduePartnerships = partnerships.page(new PartnershipFilter(UNDER_RECERTIFICATION,
                null, null, now), List.of("nextReviewAt"), 0, LIST_LIMIT);
        return new Overview(now, identityCounts, identityCounts.stream().mapToLong(StateCount::total).sum(),
                partnershipCounts, partnershipCounts.values().stream().mapToLong(Long::longValue).sum(),
                weeks(today), upcoming, overdueIdentities, overduePartnerships, runtime.createIncidentQuery().count(),
                incidents(), suspendedByIncident());
    }

    List<StateCount> identityCounts() {
        Map<LifecycleState, long[]> counts = new EnumMap<>(LifecycleState.class);
        for (LifecycleState state : LifecycleState.values()) {
            counts.put(state, new long[2]);
        }
        jdbc.query("select state, kind, count(*) from partner_identity where " + Drills.NOT_A_DRILL
                + " group by state, kind", row -> {
            long[] byKind = counts.get(LifecycleState.valueOf(row.getString(1)));
            byKind[IdentityKind.valueOf(row.getString(2)) == IdentityKind.HUMAN ? 0 : 1] += row.getLong(3);
        });
        List<StateCount> result = new ArrayList<>();
        counts.forEach((state, byKind) -> result.add(new StateCount(state, byKind[0], byKind[1])));
        return result;
    }

    Map<LifecycleState, Long> partnershipCounts() {
        Map<LifecycleState, Long> counts = new EnumMap<>(LifecycleState.class);
        for (LifecycleState state : LifecycleState.values()) {
            counts.put(state, 0L);
        }
        jdbc.query("select state, count(*) from partnership where " + Drills.NOT_A_DRILL + " group by state", (RowCallbackHandler) row -> {
            counts.put(LifecycleState.valueOf(row.getString(1)), row.getLong(2));
        });
        return counts;
    }

    /**
     * One query per table: a conditional count per week of end dates and of review dates, over the rows that end or
     * are reviewed within the horizon (an index range each). Only what has not ended yet counts.
     */
    List<Week> weeks(LocalDate today) {
        List<LocalDate> starts = new ArrayList<>();
        for (int week = 0; week <= WEEKS; week++) {
            starts.add(today.plusWeeks(week));
        }
        String notEnded = "state in ('REQUESTED', 'APPROVED', 'ACTIVE', 'UNDER_REVIEW', 'SUSPENDED') and "
                + Drills.NOT_A_DRILL;
        long[] identityEnds = weekly("partner_identity", "end_date", notEnded, starts, true);
        long[] identityReviews = weekly("partner_identity", "next_review_at", notEnded, starts, true);
        long[] partnershipEnds = weekly("partnership", "end_date", notEnded, starts, false);
        long[] partnershipReviews = weekly("partnership", "next_review_at", notEnded, starts, true);
        List<Week> weeks = new ArrayList<>();
        for (int week = 0; week < WEEKS; week++) {
            weeks.add(new Week(starts.get(week), identityEnds[week], partnershipEnds[week], identityReviews[week],
                    partnershipReviews[week]));
        }
        return weeks;
    }

    private long[] weekly(String table, String column, String condition, List<LocalDate> starts, boolean instant) {
        StringBuilder sql = new StringBuilder("select ");
        List<Object> arguments = new ArrayList<>();
        for (int week = 0; week < WEEKS; week++) {
            sql.append(week == 0 ? "" : ", ").append("sum(case when ").append(column).append(" >= ? and ")
                    .append(column).append(" < ? then 1 else 0 end)");
            arguments.add(bound(starts.get(week), instant));
            arguments.add(bound(starts.get(week + 1), instant));
        }
        sql.append(" from ").append(table).append(" where ").append(condition).append(" and ").append(column)
                .append(" >= ? and ").append(column).append(" < ?");
        arguments.add(bound(starts.get(0), instant));
        arguments.add(bound(starts.get(WEEKS), instant));
        return jdbc.query(sql.toString(), rs -> {
            long[] counts = new long[WEEKS];
            if (rs.next()) {
                for (int week = 0; week < WEEKS; week++) {
                    counts[week] = rs.getLong(week + 1);
                }
            }
            return counts;
        }, arguments.toArray());
    }

    private static Object bound(LocalDate day, boolean instant) {
        return instant ? OffsetDateTime.of(day.atStartOfDay(), ZoneOffset.UTC) : day;
    }

    List<IncidentRow> incidents() {
        List<IncidentRow> rows = new ArrayList<>();
        for (Incident incident : runtime.createIncidentQuery().orderByIncidentTimestamp().desc()
                .listPage(0, INCIDENT_LIMIT)) {
            ProcessInstance instance = incident.getProcessInstanceId() == null ? null
                    : runtime.createProcessInstanceQuery().processInstanceId(incident.getProcessInstanceId())
                    .singleResult();
            String definitionKey = incident.getProcessDefinitionId() == null ? null
                    : repository.getProcessDefinition(incident.getProcessDefinitionId()).getKey();
            rows.add(new IncidentRow(incident.getId(), incident.getIncidentTimestamp().toInstant(),
                    incident.getIncidentType(), incident.getActivityId(), definitionKey,
                    instance == null ? null : instance.getBusinessKey(), incident.getIncidentMessage()));
        }
        return rows;
    }

    /**
     * Suspended partnerships whose latest suspension was the cut-off after a partner incident (rather than a
     * suspension on request or a missed recertification), from the partnership process's history.
     */
    List<PartnershipView> suspendedByIncident() {
        List<PartnershipView> found = new ArrayList<>();
        for (PartnershipView partnership : partnerships.page(new PartnershipFilter(Set.of(LifecycleState.SUSPENDED),
                null, null, null), null, 0, PartnershipListing.MAX_PAGE_SIZE).items()) {
            HistoricActivityInstance latest = null;
            for (HistoricProcessInstance instance : history.createHistoricProcessInstanceQuery()
                    .processDefinitionKey(ProcessIds.PARTNERSHIP_PROCESS)
                    .processInstanceBusinessKey(partnership.key()).list()) {
                for (String activityId : List.of(ProcessIds.TASK_CUT_OFF_ALL_ACCESS,
                        ProcessIds.TASK_SUSPEND_PARTNERSHIP)) {
                    for (HistoricActivityInstance activity : history.createHistoricActivityInstanceQuery()
                            .processInstanceId(instance.getId()).activityId(activityId).list()) {
                        if (latest == null || BY_START.compare(activity, latest) > 0) {
                            latest = activity;
                        }
                    }
                }
            }
            if (latest != null && ProcessIds.TASK_CUT_OFF_ALL_ACCESS.equals(latest.getActivityId())) {
                found.add(partnership);
            }
        }
        return found;
    }

    private static final Comparator<HistoricActivityInstance> BY_START =
            Comparator.comparing(HistoricActivityInstance::getStartTime);

    static String weekLabel(LocalDate start) {
        return WEEK_LABEL.format(start);
    }

    static Map<String, String> describe(org.partneraccess.inventory.IdentityView identity) {
        Map<String, String> subject = new LinkedHashMap<>();
        subject.put("Identity", identity.displayName() + " (" + identity.kind() + ", " + identity.keycloakName() + ")");
        subject.put("Partnership", identity.partnershipKey());
        subject.put("State", identity.state() + (identity.stateReason() == null ? "" : ": " + identity.stateReason())
                + (identity.invitationPending() ? " · invitation pending" : ""));
        subject.put("Owner", identity.owner());
        subject.put("Purpose", identity.purpose());
        subject.put("Approved by", identity.approvedBy() == null ? "" : identity.approvedBy() + " at "
                + identity.approvedAt());
        subject.put("Ends", String.valueOf(identity.endDate()));
        subject.put("Last used", identity.lastUsedAt() == null ? "never seen" : identity.lastUsedAt().toString());
        return subject;
    }
}
