package org.partneraccess.partnership;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.*;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import java.util.List;
import java.util.Map;

import org.assertj.core.api.Assertions;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.partneraccess.support.ProcessUnitTests;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.partneraccess.InvalidRequestException;
import org.partneraccess.ProcessIds;
import org.partneraccess.Variables;
import org.partneraccess.security.SegregationOfDutiesException;
import org.partneraccess.security.SegregationOfDutiesListener;

/** Every path of PartnershipProcess, with the delegates mocked: the model's own logic, fast. */
@Deployment(resources = "bpmn/PartnershipProcess.bpmn")
class PartnershipProcessTest {

    @RegisterExtension
    static ProcessEngineExtension engine = ProcessUnitTests.engine();

    private final JavaDelegate recordRequest = mock(JavaDelegate.class);
    private final JavaDelegate approve = mock(JavaDelegate.class);
    private final JavaDelegate reject = mock(JavaDelegate.class);
    private final JavaDelegate provisionContact = mock(JavaDelegate.class);
    private final JavaDelegate activate = mock(JavaDelegate.class);
    private final JavaDelegate notifyActive = mock(JavaDelegate.class);

    @BeforeEach
    void registerDelegates() {
        init(engine.getProcessEngine());
        Mocks.register("recordPartnershipRequestDelegate", recordRequest);
        Mocks.register("approvePartnershipDelegate", approve);
        Mocks.register("rejectPartnershipDelegate", reject);
        Mocks.register("provisionPartnerContactDelegate", provisionContact);
        Mocks.register("activatePartnershipDelegate", activate);
        Mocks.register("notifyPartnershipActiveDelegate", notifyActive);
        Mocks.register("segregationOfDutiesListener", new SegregationOfDutiesListener());
    }

    @AfterEach
    void reset() {
        Mocks.reset();
        engine.getIdentityService().clearAuthentication();
    }

    @Test
    void approvedPathProvisionsActivatesAndNotifies() throws Exception {
        ProcessInstance instance = start();
        assertThat(instance).isWaitingAt(ProcessIds.TASK_APPROVE_AS_SPONSOR);
        assertThat(task(instance)).hasCandidateGroup("sponsors");

        completeAs(instance, "sam.sponsor", true);
        assertThat(instance).isWaitingAt("Task_ProvisionPartnerContact");
        assertThat(instance).variables().containsEntry(Variables.SPONSOR_DECIDED_BY, "sam.sponsor");
        execute(job(instance));
        assertThat(instance).isWaitingAt("Task_NotifyPartnershipActive");
        execute(job(instance));

        assertThat(instance).hasPassedInOrder("Task_RecordPartnershipRequest", ProcessIds.TASK_APPROVE_AS_SPONSOR,
                "Task_RecordApproval", "Task_ProvisionPartnerContact", "Task_ActivatePartnership",
                "Task_NotifyPartnershipActive").isEnded();
        assertThat(instance).hasPassed("EndEvent_PartnershipActive").hasNotPassed("Task_RecordRejection");
        verify(activate).execute(any());
        verify(reject, never()).execute(any());
    }

    @Test
    void rejectedPathRecordsTheRejection() throws Exception {
        ProcessInstance instance = start();
        completeAs(instance, "sam.sponsor", false);
        assertThat(instance).hasPassed("Task_RecordRejection", "EndEvent_PartnershipRejected").isEnded();
        verify(provisionContact, never()).execute(any());
        verify(approve, never()).execute(any());
    }

    @Test
    void invalidRequestStartsNothing() throws Exception {
        doThrow(new InvalidRequestException(Map.of("purpose", "too short"))).when(recordRequest).execute(any());
        assertThatThrownBy(this::start).isInstanceOf(InvalidRequestException.class);
        Assertions.assertThat(processInstanceQuery().count()).isZero();
        Assertions.assertThat(historyService().createHistoricProcessInstanceQuery().count()).isZero();
    }

    @Test
    void requesterCannotApproveTheirOwnRequest() {
        ProcessInstance instance = start();
        engine.getIdentityService().setAuthentication("rita.requester", List.of("sponsors"));
        assertThatThrownBy(() -> complete(task(instance), Map.of(Variables.SPONSOR_APPROVED, true)))
                .hasRootCauseInstanceOf(SegregationOfDutiesException.class);
        assertThat(instance).isWaitingAt(ProcessIds.TASK_APPROVE_AS_SPONSOR);
    }

    @Test
    void provisioningFailureIsRetriedByTheEngine() throws Exception {
        ProcessInstance instance = start();
        completeAs(instance, "sam.sponsor", true);
        doThrow(new IllegalStateException("Keycloak unavailable")).when(provisionContact).execute(any());
        assertThatThrownBy(() -> execute(job(instance))).isInstanceOf(IllegalStateException.class);
        Assertions.assertThat(job(instance).getRetries()).isEqualTo(4);
        assertThat(instance).isWaitingAt("Task_ProvisionPartnerContact");
    }

    private ProcessInstance start() {
        return runtimeService().startProcessInstanceByKey(ProcessIds.PARTNERSHIP_PROCESS, "acme",
                Map.of(Variables.REQUESTER, "rita.requester", Variables.PARTNERSHIP_KEY, "acme"));
    }

    private void completeAs(ProcessInstance instance, String user, boolean approved) {
        engine.getIdentityService().setAuthentication(user, List.of("sponsors"));
        complete(task(instance), Map.of(Variables.SPONSOR_APPROVED, approved));
        engine.getIdentityService().clearAuthentication();
    }
}
