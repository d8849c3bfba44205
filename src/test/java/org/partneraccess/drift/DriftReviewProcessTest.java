package org.partneraccess.drift;

import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.*;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.partneraccess.support.ProcessUnitTests.completeAs;

import java.util.List;
import java.util.Map;

import org.assertj.core.api.Assertions;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.camunda.community.process_test_coverage.junit5.platform7.ProcessEngineCoverageExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.partneraccess.ProcessIds;
import org.partneraccess.Variables;
import org.partneraccess.keycloak.KeycloakUnavailableException;
import org.partneraccess.security.SegregationOfDutiesException;
import org.partneraccess.support.ProcessUnitTests;

/** Every path of DriftReviewProcess, with the delegates mocked. */
@Deployment(resources = "bpmn/DriftReviewProcess.bpmn")
class DriftReviewProcessTest {

    private static final String OWNER = "ian.owner";
    private static final String SECURITY_OFFICER = "sofia.security";
    private static final String AS_OWNER = ProcessIds.TASK_REVIEW_DRIFT_AS_OWNER;
    private static final String AS_SECURITY_OFFICER = ProcessIds.TASK_REVIEW_DRIFT_AS_SECURITY_OFFICER;
    private static final String CORRECT = "Task_CorrectDrift";
    private static final String ACCEPT = "Task_RecordDriftAccepted";
    private static final String RECORD = ProcessIds.TASK_RECORD_DRIFT_DECISION;

    @RegisterExtension
    static ProcessEngineCoverageExtension engine = ProcessUnitTests.engineWithCoverage(1.0);

    private final JavaDelegate correct = mock(JavaDelegate.class);
    private final JavaDelegate accept = mock(JavaDelegate.class);
    private final JavaDelegate record = mock(JavaDelegate.class);
    private final JavaDelegate notifyOverdue = mock(JavaDelegate.class);
    /** The review tasks the overdue notices were about, in turn. */
    private final List<String> overdueTasks = new java.util.ArrayList<>();

    @BeforeEach
    void registerDelegates() throws Exception {
        init(engine.getProcessEngine());
        Mocks.register("correctDriftDelegate", correct);
        Mocks.register("acceptDriftDelegate", accept);
        Mocks.register("recordDriftDecisionDelegate", record);
        Mocks.register("notifyApprovalOverdueDelegate", notifyOverdue);
        org.mockito.Mockito.doAnswer(invocation -> overdueTasks.add((String) ((org.camunda.bpm.engine.delegate.DelegateExecution)
                invocation.getArgument(0)).getVariable(Variables.OVERDUE_TASK))).when(notifyOverdue).execute(any());
    }

    @AfterEach
    void reset() {
        Mocks.reset();
        engine.getProcessEngine().getIdentityService().clearAuthentication();
    }

    @Test
    void theOwnerHasExcessScopesRemoved() throws Exception {
        ProcessInstance instance = start("EXCESS_PRIVILEGE/m-1/orders.write", OWNER);
        assertThat(instance).isWaitingAtExactly(AS_OWNER);
        Assertions.assertThat(candidates(instance)).containsExactly("user:" + OWNER);

        decide(instance, OWNER, "identity-owners", DriftReconciliation.CORRECT);
        assertThat(instance).isWaitingAtExactly(CORRECT);
        verify(record).execute(any());
        verify(correct, never()).execute(any());
        execute(job());

        assertThat(instance).isEnded().hasPassedInOrder("Gateway_ReviewerKnown", AS_OWNER, RECORD, "Gateway_CorrectIt",
                CORRECT, "EndEvent_DriftCorrected").hasNotPassed(AS_SECURITY_OFFICER, ACCEPT, "EndEvent_DriftGone");
        assertThat(instance).variables().containsEntry(Variables.LAST_DECIDED_BY, OWNER);
        verify(correct).execute(any());
        verify(accept, never()).execute(any());
    }

    @Test
    void aSponsorAndOwnersReviewAPersonAndAcceptIt() throws Exception {
        ProcessInstance instance = start("EXCESS_PRIVILEGE/h-1/payments.initiate", "sam.sponsor,ian.owner");
        Assertions.assertThat(candidates(instance)).containsExactlyInAnyOrder("user:sam.sponsor", "user:ian.owner");

        decide(instance, "sam.sponsor", "sponsors", DriftReconciliation.ACCEPT);

        assertThat(instance).isEnded().hasPassedInOrder(AS_OWNER, RECORD, "Gateway_CorrectIt", ACCEPT,
                "EndEvent_DriftAccepted").hasNotPassed(CORRECT);
        verify(accept).execute(any());
        verify(correct, never()).execute(any());
    }

    @Test
    void anOverdueOwnerReviewTellsTheSecurityOfficersAndStaysOpen() throws Exception {
        ProcessInstance instance = start("EXCESS_PRIVILEGE/m-1/orders.write", OWNER);
        java.util.Date due = task(instance).getDueDate();
        Assertions.assertThat(due).isCloseTo(java.util.Date.from(java.time.Instant.now().plus(java.time.Duration.ofDays(7))),
                60_000);
        ProcessUnitTests.assertOverdueNoticedOnce(instance, "OwnerDriftReviewOverdue", AS_OWNER, due, notifyOverdue,
                overdueTasks);
        assertThat(instance).isWaitingAtExactly(AS_OWNER);
        verify(record, never()).execute(any());
        verify(correct, never()).execute(any());
        verify(accept, never()).execute(any());
    }

    @Test
    void anOverdueSecurityOfficerReviewTellsTheSecurityOfficersAndStaysOpen() throws Exception {
        ProcessInstance instance = start("ORPHAN/user/mallory", "");
        java.util.Date due = task(instance).getDueDate();
        Assertions.assertThat(due).isCloseTo(java.util.Date.from(java.time.Instant.now().plus(java.time.Duration.ofDays(7))),
                60_000);
        ProcessUnitTests.assertOverdueNoticedOnce(instance, "SecurityOfficerDriftReviewOverdue", AS_SECURITY_OFFICER, due,
                notifyOverdue, overdueTasks);
        assertThat(instance).isWaitingAtExactly(AS_SECURITY_OFFICER);
        verify(record, never()).execute(any());
        verify(correct, never()).execute(any());
        verify(accept, never()).execute(any());
    }

    @Test
    void anOrphanGoesToTheSecurityOfficers() throws Exception {
        ProcessInstance instance = start("ORPHAN/user/mallory", "");
        assertThat(instance).isWaitingAtExactly(AS_SECURITY_OFFICER);
        Assertions.assertThat(candidates(instance)).containsExactly("group:security-officers");

        decide(instance, SECURITY_OFFICER, "security-officers", DriftReconciliation.CORRECT);
        execute(job());

        assertThat(instance).isEnded().hasPassedInOrder("Gateway_ReviewerKnown", AS_SECURITY_OFFICER,
                "Gateway_MergeReviews", CORRECT, "EndEvent_DriftCorrected").hasNotPassed(AS_OWNER);
        assertThat(instance).variables().containsEntry(Variables.decidedBy(AS_SECURITY_OFFICER), SECURITY_OFFICER);
    }

    @Test
    void aFindingGoneBeforeItsCorrectionEndsTheReviewWithNothingCorrected() throws Exception {
        doThrow(new BpmnError(ProcessIds.ERROR_DRIFT_FINDING_GONE, "finding gone: no ORPHAN on client rogue any more"))
                .when(correct).execute(any());
        ProcessInstance instance = start("ORPHAN/client/rogue", "");
        decide(instance, SECURITY_OFFICER, "security-officers", DriftReconciliation.CORRECT);
        execute(job());

        assertThat(instance).isEnded().hasPassedInOrder(AS_SECURITY_OFFICER, RECORD, CORRECT,
                "BoundaryEvent_DriftFindingGone", "EndEvent_DriftGone").hasNotPassed("EndEvent_DriftCorrected", ACCEPT);
    }

    @Test
    void aDecisionThatCannotBeRecordedLeavesTheTaskOpen() throws Exception {
        doThrow(new IllegalStateException("drift finding was decided already")).when(record).execute(any());
        ProcessInstance instance = start("EXCESS_PRIVILEGE/m-1/orders.write", OWNER);

        Assertions.assertThatThrownBy(() -> decide(instance, OWNER, "identity-owners", DriftReconciliation.CORRECT))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("decided already");

        assertThat(instance).isWaitingAtExactly(AS_OWNER);
        verify(correct, never()).execute(any());
    }

    @Test
    void aCorrectionKeycloakRefusesForNowStaysAJobWithRetriesLeft() throws Exception {
        doThrow(new KeycloakUnavailableException("Keycloak answered HTTP 503", null)).when(correct).execute(any());
        ProcessInstance instance = start("LIFESPAN_BEYOND_POLICY/m-2/3600", OWNER);
        decide(instance, OWNER, "identity-owners", DriftReconciliation.CORRECT);

        Assertions.assertThatThrownBy(() -> execute(job())).isInstanceOf(KeycloakUnavailableException.class);

        assertThat(instance).isWaitingAtExactly(CORRECT);
        Assertions.assertThat(job().getRetries()).as("R5/PT1M: four more attempts").isEqualTo(4);
    }

    @Test
    void noOneDecidesUnauthenticated() throws Exception {
        ProcessInstance instance = start("ORPHAN/client/rogue", "");
        Assertions.assertThatThrownBy(() -> taskService().complete(task(instance).getId(),
                Map.of(DriftReviewVariables.DRIFT_DECISION, DriftReconciliation.ACCEPT)))
                .hasRootCauseInstanceOf(SegregationOfDutiesException.class);
        assertThat(instance).isWaitingAtExactly(AS_SECURITY_OFFICER);
        verify(accept, never()).execute(any());
    }

    /** A review as the reconciliation opens it: the business key is the stored finding's id, the rest is for the form. */
    private ProcessInstance start(String findingKey, String reviewers) {
        Map<String, Object> variables = new java.util.HashMap<>();
        variables.put(DriftReviewVariables.DRIFT_KIND, findingKey.substring(0, findingKey.indexOf('/')));
        variables.put(DriftReviewVariables.DRIFT_REVIEWERS, reviewers);
        variables.put(DriftReviewVariables.DRIFT_HAS_REVIEWERS, !reviewers.isEmpty());
        variables.put(DriftReviewVariables.DRIFT_REVIEW_DEADLINE, "P7D");
        return runtimeService().startProcessInstanceByKey(ProcessIds.DRIFT_REVIEW_PROCESS,
                java.util.UUID.randomUUID().toString(), variables);
    }

    private void decide(ProcessInstance instance, String user, String group, String decision) {
        completeAs(task(instance), user, group, Map.of(DriftReviewVariables.DRIFT_DECISION, decision, Variables.REVIEW_COMMENT,
                "checked"));
    }

    private List<String> candidates(ProcessInstance instance) {
        return taskService().getIdentityLinksForTask(task(instance).getId()).stream()
                .filter(link -> "candidate".equals(link.getType()))
                .map(link -> link.getUserId() != null ? "user:" + link.getUserId() : "group:" + link.getGroupId())
                .toList();
    }

}
