package org.partneraccess.expiry;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.annotation.PreDestroy;
import org.partneraccess.LifecycleState;
import org.partneraccess.ProcessIds;
import org.partneraccess.human.HumanAccessService;
import org.partneraccess.inventory.AccessEndTrigger;
import org.partneraccess.inventory.IdentityKind;
import org.partneraccess.inventory.IdentityLifecycle;
import org.partneraccess.inventory.IdentityLifecycles;
import org.partneraccess.inventory.IdentityProcesses;
import org.partneraccess.machine.MachineAccessService;
import org.partneraccess.partnership.LifecycleTriggers;
import org.partneraccess.partnership.TriggerNotAcceptedException;
import org.partneraccess.revocation.PartnershipAccessService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Revokes the machines whose end date has passed, many at a time, then tells each one's process, which notifies the
 * owner and keeps the disabled client for its retention period. On a burst of end dates this is faster than a timer
 * per machine (docs/benchmarks.md, section 4): one indexed query and direct Keycloak calls instead of three jobs per
 * machine. The process keeps its own end-date timer as a backstop, due a while later. People holding access past
 * their end date are revoked the same way, from the registry: their process revokes by its own timer at the same
 * time, and this holds when that timer was moved or the instance deleted through the engine's API. So are people
 * whose recertification was missed: due by the registry's review date more than the recertification deadline ago
 * and not recertified since; their process revokes by its own deadline timer, and this holds when the review timer
 * or the deadline was postponed or the instance deleted. Partnerships whose recertification was missed (by the same
 * measure) are suspended, with their people and machines, through the one suspension path, and their process, when
 * it still runs, is told so that it waits for the resumption as after its own deadline. A process that could not be
 * told (its instance suspended in the engine) is told once it runs again, so that the registry and the process agree
 * and the resumption works. Machines that no one used since before their owner's unused review should have ended are
 * revoked the same way: their process asks the owner and revokes by its own timers, and this holds when those timers
 * were postponed or the instance deleted; Keycloak's record of the machine's last token is read again before each is
 * revoked.
 */
@Service
@EnableConfigurationProperties(ExpiryProperties.class)
public class ExpirySweeper {

    static final String SWEEP = "machine-end-dates";

    private static final Logger log = LoggerFactory.getLogger(ExpirySweeper.class);

    /** Machines in any state that has not ended; people while Keycloak holds them (a request has no account yet). */
    private static final String DUE = "select identity_id, kind from partner_identity where ((kind = '"
            + IdentityKind.MACHINE + "' and state in (" + quoted(LifecycleState.notEnded()) + ")) or (kind = '"
            + IdentityKind.HUMAN + "' and state in (" + quoted(EnumSet.of(LifecycleState.ACTIVE,
            LifecycleState.UNDER_REVIEW, LifecycleState.SUSPENDED)) + "))) and end_date <= ? order by end_date, identity_id";

    /**
     * People with a review of their own (their own policy decision: a partnership's contact is reviewed with the
     * partnership) whose review fell due at or before the given instant, while the review clock runs: a
     * recertification moves the review date forward, a suspended person holds no access.
     */
    private static final String UNRECERTIFIED = "select identity_id from partner_identity i where i.kind = '"
            + IdentityKind.HUMAN + "' and i.state in (" + quoted(HumanAccessService.REVIEWED) + ") and i.next_review_at"
            + " <= ? and exists (select 1 from decision d where d.subject = i.identity_id and d.step = '"
            + HumanAccessService.POLICY_DECIDED + "') order by i.next_review_at, i.identity_id";

    /**
     * Machines holding access that nothing has counted as used (a token in the registry, an activation or resumption,
     * the owner's confirmation) since the given instant; Keycloak's own record of the last token is read again before
     * each is revoked. Activation is always set for a machine that holds access.
     */
    private static final String UNUSED = "select i.identity_id from partner_identity i join machine_profile p on"
            + " p.identity_id = i.identity_id where i.kind = '" + IdentityKind.MACHINE + "' and i.state in ("
            + quoted(EnumSet.of(LifecycleState.ACTIVE, LifecycleState.UNDER_REVIEW)) + ") and p.active_since <= ?"
            + " and (i.last_used_at is null or i.last_used_at <= ?) and (p.use_confirmed_at is null or"
            + " p.use_confirmed_at <= ?) order by p.active_since, i.identity_id";

    /**
     * Partnerships holding access (active, or under review) whose review fell due at or before the given instant: a
     * recertification moves the review date forward, a resumption restarts it, a suspended one holds no access.
     */
    private static final String UNRECERTIFIED_PARTNERSHIPS = "select partnership_key from partnership where state in ("
            + quoted(EnumSet.of(LifecycleState.ACTIVE, LifecycleState.UNDER_REVIEW)) + ") and next_review_at <= ?"
            + " order by next_review_at, partnership_key";

    /**
     * Partnerships suspended for a missed review, by key, a page after the given key: their process should wait for the
     * resumption (a resumption makes them active again; a termination ends them).
     */
    private static final String SUSPENDED_UNRECERTIFIED = "select partnership_key from partnership where state = '"
            + LifecycleState.SUSPENDED + "' and state_reason = '" + PartnershipAccessService.RECERTIFICATION_MISSED
            + "' and partnership_key > ? order by partnership_key";

    private final MachineAccessService machines;
    private final HumanAccessService humans;
    private final IdentityLifecycles lifecycles;
    private final PartnershipAccessService partnerships;
    private final LifecycleTriggers triggers;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate locked;
    private final ExpiryProperties properties;
    private final Duration recertificationDeadline;
    private final ExecutorService pool;

    ExpirySweeper(MachineAccessService machines, HumanAccessService humans, IdentityLifecycles lifecycles,
                  PartnershipAccessService partnerships, LifecycleTriggers triggers, JdbcTemplate jdbc, PlatformTransactionManager transactions,
                  ExpiryProperties properties,
                  @Value("${partner-access.recertification.deadline}") Duration recertificationDeadline) {
        this.machines = machines;
        this.humans = humans;
        this.lifecycles = lifecycles;
        this.partnerships = partnerships;
        this.triggers = triggers;
        this.jdbc = jdbc;
        this.locked = new TransactionTemplate(transactions);
        this.properties = properties;
        // the same setting the processes' deadline timers take (reviewDeadline)
        this.recertificationDeadline = recertificationDeadline;
        CustomizableThreadFactory threads = new CustomizableThreadFactory("expiry-");
        threads.setDaemon(true);
        // its own threads: a burst of end dates must not queue an incident's revocations behind it
        this.pool = Executors.newFixedThreadPool(properties.concurrency(), threads);
    }

    @PreDestroy
    void stop() {
        pool.shutdownNow();
    }

    @Scheduled(initialDelayString = "${partner-access.expiry.sweep-interval:1s}",
            fixedDelayString = "${partner-access.expiry.sweep-interval:1s}")
    void scheduled() {
        try {
            sweep();
        } catch (DataAccessException e) {
            log.warn("Could not sweep for identities past their end date or recertification deadline: {}",
                    e.getMessage());
        }
    }

    /**
     * Revokes every identity whose end date has passed, then every person whose recertification was missed, then
     * every machine unused past its review, then suspends every partnership whose recertification was missed, batch
     * after batch while batches come full and all succeed, and tells the processes that have not heard of such a
     * suspension yet. One sweep at a time across nodes: while another node sweeps, this one does nothing.
     *
     * @return how many identities this sweep revoked and partnerships it suspended
     */
    public int sweep() {
        Integer revoked = locked.execute(status -> {
            if (jdbc.queryForList("select name from expiry_sweep where name = ? for update skip locked", String.class,
                    SWEEP).isEmpty()) {
                return 0;
            }
            Instant now = Instant.now();
            int total = 0;
            Batch batch;
            do {
                batch = revokeAll(dueAt(now));
                total += batch.revoked();
            } while (batch.size() == properties.batchSize() && batch.failed() == 0);
            Instant reviewDueBy = now.minus(recertificationDeadline);
            do {
                batch = revokeAll(unrecertifiedAt(reviewDueBy));
                total += batch.revoked();
            } while (batch.size() == properties.batchSize() && batch.failed() == 0);
            Instant unusedBefore = machines.unusedReviewMissedBefore(now);
            do {
                batch = revokeAll(unusedAt(unusedBefore));
                total += batch.revoked();
            } while (batch.size() == properties.batchSize() && batch.failed() == 0);
            do {
                batch = suspendAll(unrecertifiedPartnershipsAt(reviewDueBy), reviewDueBy);
                total += batch.revoked();
            } while (batch.size() == properties.batchSize() && batch.failed() == 0);
            tellUntoldSuspensions();
            jdbc.update("update expiry_sweep set last_swept_at = ?, revoked = ? where name = ?",
                    now.atOffset(ZoneOffset.UTC), total, SWEEP);
            return total;
        });
        return revoked == null ? 0 : revoked;
    }

    /**
     * Tells again the process of each partnership suspended for a missed review that does not wait for the resumption:
     * one the sweep suspended while its instance was suspended in the engine, and that runs again. Asks the engine once
     * which processes wait, then only the others; a process that does not take the message (its instance still
     * suspended or deleted, or on its way to the resumption) is left for a later sweep.
     */
    private void tellUntoldSuspensions() {
        java.util.Set<String> waiting = null;
        List<String> page;
        String after = "";
        do {
            page = suspendedUnrecertifiedAfter(after);
            if (page.isEmpty()) {
                return;
            }
            after = page.get(page.size() - 1);
            if (waiting == null) {
                waiting = triggers.waitingIn(ProcessIds.PARTNERSHIP_PROCESS, ProcessIds.RECEIVE_TASK_AWAIT_RESUMPTION);
            }
            java.util.Set<String> waitingNow = waiting;
            List<String> untold = page.stream().filter(key -> !waitingNow.contains(key)).toList();
            try {
                for (Future<Boolean> each : pool.invokeAll(untold.stream().<Callable<Boolean>>map(key ->
                        () -> partnerships.tellUnrecertifiedSuspension(key)).toList())) {
                    try {
                        each.get();
                    } catch (ExecutionException | CancellationException e) {
                        log.warn("A partnership's process not told of its suspension yet, the next sweep tries again: {}",
                                (e.getCause() == null ? e : e.getCause()).getMessage());
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        } while (page.size() == properties.batchSize());
    }

    private List<String> suspendedUnrecertifiedAfter(String key) {
        return jdbc.query(statement -> {
            var prepared = statement.prepareStatement(SUSPENDED_UNRECERTIFIED);
            prepared.setMaxRows(properties.batchSize());
            prepared.setString(1, key);
            return prepared;
        }, (rs, n) -> rs.getString(1));
    }

    private static String quoted(Set<LifecycleState> states) {
        return String.join(", ", states.stream().map(state -> "'" + state + "'").toList());
    }

    /** Why an identity is revoked by the sweep. */
    private enum Cause {
        END_DATE, REVIEW_MISSED, UNUSED
    }

    /**
     * An identity to revoke: past its end date, or (a person) with a review that fell due at or before
     * {@code before} and was not recertified since, or (a machine) not counted as used since {@code before}.
     */
    private record Due(String identityId, IdentityKind kind, Cause cause, Instant before) {
    }

    /** An identity the sweep revoked, and why its process is told its access ended (null: not told). */
    private record Revoked(String identityId, AccessEndTrigger told) {
    }

    private List<Due> dueAt(Instant now) {
        return batch(DUE, now, (rs, n) -> new Due(rs.getString(1), IdentityKind.valueOf(rs.getString(2)),
                Cause.END_DATE, now));
    }

    private List<Due> unrecertifiedAt(Instant reviewDueBy) {
        return batch(UNRECERTIFIED, reviewDueBy, (rs, n) -> new Due(rs.getString(1), IdentityKind.HUMAN,
                Cause.REVIEW_MISSED, reviewDueBy));
    }

    private List<Due> unusedAt(Instant before) {
        return batch(UNUSED, before, (rs, n) -> new Due(rs.getString(1), IdentityKind.MACHINE, Cause.UNUSED, before));
    }

    private List<String> unrecertifiedPartnershipsAt(Instant reviewDueBy) {
        return batch(UNRECERTIFIED_PARTNERSHIPS, reviewDueBy, (rs, n) -> rs.getString(1));
    }

    /** At most a batch of the rows a sweep's query finds for one instant. */
    private <T> List<T> batch(String sql, Instant at, RowMapper<T> row) {
        return jdbc.query(statement -> {
            var prepared = statement.prepareStatement(sql);
            prepared.setMaxRows(properties.batchSize());
            // every parameter of a sweep's query is the one instant
            for (int i = 1; i <= sql.chars().filter(c -> c == '?').count(); i++) {
                prepared.setObject(i, at.atOffset(ZoneOffset.UTC));
            }
            return prepared;
        }, row);
    }

    private record Batch(int size, int revoked, int failed) {
    }

    /**
     * Suspends each partnership (its people and machines in Keycloak, the registry, its process told) in a transaction
     * of its own; one that fails stays as it is, and the next sweep tries again.
     */
    private Batch suspendAll(List<String> due, Instant reviewDueBy) {
        int suspended = 0;
        int left = 0;
        Throwable firstFailure = null;
        try {
            for (Future<Boolean> each : pool.invokeAll(due.stream().<Callable<Boolean>>map(key ->
                    () -> partnerships.suspendUnrecertified(key, reviewDueBy)).toList())) {
                try {
                    if (each.get()) {
                        suspended++;
                    } else {
                        left++;
                    }
                } catch (ExecutionException | CancellationException e) {
                    firstFailure = firstFailure == null ? (e.getCause() == null ? e : e.getCause()) : firstFailure;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int failed = due.size() - suspended - left;
        if (firstFailure != null) {
            log.warn("{} of {} partnerships past their recertification deadline not suspended yet: {}", failed,
                    due.size(), firstFailure.getMessage());
        }
        return new Batch(due.size(), suspended, failed);
    }

    /** The whole batch revoked first; then its processes are told, so that no revocation waits behind a message. */
    private Batch revokeAll(List<Due> due) {
        List<Revoked> revoked = new ArrayList<>();
        int left = 0;
        Throwable firstFailure = null;
        try {
            List<Future<Revoked>> done = pool.invokeAll(due.stream().<Callable<Revoked>>map(each -> () -> {
                // null: recertified, used or ended since the query read the row, nothing to revoke
                return switch (each.cause()) {
                    // a person's process revokes by its own deadline timer, due at the same time
                    case REVIEW_MISSED -> humans.revokeUnrecertified(each.identityId(), each.before())
                            ? new Revoked(each.identityId(), null) : null;
                    case UNUSED -> machines.revokeUnused(each.identityId(), each.before())
                            ? new Revoked(each.identityId(), AccessEndTrigger.UNUSED) : null;
                    case END_DATE -> {
                        IdentityLifecycle lifecycle = lifecycles.of(each.kind());
                        lifecycle.expire(each.identityId());
                        yield new Revoked(each.identityId(),
                                lifecycle.processFollowsEndDateSweep() ? AccessEndTrigger.ACCESS_ENDED : null);
                    }
                };
            }).toList());
            for (Future<Revoked> each : done) {
                try {
                    Revoked revokedNow = each.get();
                    if (revokedNow != null) {
                        revoked.add(revokedNow);
                    } else {
                        left++;
                    }
                } catch (ExecutionException | CancellationException e) {
                    firstFailure = firstFailure == null ? (e.getCause() == null ? e : e.getCause()) : firstFailure;
                }
            }
            pool.invokeAll(revoked.stream().filter(each -> each.told() != null)
                    .<Callable<Void>>map(each -> () -> {
                        tell(each.identityId(), each.told());
                        return null;
                    }).toList());
        } catch (InterruptedException e) {
            // shutting down: what is not revoked yet is due at the next sweep (on this node or another); a process
            // not told yet revokes by its backstop timer, which finds the machine revoked
            Thread.currentThread().interrupt();
        }
        int failed = due.size() - revoked.size() - left;
        if (firstFailure != null) {
            // left as they are: the next sweep tries again, and the process's backstop timer after that
            log.warn("{} of {} identities past their end date or recertification deadline not revoked yet: {}", failed,
                    due.size(), firstFailure.getMessage());
        }
        return new Batch(due.size(), revoked.size(), failed);
    }

    /**
     * A process no longer waiting for it has ended otherwise; one not told for a failure finds the machine revoked when
     * its own timer (the end-date backstop, the next use check) comes.
     */
    private void tell(String identityId, AccessEndTrigger trigger) {
        IdentityProcesses.Message message = IdentityProcesses.Message.accessEnds(trigger,
                trigger == AccessEndTrigger.UNUSED ? "unused, its review missed" : "access end date reached", "system", true);
        try {
            triggers.tellIdentity(identityId, message);
        } catch (TriggerNotAcceptedException e) {
            log.debug("Machine {} revoked by the sweep ({}); its process was not waiting: {}", identityId, trigger,
                    e.getMessage());
        } catch (RuntimeException e) {
            log.warn("Machine {} revoked by the sweep ({}); its process was not told: {}", identityId, trigger,
                    e.getMessage());
        }
    }
}
