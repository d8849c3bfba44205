package org.partneraccess.modelchange;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.*;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.partneraccess.support.ProcessUnitTests.completeAs;

import java.util.Map;

import org.assertj.core.api.Assertions;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.partneraccess.ProcessIds;
import org.partneraccess.Variables;
import org.partneraccess.support.ProcessUnitTests;

/** Every path of ModelChangeReviewProcess, with the delegates mocked. */
@Deployment(resources = "bpmn/ModelChangeReviewProcess.bpmn")
class ModelChangeReviewProcessTest {

    private static final String CHANGE = "7f1c2a9e-0000-4000-8000-000000000001";
    private static final String DEPLOYER = "paul.process";
    private static final String SECURITY_OFFICER = "sofia.security";
    private static final String REVIEW = ProcessIds.TASK_REVIEW_MODEL_CHANGE;

    @RegisterExtension
    static ProcessEngineExtension engine = ProcessUnitTests.engineWithCoverage(1.0);

    private final JavaDelegate deploy = mock(JavaDelegate.class);
    private final JavaDelegate reject = mock(JavaDelegate.class);
    private final JavaDelegate expire = mock(JavaDelegate.class);

    @BeforeEach
    void registerMocks() {
        Mocks.register("deployModelChangeDelegate", deploy);
        Mocks.register("rejectModelChangeDelegate", reject);
        Mocks.register("expireModelChangeDelegate", expire);
    }

    @AfterEach
    void reset() {
        Mocks.reset();
        engine.getIdentityService().clearAuthentication();
    }

    private ProcessInstance start() {
        ProcessInstance instance = runtimeService().startProcessInstanceByKey(ProcessIds.MODEL_CHANGE_REVIEW_PROCESS,
                CHANGE, Map.of(Variables.REQUESTER, DEPLOYER, ModelChangeReviewVariables.MODEL_CHANGE_NAME, "PartnerAccessPolicy",
                        ModelChangeReviewVariables.MODEL_CHANGE_SUMMARY, "PartnerAccessPolicy.dmn: 1 added, 0 removed, 0 changed",
                        ModelChangeReviewVariables.MODEL_CHANGE_REVIEW_DEADLINE, "P7D"));
        assertThat(instance).isWaitingAt(REVIEW);
        assertThat(task()).hasCandidateGroup("security-officers").hasName("Review model change PartnerAccessPolicy");
        return instance;
    }

    private void decideAs(String user, boolean approved) {
        completeAs(task(), user, "security-officers", Map.of(ModelChangeReviewVariables.MODEL_CHANGE_APPROVED, approved,
                ModelChangeReviewVariables.MODEL_CHANGE_COMMENT, "checked the added rule"));
    }

    @Test
    void aSecurityOfficerApprovesAndTheChangeIsDeployed() throws Exception {
        ProcessInstance instance = start();

        decideAs(SECURITY_OFFICER, true);

        assertThat(instance).hasPassed("Task_DeployModelChange", "EndEvent_ModelChangeLive").isEnded()
                .variables().containsEntry(Variables.decidedBy(REVIEW), SECURITY_OFFICER);
        verify(deploy).execute(any());
        verify(reject, never()).execute(any());
    }

    @Test
    void aRejectionDeploysNothing() throws Exception {
        ProcessInstance instance = start();

        decideAs(SECURITY_OFFICER, false);

        assertThat(instance).hasPassed("Task_RejectModelChange", "EndEvent_ModelChangeRejected").isEnded();
        verify(reject).execute(any());
        verify(deploy, never()).execute(any());
    }

    @Test
    void theDeployerCannotApproveTheirOwnChange() throws Exception {
        ProcessInstance instance = start();

        assertThatThrownBy(() -> decideAs(DEPLOYER, true)).hasMessageContaining("No one approves their own request");

        assertThat(instance).isWaitingAt(REVIEW);
        verify(deploy, never()).execute(any());
    }

    @Test
    void aChangeNobodyDecidesInTimeIsDropped() throws Exception {
        ProcessInstance instance = start();
        Assertions.assertThat(job().getDuedate()).isAfter(java.util.Date.from(java.time.Instant.now()
                .plus(java.time.Duration.ofDays(6))));

        execute(job());
        assertThat(instance).isWaitingAt("Task_ExpireModelChange");
        execute(job());

        assertThat(instance).hasPassed(ProcessIds.BOUNDARY_REVIEW_OVERDUE, "EndEvent_ModelChangeExpired").isEnded();
        verify(expire).execute(any());
        verify(deploy, never()).execute(any());
    }
}
