package org.partneraccess.continuity;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.*;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.partneraccess.support.ProcessUnitTests.completeAs;

import java.util.Map;

import org.assertj.core.api.Assertions;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.partneraccess.InvalidRequestException;
import org.partneraccess.ProcessIds;
import org.partneraccess.Variables;
import org.partneraccess.support.ProcessUnitTests;

/** Every path of OwnerReassignmentProcess, with the delegates mocked. */
@Deployment(resources = "bpmn/OwnerReassignmentProcess.bpmn")
class OwnerReassignmentProcessTest {

    private static final String DEPARTED = "dora.departed";
    private static final String SECURITY_OFFICER = "sofia.security";
    private static final String REASSIGN = ProcessIds.TASK_REASSIGN_OWNERSHIP;

    @RegisterExtension
    static ProcessEngineExtension engine = ProcessUnitTests.engineWithCoverage(1.0);

    private final JavaDelegate transfer = mock(JavaDelegate.class);
    private final JavaDelegate suspend = mock(JavaDelegate.class);
    private final JavaDelegate notifyOfficers = mock(JavaDelegate.class);
    private final TaskListener checkSuccessor = mock(TaskListener.class);

    @BeforeEach
    void registerMocks() {
        Mocks.register("transferOwnershipDelegate", transfer);
        Mocks.register("suspendOwnerlessAccessDelegate", suspend);
        Mocks.register("notifyOwnerlessAccessSuspendedDelegate", notifyOfficers);
        Mocks.register("checkSuccessorListener", checkSuccessor);
    }

    @AfterEach
    void reset() {
        Mocks.reset();
        engine.getIdentityService().clearAuthentication();
    }

    private ProcessInstance start() {
        ProcessInstance instance = runtimeService().startProcessInstanceByKey(ProcessIds.OWNER_REASSIGNMENT_PROCESS,
                DEPARTED, Map.of(OwnerReassignmentVariables.DEPARTED_USER, DEPARTED,
                        OwnerReassignmentVariables.DEPARTURE, "DISABLED",
                        OwnerReassignmentVariables.AFFECTED_PARTNERSHIPS, "acme",
                        OwnerReassignmentVariables.AFFECTED_SUMMARY, "Partnership acme: sponsor",
                        OwnerReassignmentVariables.REASSIGNMENT_DEADLINE, "P7D"));
        assertThat(instance).isWaitingAt(REASSIGN);
        assertThat(task()).hasCandidateGroup("security-officers").hasName("Reassign ownership of " + DEPARTED);
        return instance;
    }

    private void completeAsSecurityOfficer(String successor) {
        completeAs(task(), SECURITY_OFFICER, "security-officers", Map.of(OwnerReassignmentVariables.SUCCESSOR, successor));
    }

    @Test
    void aSecurityOfficerNamesTheSuccessorAndOwnershipIsTransferred() throws Exception {
        ProcessInstance instance = start();

        completeAsSecurityOfficer("sam.sponsor");

        assertThat(instance).isWaitingAt("Task_TransferOwnership");
        execute(job());
        assertThat(instance).hasPassed("Task_TransferOwnership").isEnded()
                .hasPassed("EndEvent_OwnershipTransferred").hasNotPassed("Task_SuspendOwnerlessAccess")
                .variables().containsEntry(OwnerReassignmentVariables.SUCCESSOR, "sam.sponsor")
                .containsEntry(Variables.decidedBy(REASSIGN), SECURITY_OFFICER);
        verify(checkSuccessor).notify(any(DelegateTask.class));
        verify(transfer).execute(any());
        verify(suspend, never()).execute(any());
    }

    @Test
    void aRefusedSuccessorLeavesTheTaskOpenAndTransfersNothing() throws Exception {
        doAnswer(call -> {
            throw new InvalidRequestException(Map.of(OwnerReassignmentVariables.SUCCESSOR, "dora.departed is the person who left"));
        }).when(checkSuccessor).notify(any(DelegateTask.class));
        ProcessInstance instance = start();

        // the engine wraps what a task listener throws; the field and message stay
        assertThatThrownBy(() -> completeAsSecurityOfficer(DEPARTED)).hasRootCauseInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("successor: dora.departed is the person who left");

        assertThat(instance).isWaitingAt(REASSIGN);
        Assertions.assertThat(managementService().createJobQuery().processInstanceId(instance.getId())
                .timers().count()).as("the deadline still runs").isEqualTo(1);
        verify(transfer, never()).execute(any());
    }

    @Test
    void anUnauthenticatedCompletionIsRefused() {
        ProcessInstance instance = start();

        assertThatThrownBy(() -> taskService().complete(task().getId(), Map.of(OwnerReassignmentVariables.SUCCESSOR, "sam.sponsor")))
                .hasMessageContaining("authenticated staff user");

        assertThat(instance).isWaitingAt(REASSIGN);
    }

    @Test
    void nobodyTakesOverInTimeSoTheAccessIsSuspendedAndSecurityOfficersAreTold() throws Exception {
        ProcessInstance instance = start();
        Assertions.assertThat(job().getDuedate()).isAfter(java.util.Date.from(java.time.Instant.now()
                .plus(java.time.Duration.ofDays(6))));

        execute(job());

        assertThat(instance).isWaitingAt("Task_SuspendOwnerlessAccess");
        Assertions.assertThat(taskService().createTaskQuery().processInstanceId(instance.getId()).count()).isZero();
        execute(job());
        assertThat(instance).isWaitingAt("Task_NotifySecurityOfficers");
        execute(job());
        assertThat(instance).hasPassed(ProcessIds.BOUNDARY_REASSIGNMENT_OVERDUE, "Task_SuspendOwnerlessAccess",
                "Task_NotifySecurityOfficers", "EndEvent_OwnerlessAccessSuspended").isEnded();
        verify(suspend).execute(any());
        verify(notifyOfficers).execute(any());
        verify(transfer, never()).execute(any());
    }
}
