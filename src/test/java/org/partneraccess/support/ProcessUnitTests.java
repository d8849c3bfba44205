package org.partneraccess.support;

import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.historyService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.identityService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.managementService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.assertj.core.api.Assertions;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.history.HistoricVariableInstance;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.camunda.community.process_test_coverage.junit5.platform7.ProcessEngineCoverageExtension;

/**
 * The in-memory engine of process unit tests. Its configuration file is deliberately not named camunda.cfg.xml:
 * Camunda's webapps would otherwise find that file on the test classpath and build a second, unsecured "default"
 * engine from it inside the integration tests' application.
 */
public final class ProcessUnitTests {

    public static final String CONFIGURATION = "process-unit-test.cfg.xml";

    private ProcessUnitTests() {
    }

    public static ProcessEngineExtension engine() {
        return ProcessEngineExtension.builder().configurationResource(CONFIGURATION).build();
    }

    /**
     * The same engine, also reporting the process coverage the test class reaches and failing the class when it falls
     * below {@code classCoverageAtLeast} (0 to 1), so a path left untested shows up. Register it in a static field.
     */
    public static ProcessEngineCoverageExtension engineWithCoverage(double classCoverageAtLeast) {
        return ProcessEngineCoverageExtension.builder(CONFIGURATION)
                .assertClassCoverageAtLeast(classCoverageAtLeast)
                .build();
    }

    /**
     * Completes the task as this user of this group, as Tasklist would: the engine's authentication, which the
     * segregation-of-duties listener reads, is set for this call only.
     */
    public static void completeAs(Task task, String user, String group, Map<String, Object> variables) {
        identityService().setAuthentication(user, List.of(group));
        try {
            complete(task, variables);
        } finally {
            identityService().clearAuthentication();
        }
    }

    /** The job is due {@code expected} from now, give or take {@code within}. */
    public static void assertDueIn(Job job, Duration expected, Duration within) {
        assertDueAt(job, Instant.now().plus(expected), within);
    }

    /** The job is due at {@code expected}, give or take {@code within}. */
    public static void assertDueAt(Job job, Instant expected, Duration within) {
        Assertions.assertThat(job.getDuedate().toInstant()).as("due date of job %s", job.getId())
                .isBetween(expected.minus(within), expected.plus(within));
    }

    /** The value the instance's variable had last, from the history (the instance may have ended). */
    public static Object historicVariable(ProcessInstance instance, String name) {
        HistoricVariableInstance variable = historyService().createHistoricVariableInstanceQuery()
                .processInstanceId(instance.getId()).variableName(name).singleResult();
        Assertions.assertThat(variable).as("variable %s", name).isNotNull();
        return variable.getValue();
    }

    /** Runs the job the instance has at {@code activityId}; fails when there is none. */
    public static void executeJob(ProcessInstance instance, String activityId) {
        Job job = managementService().createJobQuery().processInstanceId(instance.getId()).activityId(activityId)
                .singleResult();
        Assertions.assertThat(job).as("job of %s", activityId).isNotNull();
        execute(job);
    }

    /**
     * The first overdue notice of a waiting approval: its timer ({@code BoundaryEvent_<role>ApprovalOverdue}) is due at
     * {@code due}; firing it runs nothing yet (the notice {@code Task_Notify<role>ApprovalOverdue} is a save point, a
     * job of its own); the notice then runs once, about {@code task}, which stays open and the same, and no timer is
     * left to fire again. {@code noticed} collects the tasks the mocked {@code notice} was run for.
     */
    public static void assertFirstOverdueNotice(ProcessInstance instance, String role, String task, Date due,
                                                JavaDelegate notice, List<String> noticed) throws Exception {
        assertOverdueNoticedOnce(instance, role + "ApprovalOverdue", task, due, notice, noticed);
    }

    /**
     * The task shows {@code due} as its due date, its escalation timer ({@code BoundaryEvent_<escalation>}) fires then,
     * once; its notice step tells the security officers about that task, and the task stays open as it was.
     */
    public static void assertOverdueNoticedOnce(ProcessInstance instance, String escalation, String task, Date due,
                                                JavaDelegate notice, List<String> noticed) throws Exception {
        String timerId = "BoundaryEvent_" + escalation;
        Assertions.assertThat(task(instance).getTaskDefinitionKey()).isEqualTo(task);
        Assertions.assertThat(task(instance).getDueDate()).as("due date of %s", task).isEqualTo(due);
        String waiting = task(instance).getId();
        Job timer = managementService().createJobQuery().processInstanceId(instance.getId()).timers()
                .activityId(timerId).singleResult();
        // a duration (a review's deadline) is resolved for the task and for its timer one after the other
        Assertions.assertThat(timer.getDuedate()).isCloseTo(due, 1_000);

        execute(timer);
        verify(notice, never()).execute(any());
        executeJob(instance, "Task_Notify" + escalation);
        Assertions.assertThat(noticed).containsExactly(task);
        assertThat(instance).hasPassed("EndEvent_" + escalation + "NoticeSent").isWaitingAt(task);
        Assertions.assertThat(task(instance).getId()).isEqualTo(waiting);
        Assertions.assertThat(managementService().createJobQuery().processInstanceId(instance.getId()).timers()
                .activityId(timerId).count()).as("fires once").isZero();
    }
}
