package org.partneraccess.support;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.partneraccess.ProcessIds;
import org.partneraccess.Variables;
import org.partneraccess.machine.MachineFixtures;

/** The sponsor's approval of a requested partnership or partner person, as Tasklist would complete it. */
public final class SponsorApproval {

    private SponsorApproval() {
    }

    /**
     * Completes the partnership's sponsor task as {@code sam.sponsor}, then waits until the partnership rests in its
     * active period.
     */
    public static void approveAndAwaitActive(TaskService tasks, IdentityService identity, RuntimeService runtime,
                                             String key) {
        approveAndAwaitActive(tasks, identity, runtime, key, "sam.sponsor");
    }

    /** The same, as the sponsor the partnership names: only that sponsor is offered its approval. */
    public static void approveAndAwaitActive(TaskService tasks, IdentityService identity, RuntimeService runtime,
                                             String key, String sponsor) {
        approve(tasks, identity, key, sponsor);
        await().atMost(Duration.ofSeconds(60)).until(() -> runtime.createExecutionQuery().processInstanceBusinessKey(key)
                .activityId(ProcessIds.TIMER_RECERTIFICATION_DUE).count() == 1);
    }

    /**
     * Completes the sponsor task of the process with this business key (a partnership or a partner person) as
     * {@code sam.sponsor}, once it is there; the engine's task authorizations apply.
     */
    public static void approve(TaskService tasks, IdentityService identity, String key) {
        approve(tasks, identity, key, "sam.sponsor");
    }

    /** The same, as this sponsor. */
    public static void approve(TaskService tasks, IdentityService identity, String key, String sponsor) {
        MachineFixtures.complete(tasks, identity, key, ProcessIds.TASK_APPROVE_AS_SPONSOR, sponsor, "sponsors",
                Map.of(Variables.SPONSOR_APPROVED, true));
    }
}
