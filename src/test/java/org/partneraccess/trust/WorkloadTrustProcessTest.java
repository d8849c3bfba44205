package org.partneraccess.trust;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.*;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import java.util.Date;
import java.util.Map;

import org.camunda.bpm.engine.delegate.DelegateExecution;
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

/** Every path of WorkloadTrustProcess, with the delegates mocked. */
@Deployment(resources = "bpmn/WorkloadTrustProcess.bpmn")
class WorkloadTrustProcessTest {

    private static final String TRUST = "5d1c2a9e-0000-4000-8000-000000000017";
    private static final String REQUESTER = "rita.requester";
    private static final String SECURITY_OFFICER = "sofia.security";
    private static final String APPROVE = ProcessIds.TASK_APPROVE_WORKLOAD_TRUST;

    @RegisterExtension
    static ProcessEngineExtension engine = ProcessUnitTests.engineWithCoverage(1.0);

    private final JavaDelegate record = mock(JavaDelegate.class);
    private final JavaDelegate evaluate = mock(JavaDelegate.class);
    private final JavaDelegate provision = mock(JavaDelegate.class);
    private final JavaDelegate reject = mock(JavaDelegate.class);

    @BeforeEach
    void registerMocks() throws Exception {
        Mocks.register("recordWorkloadTrustRequestDelegate", record);
        Mocks.register("evaluateWorkloadTrustPolicyDelegate", evaluate);
        Mocks.register("provisionWorkloadTrustDelegate", provision);
        Mocks.register("rejectWorkloadTrustDelegate", reject);
        doAnswer(invocation -> {
            ((DelegateExecution) invocation.getArgument(0)).setVariable(Variables.APPROVAL_DUE,
                    new Date(System.currentTimeMillis() + 86_400_000L));
            return null;
        }).when(evaluate).execute(any());
    }

    @AfterEach
    void reset() {
        Mocks.reset();
        engine.getIdentityService().clearAuthentication();
    }

    private ProcessInstance start() throws Exception {
        ProcessInstance instance = runtimeService().startProcessInstanceByKey(ProcessIds.WORKLOAD_TRUST_PROCESS, TRUST,
                Map.of(Variables.REQUESTER, REQUESTER, Variables.PARTNERSHIP_KEY, "acme",
                        WorkloadTrustVariables.TRUST_KIND, "KUBERNETES", WorkloadTrustVariables.TRUST_ISSUER, "https://k8s.acme.example"));
        assertThat(instance).hasPassed("Task_RecordWorkloadTrustRequest", "Task_EvaluateWorkloadTrustPolicy")
                .isWaitingAt(APPROVE);
        assertThat(task()).hasCandidateGroup("security-officers");
        verify(record).execute(any());
        return instance;
    }

    private void completeAs(String user, boolean approved) {
        ProcessUnitTests.completeAs(task(), user, "security-officers", approved
                ? Map.of(Variables.SECURITY_OFFICER_APPROVED, true)
                : Map.of(Variables.SECURITY_OFFICER_APPROVED, false,
                Variables.SECURITY_OFFICER_COMMENT, "not the partner's cluster"));
    }

    @Test
    void aSecurityOfficerApprovesAndTheIssuerBecomesAnIdentityProvider() throws Exception {
        ProcessInstance instance = start();

        completeAs(SECURITY_OFFICER, true);
        assertThat(instance).isWaitingAt(ProcessIds.TASK_PROVISION_WORKLOAD_TRUST);
        execute(job());

        assertThat(instance).hasPassed(ProcessIds.TASK_PROVISION_WORKLOAD_TRUST, "EndEvent_WorkloadIssuerTrusted").isEnded();
        verify(provision).execute(any());
        verify(reject, never()).execute(any());
    }

    @Test
    void aRejectionCreatesNothing() throws Exception {
        ProcessInstance instance = start();

        completeAs(SECURITY_OFFICER, false);

        assertThat(instance).hasPassed("Task_RejectWorkloadTrust", "EndEvent_WorkloadTrustRejected").isEnded();
        verify(reject).execute(any());
        verify(provision, never()).execute(any());
    }

    @Test
    void anApprovalPastItsDueDateStaysOpenAndTheSecurityOfficersAreTold() throws Exception {
        JavaDelegate notice = mock(JavaDelegate.class);
        Mocks.register("notifyApprovalOverdueDelegate", notice);
        ProcessInstance instance = start();

        execute(job());
        assertThat(instance).isWaitingAt(APPROVE, "Task_NotifyWorkloadTrustApprovalOverdue");
        execute(job());

        assertThat(instance).hasPassed("EndEvent_WorkloadTrustApprovalOverdueNoticeSent").isWaitingAt(APPROVE);
        verify(notice).execute(any());
        completeAs(SECURITY_OFFICER, true);
        execute(job());
        assertThat(instance).isEnded();
    }

    @Test
    void theRequesterCannotApproveTheirOwnTrust() throws Exception {
        ProcessInstance instance = start();

        assertThatThrownBy(() -> completeAs(REQUESTER, true)).hasMessageContaining("No one approves their own request");

        assertThat(instance).isWaitingAt(APPROVE);
        verify(provision, never()).execute(any());
    }
}
