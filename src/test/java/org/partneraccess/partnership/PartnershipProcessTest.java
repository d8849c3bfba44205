package org.partneraccess.partnership;

import static org.mockito.Mockito.when;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.*;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.partneraccess.support.ProcessUnitTests.assertDueIn;
import static org.partneraccess.support.ProcessUnitTests.assertFirstOverdueNotice;
import static org.partneraccess.support.ProcessUnitTests.completeAs;
import static org.partneraccess.support.ProcessUnitTests.executeJob;
import static org.partneraccess.support.ProcessUnitTests.historicVariable;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ArrayList;
import java.util.Date;

import org.assertj.core.api.Assertions;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.partneraccess.InvalidRequestException;
import org.partneraccess.LifecycleState;
import org.partneraccess.ProcessIds;
import org.partneraccess.Variables;
import org.partneraccess.security.SegregationOfDutiesException;
import org.partneraccess.support.ProcessUnitTests;

/** Every path of PartnershipProcess, with the delegates mocked: the model's own logic, fast. */
@Deployment(resources = "bpmn/PartnershipProcess.bpmn")
class PartnershipProcessTest {

    private static final String KEY = "acme";
    private static final String LEGAL_NAME = "Acme Logistics";
    private static final String REQUESTER = "rita.requester";
    private static final String SPONSOR = "sam.sponsor";
    private static final String SECURITY_OFFICER = "olga.officer";
    /** Asks for a wider scope of an active partnership: not the partnership's requester. */
    private static final String CHANGE_REQUESTER = "tom.technical";
    /** The timers here are checked to the day. */
    private static final Duration WITHIN_A_DAY = Duration.ofDays(1);

    /** Waits, with its border events, while anything inside waits. */
    private static final String ACTIVE = "SubProcess_PartnershipActive";
    private static final String RECERTIFICATION_DUE = "TimerEvent_RecertificationDue";
    private static final String RECERTIFY = "Task_RecertifyAsSponsor";
    private static final String APPROVE_AS_SECURITY_OFFICER = "Task_ApproveAsSecurityOfficer";
    private static final String AWAIT_RESUMPTION = "ReceiveTask_AwaitResumption";
    private static final String SCOPE_CHANGE_REVIEW = "SubProcess_ScopeChangeReview";
    private static final String APPROVE_CHANGE_AS_SPONSOR = ProcessIds.TASK_APPROVE_SCOPE_CHANGE_AS_SPONSOR;
    private static final String APPROVE_CHANGE_AS_SECURITY_OFFICER = ProcessIds.TASK_APPROVE_SCOPE_CHANGE_AS_SECURITY_OFFICER;
    private static final String APPLY_SCOPE_CHANGE = "Task_ApplyScopeChange";
    private static final String RECORD_SCOPE_CHANGE_REJECTION = "Task_RecordScopeChangeRejection";
    // the decisions of the scope change form
    private static final String SCOPE_CHANGE_APPROVED = "scopeChangeApproved";
    private static final String SCOPE_CHANGE_SECURITY_OFFICER_APPROVED = "scopeChangeSecurityOfficerApproved";

    @RegisterExtension
    static ProcessEngineExtension engine = ProcessUnitTests.engineWithCoverage(0.99);

    private final JavaDelegate recordRequest = mock(JavaDelegate.class);
    private final JavaDelegate evaluatePolicy = mock(JavaDelegate.class);
    private final JavaDelegate approve = mock(JavaDelegate.class);
    private final JavaDelegate reject = mock(JavaDelegate.class);
    private final JavaDelegate provisionContact = mock(JavaDelegate.class);
    private final JavaDelegate activate = mock(JavaDelegate.class);
    private final JavaDelegate notifyActive = mock(JavaDelegate.class);
    private final JavaDelegate markUnderReview = mock(JavaDelegate.class);
    private final JavaDelegate reduceScopes = mock(JavaDelegate.class);
    private final JavaDelegate recordRecertification = mock(JavaDelegate.class);
    private final JavaDelegate revokeForIncident = mock(JavaDelegate.class);
    private final JavaDelegate verifyRevocation = mock(JavaDelegate.class);
    /** How many identities each cut-off attempt leaves unrevoked, in turn; then none. */
    private final java.util.Deque<Integer> unrevokedPerAttempt = new java.util.ArrayDeque<>();
    private final JavaDelegate suspend = mock(JavaDelegate.class);
    private final JavaDelegate notifySuspension = mock(JavaDelegate.class);
    private final JavaDelegate resume = mock(JavaDelegate.class);
    private final JavaDelegate revoke = mock(JavaDelegate.class);
    private final JavaDelegate notifyRevoked = mock(JavaDelegate.class);
    private final JavaDelegate notifyRejected = mock(JavaDelegate.class);
    private final JavaDelegate evaluateScopeChangePolicy = mock(JavaDelegate.class);
    private final JavaDelegate rejectScopeChange = mock(JavaDelegate.class);
    private final JavaDelegate applyScopeChange = mock(JavaDelegate.class);

    /** The variables the scope change delegates saw, as they saw them. */
    private final Map<String, Object> seenByRejectScopeChange = new HashMap<>();
    private final Map<String, Object> seenByApplyScopeChange = new HashMap<>();

    /** What the mocked access policy decides for the test at hand. */
    private boolean securityOfficerApproval;
    private final JavaDelegate notifyOverdue = mock(JavaDelegate.class);
    /** The approval tasks the overdue notices were about, in turn. */
    private final List<String> overdueTasks = new ArrayList<>();
    /** When the mocked policy makes the approvals due. */
    private final Date approvalDue = Date.from(Instant.now().plus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS));
    private final Date changeApprovalDue = Date.from(Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS));
    /** What the mocked access policy decides for a scope change. */
    private boolean scopeChangeSecurityOfficerApproval;
    private final String contractEnd = OffsetDateTime.now(ZoneOffset.UTC).plusYears(1).truncatedTo(ChronoUnit.SECONDS)
            .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);

    @BeforeEach
    void registerDelegates() throws Exception {
        init(engine.getProcessEngine());
        // the registry names the sponsor; here the test does
        Sponsors sponsors = mock(Sponsors.class);
        when(sponsors.of(any())).thenReturn(SPONSOR);
        Mocks.register("sponsors", sponsors);
        doAnswer(invocation -> {
            DelegateExecution execution = invocation.getArgument(0);
            execution.setVariable("riskTier", securityOfficerApproval ? "HIGH" : "MEDIUM");
            execution.setVariable("securityOfficerApproval", securityOfficerApproval);
            execution.setVariable(Variables.APPROVAL_DUE, approvalDue);
            execution.setVariable("reviewInterval", "P90D");
            execution.setVariable("reviewDeadline", "P14D");
            execution.setVariable(PartnershipVariables.RISK_DOWNGRADE_REVIEW_DEADLINE, "P3D");
            execution.setVariable("contractEnd", contractEnd);
            return null;
        }).when(evaluatePolicy).execute(any());
        doAnswer(invocation -> {
            DelegateExecution execution = invocation.getArgument(0);
            execution.setVariable(PartnershipVariables.SCOPE_CHANGE_SECURITY_OFFICER_APPROVAL, scopeChangeSecurityOfficerApproval);
            execution.setVariable(PartnershipVariables.SCOPE_CHANGE_APPROVAL_DUE, changeApprovalDue);
            return null;
        }).when(evaluateScopeChangePolicy).execute(any());
        doAnswer(invocation -> {
            seenByRejectScopeChange.putAll(((DelegateExecution) invocation.getArgument(0)).getVariables());
            return null;
        }).when(rejectScopeChange).execute(any());
        doAnswer(invocation -> {
            seenByApplyScopeChange.putAll(((DelegateExecution) invocation.getArgument(0)).getVariables());
            return null;
        }).when(applyScopeChange).execute(any());

        Mocks.register("recordPartnershipRequestDelegate", recordRequest);
        Mocks.register("evaluatePartnershipPolicyDelegate", evaluatePolicy);
        Mocks.register("approvePartnershipDelegate", approve);
        Mocks.register("rejectPartnershipDelegate", reject);
        Mocks.register("provisionPartnerContactDelegate", provisionContact);
        Mocks.register("activatePartnershipDelegate", activate);
        Mocks.register("notifyPartnershipActiveDelegate", notifyActive);
        Mocks.register("markUnderReviewDelegate", markUnderReview);
        Mocks.register("reducePartnershipScopesDelegate", reduceScopes);
        Mocks.register("recordRecertificationDelegate", recordRecertification);
        Mocks.register("revokeForIncidentDelegate", revokeForIncident);
        Mocks.register("verifyRevocationDelegate", verifyRevocation);
        doAnswer(invocation -> {
            Integer left = unrevokedPerAttempt.poll();
            ((DelegateExecution) invocation.getArgument(0)).setVariable(PartnershipVariables.UNREVOKED_IDENTITIES, left == null ? 0 : left);
            return null;
        }).when(revokeForIncident).execute(any());
        Mocks.register("suspendPartnershipDelegate", suspend);
        Mocks.register("notifySuspensionDelegate", notifySuspension);
        Mocks.register("resumePartnershipDelegate", resume);
        Mocks.register("revokePartnershipDelegate", revoke);
        Mocks.register("notifyPartnershipRevokedDelegate", notifyRevoked);
        Mocks.register("notifyPartnershipRejectedDelegate", notifyRejected);
        Mocks.register("notifyApprovalOverdueDelegate", notifyOverdue);
        doAnswer(invocation -> {
            overdueTasks.add((String) ((DelegateExecution) invocation.getArgument(0)).getVariable(Variables.OVERDUE_TASK));
            return null;
        }).when(notifyOverdue).execute(any());
        Mocks.register("evaluateScopeChangePolicyDelegate", evaluateScopeChangePolicy);
        Mocks.register("rejectScopeChangeDelegate", rejectScopeChange);
        Mocks.register("applyScopeChangeDelegate", applyScopeChange);
    }

    @AfterEach
    void reset() {
        Mocks.reset();
        engine.getIdentityService().clearAuthentication();
    }

    // ------------------------------------------------------------------ request and approval

    @Test
    void approvedBySponsorOnlyBecomesActive() throws Exception {
        ProcessInstance instance = start();
        assertThat(instance).isWaitingAt(ProcessIds.TASK_APPROVE_AS_SPONSOR);
        assertThat(task(instance)).hasCandidateUser(SPONSOR).hasName("Approve partnership Acme Logistics — MEDIUM")
                .hasDueDate(approvalDue);

        approveAsSponsor(instance, true);
        assertThat(instance).isWaitingAt("Task_ProvisionPartnerContact");
        assertThat(instance).variables().containsEntry(Variables.SPONSOR_DECIDED_BY, SPONSOR);
        executeJob(instance, "Task_ProvisionPartnerContact");
        assertThat(instance).isWaitingAt("Task_NotifyPartnershipActive");
        executeJob(instance, "Task_NotifyPartnershipActive");

        assertThat(instance).hasPassedInOrder("Task_RecordPartnershipRequest", "Task_EvaluateAccessPolicy",
                ProcessIds.TASK_APPROVE_AS_SPONSOR, "Task_RecordApproval", "Task_ProvisionPartnerContact",
                "Task_ActivatePartnership", "StartEvent_ActivePeriodStarted", "Task_NotifyPartnershipActive");
        assertThat(instance).hasNotPassed(APPROVE_AS_SECURITY_OFFICER, "Task_RecordRejection");
        assertThat(instance).isWaitingAtExactly(ACTIVE, RECERTIFICATION_DUE).isNotEnded();
        assertDueIn(job(RECERTIFICATION_DUE, instance), Duration.ofDays(90), WITHIN_A_DAY);
        assertDueIn(job("BoundaryEvent_ContractEnded", instance), Duration.ofDays(365), WITHIN_A_DAY);
        verify(approve).execute(any());
        verify(provisionContact).execute(any());
        verify(activate).execute(any());
        verify(notifyActive).execute(any());
        verify(reject, never()).execute(any());
    }

    @Test
    void approvedBySponsorAndSecurityOfficerBecomesActive() throws Exception {
        securityOfficerApproval = true;
        ProcessInstance instance = start();
        approveAsSponsor(instance, true);
        assertThat(instance).isWaitingAtExactly(APPROVE_AS_SECURITY_OFFICER);
        assertThat(task(instance)).hasCandidateGroup("security-officers")
                .hasName("Approve partnership Acme Logistics — HIGH (security officer)").hasDueDate(approvalDue);

        approveAsSecurityOfficer(instance, true);
        assertThat(instance).variables()
                .containsEntry(Variables.decidedBy(APPROVE_AS_SECURITY_OFFICER), SECURITY_OFFICER);
        executeJob(instance, "Task_ProvisionPartnerContact");
        executeJob(instance, "Task_NotifyPartnershipActive");

        assertThat(instance).hasPassedInOrder(ProcessIds.TASK_APPROVE_AS_SPONSOR, APPROVE_AS_SECURITY_OFFICER,
                "Task_RecordApproval", "Task_ActivatePartnership");
        assertThat(instance).isWaitingAtExactly(ACTIVE, RECERTIFICATION_DUE);
        verify(approve).execute(any());
        verify(activate).execute(any());
        verify(reject, never()).execute(any());
    }

    @Test
    void rejectedBySponsor() throws Exception {
        securityOfficerApproval = true;
        ProcessInstance instance = start();
        approveAsSponsor(instance, false);
        verify(notifyRejected, never()).execute(any());
        executeJob(instance, "EndEvent_PartnershipRejected");

        assertThat(instance).hasPassed("Task_RecordRejection", "EndEvent_PartnershipRejected").isEnded();
        assertThat(instance).hasNotPassed(APPROVE_AS_SECURITY_OFFICER, "Task_RecordApproval");
        verify(reject).execute(any());
        verify(notifyRejected).execute(any());
        verify(approve, never()).execute(any());
        verify(provisionContact, never()).execute(any());
    }

    @Test
    void rejectedBySecurityOfficer() throws Exception {
        securityOfficerApproval = true;
        ProcessInstance instance = start();
        approveAsSponsor(instance, true);
        approveAsSecurityOfficer(instance, false);
        executeJob(instance, "EndEvent_PartnershipRejected");

        assertThat(instance).hasPassedInOrder(APPROVE_AS_SECURITY_OFFICER, "Task_RecordRejection",
                "EndEvent_PartnershipRejected").isEnded();
        verify(reject).execute(any());
        verify(approve, never()).execute(any());
        verify(provisionContact, never()).execute(any());
    }

    @Test
    void requesterCannotApproveTheirOwnRequest() throws Exception {
        ProcessInstance instance = start();
        assertThatThrownBy(() -> completeAs(task(instance), REQUESTER, "sponsors",
                Map.of(Variables.SPONSOR_APPROVED, true)))
                .hasRootCauseInstanceOf(SegregationOfDutiesException.class);
        assertThat(instance).isWaitingAtExactly(ProcessIds.TASK_APPROVE_AS_SPONSOR);
        verify(approve, never()).execute(any());
    }

    @Test
    void invalidRequestStartsNothing() throws Exception {
        doThrow(new InvalidRequestException(Map.of("purpose", "too short"))).when(recordRequest).execute(any());
        assertThatThrownBy(this::start).isInstanceOf(InvalidRequestException.class);
        Assertions.assertThat(processInstanceQuery().count()).isZero();
        Assertions.assertThat(historyService().createHistoricProcessInstanceQuery().count()).isZero();
        verify(evaluatePolicy, never()).execute(any());
    }

    @Test
    void provisioningFailureIsRetriedByTheEngine() throws Exception {
        ProcessInstance instance = start();
        approveAsSponsor(instance, true);
        doThrow(new IllegalStateException("Keycloak unavailable")).when(provisionContact).execute(any());
        assertThatThrownBy(() -> executeJob(instance, "Task_ProvisionPartnerContact"))
                .isInstanceOf(IllegalStateException.class);
        Assertions.assertThat(job("Task_ProvisionPartnerContact", instance).getRetries()).isEqualTo(4);
        assertThat(instance).isWaitingAtExactly("Task_ProvisionPartnerContact");
        verify(activate, never()).execute(any());
    }

    // ------------------------------------------------------------------ recertification

    @Test
    void recertificationKeepLoopsBackToTheNextReview() throws Exception {
        ProcessInstance instance = startActive();
        recertificationDue(instance);
        assertThat(task(instance)).hasCandidateUser(SPONSOR).hasName("Recertify partnership Acme Logistics");

        recertify(instance, "KEEP");
        assertThat(instance).hasPassedInOrder(RECERTIFY, "Task_RecordRecertification");
        assertThat(instance).isWaitingAtExactly(ACTIVE, RECERTIFICATION_DUE);
        assertThat(instance).variables().containsEntry(Variables.decidedBy(RECERTIFY), SPONSOR);
        verify(recordRecertification).execute(any());
        verify(reduceScopes, never()).execute(any());

        recertificationDue(instance);
        verify(markUnderReview, times(2)).execute(any());
    }

    @Test
    void recertificationReduceReducesScopesAndLoopsBack() throws Exception {
        ProcessInstance instance = startActive();
        recertificationDue(instance);

        recertify(instance, "REDUCE", "orders.read", "invoices.read");
        assertThat(instance).isWaitingAtExactly(ACTIVE, "Task_ReduceScopes");
        executeJob(instance, "Task_ReduceScopes");

        assertThat(instance).hasPassedInOrder(RECERTIFY, "Task_ReduceScopes", "Task_RecordRecertification");
        assertThat(instance).isWaitingAtExactly(ACTIVE, RECERTIFICATION_DUE);
        assertThat(instance).variables().containsEntry("keptScopes", "orders.read,invoices.read");
        verify(reduceScopes).execute(any());
        verify(recordRecertification).execute(any());
    }

    @Test
    void recertificationEndRevokesThePartnership() throws Exception {
        ProcessInstance instance = startActive();
        recertificationDue(instance);

        recertify(instance, "END");
        assertThat(instance).hasPassed("EndEvent_PartnershipEndedByReview", "BoundaryEvent_PartnershipEnded");
        revoked(instance);
        Assertions.assertThat(historicVariable(instance, "revocationReason")).isEqualTo("ended at review");
        verify(recordRecertification, never()).execute(any());
    }

    @Test
    void missedRecertificationSuspendsUntilResumed() throws Exception {
        ProcessInstance instance = startActive();
        recertificationDue(instance);
        assertDueIn(job("BoundaryEvent_RecertificationOverdue", instance), Duration.ofDays(14), WITHIN_A_DAY);

        executeJob(instance, "BoundaryEvent_RecertificationOverdue");
        assertThat(instance).hasPassed("EndEvent_RecertificationMissed", "BoundaryEvent_RecertificationMissed");
        assertThat(instance).variables().containsEntry("suspensionReason", "recertification missed");
        suspended(instance);

        resumed(instance);
        verify(recordRecertification, never()).execute(any());
    }

    @Test
    void nextRecertificationOpensWithoutThePreviousDecision() throws Exception {
        ProcessInstance instance = startActive();
        recertificationDue(instance);
        recertify(instance, "KEEP");
        assertThat(instance).variables().containsEntry(Variables.REVIEW_DECISION, "KEEP")
                .containsEntry(Variables.REVIEW_COMMENT, "Reviewed with the business owner");

        recertificationDue(instance);
        assertNothingPrefilled(instance);
        // the form sends no scopes to keep unless the decision is REDUCE
        completeAs(task(instance), SPONSOR, "sponsors",
                Map.of(Variables.REVIEW_DECISION, "KEEP", Variables.REVIEW_COMMENT, "Still needed for the orders feed"));
        assertThat(instance).isWaitingAtExactly(ACTIVE, RECERTIFICATION_DUE);
        assertThat(instance).variables().containsEntry(Variables.REVIEW_DECISION, "KEEP")
                .containsEntry(Variables.REVIEW_COMMENT, "Still needed for the orders feed")
                .containsEntry(PartnershipVariables.KEPT_SCOPES, null);
        verify(recordRecertification, times(2)).execute(any());
        verify(reduceScopes, never()).execute(any());
    }

    // ------------------------------------------------------------------ suspension and revocation

    @Test
    void suspensionMessageSuspendsUntilResumed() throws Exception {
        ProcessInstance instance = startActive();
        correlate(ProcessIds.MESSAGE_PARTNERSHIP_SUSPENDED, Map.of("suspensionReason", "contract under dispute"));
        assertThat(instance).hasPassed("BoundaryEvent_PartnershipSuspended");
        suspended(instance);
        assertThat(instance).variables().containsEntry("suspensionReason", "contract under dispute");

        resumed(instance);
    }

    @Test
    void terminationMessageRevokesThePartnership() throws Exception {
        ProcessInstance instance = startActive();
        correlate(ProcessIds.MESSAGE_PARTNERSHIP_TERMINATED, Map.of("revocationReason", "contract cancelled"));
        assertThat(instance).hasPassed("BoundaryEvent_PartnershipTerminated");
        revoked(instance);
        Assertions.assertThat(historicVariable(instance, "revocationReason")).isEqualTo("contract cancelled");
    }

    @Test
    void terminationIsAcceptedWhileTheActivationNoticeIsStillPending() throws Exception {
        ProcessInstance instance = start();
        approveAsSponsor(instance, true);
        executeJob(instance, "Task_ProvisionPartnerContact");
        // the notice job is still waiting (a slow mail server); the active period already listens
        correlate(ProcessIds.MESSAGE_PARTNERSHIP_TERMINATED, Map.of("revocationReason", "contract cancelled"));
        executeJob(instance, "Task_RevokePartnership");
        executeJob(instance, "Task_NotifyPartnershipRevoked");
        executeJob(instance, "Task_NotifyPartnershipActive");
        assertThat(instance).hasPassed("BoundaryEvent_PartnershipTerminated", "EndEvent_PartnershipRevoked",
                "EndEvent_ActiveNoticeSent").isEnded();
    }

    @Test
    void contractEndRevokesThePartnership() throws Exception {
        ProcessInstance instance = startActive();
        executeJob(instance, "BoundaryEvent_ContractEnded");
        revoked(instance);
        Assertions.assertThat(historicVariable(instance, "revocationReason")).isEqualTo("contract end date reached");
    }

    @Test
    void incidentWithoutTerminationCutsOffAccessUntilResumed() throws Exception {
        ProcessInstance instance = startActive();
        cutOffAndVerifiedThenSuspended(instance);
        assertThat(instance).hasNotPassed("Task_SuspendPartnership", "Task_RevokePartnership", "TimerEvent_RetryCutOff");
        verify(suspend, never()).execute(any());

        resumed(instance);
    }

    @Test
    void incidentCutOffIsTriedAgainUntilNothingIsLeftThenVerified() throws Exception {
        unrevokedPerAttempt.add(3);
        unrevokedPerAttempt.add(1);
        ProcessInstance instance = startActive();
        correlate(ProcessIds.MESSAGE_PARTNER_INCIDENT_REPORTED, Map.of("incidentTerminate", false));
        executeJob(instance, "Task_CutOffAllAccess");
        assertThat(instance).isWaitingAtExactly("TimerEvent_RetryCutOff");
        assertDueIn(job("TimerEvent_RetryCutOff", instance), Duration.ZERO, WITHIN_A_DAY);
        executeJob(instance, "TimerEvent_RetryCutOff");
        executeJob(instance, "Task_CutOffAllAccess");
        assertThat(instance).isWaitingAtExactly("TimerEvent_RetryCutOff");
        executeJob(instance, "TimerEvent_RetryCutOff");
        executeJob(instance, "Task_CutOffAllAccess");
        executeJob(instance, "Task_VerifyRevocation");

        assertThat(instance).isWaitingAtExactly(AWAIT_RESUMPTION);
        verify(revokeForIncident, times(3)).execute(any());
        verify(verifyRevocation).execute(any());
    }

    @Test
    void incidentWithTerminationRevokesThePartnership() throws Exception {
        ProcessInstance instance = startActive();
        correlate(ProcessIds.MESSAGE_PARTNER_INCIDENT_REPORTED,
                Map.of("incidentTerminate", true, "revocationReason", "data breach"));
        executeJob(instance, "Task_CutOffAllAccess");
        executeJob(instance, "Task_VerifyRevocation");
        verify(revokeForIncident).execute(any());
        revoked(instance);
        assertThat(instance).hasNotPassed(AWAIT_RESUMPTION);
        Assertions.assertThat(historicVariable(instance, "revocationReason")).isEqualTo("data breach");
    }

    @Test
    void terminationWhileSuspendedRevokesThePartnership() throws Exception {
        ProcessInstance instance = startActive();
        correlate(ProcessIds.MESSAGE_PARTNERSHIP_SUSPENDED, Map.of());
        suspended(instance);

        correlate(ProcessIds.MESSAGE_PARTNERSHIP_TERMINATED, Map.of("revocationReason", "partner insolvent"));
        assertThat(instance).hasPassed("BoundaryEvent_TerminatedWhileSuspended");
        revoked(instance);
        Assertions.assertThat(historicVariable(instance, "revocationReason")).isEqualTo("partner insolvent");
        verify(resume, never()).execute(any());
    }

    @Test
    void resumptionAndTerminationAreAcceptedWhileTheSuspensionNoticeIsStillPending() throws Exception {
        ProcessInstance instance = startActive();
        correlate(ProcessIds.MESSAGE_PARTNERSHIP_SUSPENDED, Map.of());
        executeJob(instance, "Task_SuspendPartnership");
        // the notice job is still waiting (mail server down); the suspension already listens
        assertThat(instance).isWaitingAtExactly("Task_NotifySuspension", AWAIT_RESUMPTION);
        correlate(ProcessIds.MESSAGE_PARTNERSHIP_RESUMED, Map.of());
        executeJob(instance, "Task_ResumePartnership");
        assertThat(instance).isWaitingAtExactly("Task_NotifySuspension", ACTIVE, RECERTIFICATION_DUE);
        correlate(ProcessIds.MESSAGE_PARTNERSHIP_TERMINATED, Map.of("revocationReason", "partner insolvent"));
        executeJob(instance, "Task_RevokePartnership");
        executeJob(instance, "Task_NotifyPartnershipRevoked");
        assertThat(instance).isWaitingAtExactly("Task_NotifySuspension");
        executeJob(instance, "Task_NotifySuspension");
        assertThat(instance).hasPassed("EndEvent_PartnershipRevoked", "EndEvent_SuspensionNoticeSent").isEnded();
    }

    /** A suspension only disables: an incident while suspended cuts everything off and verifies it, as when active. */
    @Test
    void incidentWhileSuspendedCutsOffAndVerifiesThenWaitsForTheResumptionAgain() throws Exception {
        ProcessInstance instance = startActive();
        correlate(ProcessIds.MESSAGE_PARTNERSHIP_SUSPENDED, Map.of());
        suspended(instance);

        cutOffAndVerifiedThenSuspended(instance);
        assertThat(instance).hasPassedInOrder("BoundaryEvent_IncidentWhileSuspended", "Task_CutOffAllAccess");
        verify(resume, never()).execute(any());
        resumed(instance);
    }

    @Test
    void incidentWithTerminationWhileSuspendedRevokesThePartnership() throws Exception {
        ProcessInstance instance = startActive();
        correlate(ProcessIds.MESSAGE_PARTNERSHIP_SUSPENDED, Map.of());
        suspended(instance);

        correlate(ProcessIds.MESSAGE_PARTNER_INCIDENT_REPORTED, Map.of("incidentTerminate", true));
        executeJob(instance, "Task_CutOffAllAccess");
        executeJob(instance, "Task_VerifyRevocation");
        revoked(instance);
        verify(resume, never()).execute(any());
    }

    @Test
    void contractEndWhileSuspendedRevokesThePartnership() throws Exception {
        ProcessInstance instance = startActive();
        correlate(ProcessIds.MESSAGE_PARTNERSHIP_SUSPENDED, Map.of());
        suspended(instance);

        executeJob(instance, "BoundaryEvent_ContractEndedWhileSuspended");
        revoked(instance);
        Assertions.assertThat(historicVariable(instance, "revocationReason")).isEqualTo("contract end date reached");
        verify(resume, never()).execute(any());
    }

    // ------------------------------------------------------------------ review after a risk downgrade

    @Test
    void riskDowngradeKeepLeavesTheRecertificationScheduleAlone() throws Exception {
        ProcessInstance instance = startActive();
        Job recertificationTimer = job(RECERTIFICATION_DUE, instance);

        riskDowngraded(instance);
        assertThat(task(instance)).hasDefinitionKey("Task_ReviewAfterRiskDowngrade").hasCandidateUser(SPONSOR);
        review(instance, "KEEP");

        assertThat(instance).hasPassedInOrder("Task_ReviewAfterRiskDowngrade", "Task_RecordDowngradeReview",
                "EndEvent_DowngradeReviewed");
        assertThat(instance).isWaitingAtExactly(ACTIVE, RECERTIFICATION_DUE);
        Assertions.assertThat(job(RECERTIFICATION_DUE, instance).getId()).isEqualTo(recertificationTimer.getId());
        verify(recordRecertification).execute(any());
        verify(reduceScopes, never()).execute(any());
    }

    @Test
    void riskDowngradeReduceReducesScopes() throws Exception {
        ProcessInstance instance = startActive();
        riskDowngraded(instance);

        review(instance, "REDUCE", "orders.read");
        executeJob(instance, "Task_ReduceScopesAfterDowngrade");

        assertThat(instance).hasPassedInOrder("Task_ReduceScopesAfterDowngrade", "Task_RecordDowngradeReview");
        assertThat(instance).isWaitingAtExactly(ACTIVE, RECERTIFICATION_DUE);
        verify(reduceScopes).execute(any());
        verify(recordRecertification).execute(any());
    }

    @Test
    void riskDowngradeEndRevokesThePartnership() throws Exception {
        ProcessInstance instance = startActive();
        riskDowngraded(instance);

        review(instance, "END");
        assertThat(instance).hasPassed("EndEvent_PartnershipEndedAfterDowngrade", "BoundaryEvent_PartnershipEnded");
        revoked(instance);
        Assertions.assertThat(historicVariable(instance, "revocationReason")).isEqualTo("ended at review");
    }

    @Test
    void nextRiskDowngradeReviewOpensWithoutThePreviousDecision() throws Exception {
        ProcessInstance instance = startActive();
        riskDowngraded(instance);
        review(instance, "KEEP");
        assertThat(instance).isWaitingAtExactly(ACTIVE, RECERTIFICATION_DUE);

        correlate(ProcessIds.MESSAGE_PARTNER_RISK_DOWNGRADED, Map.of());
        assertThat(instance).isWaitingAtExactly(ACTIVE, RECERTIFICATION_DUE, "SubProcess_RiskDowngradeReview",
                "Task_ReviewAfterRiskDowngrade");
        assertNothingPrefilled(instance);
        review(instance, "REDUCE", "orders.read");
        executeJob(instance, "Task_ReduceScopesAfterDowngrade");
        assertThat(instance).isWaitingAtExactly(ACTIVE, RECERTIFICATION_DUE);
        assertThat(instance).variables().containsEntry(Variables.REVIEW_DECISION, "REDUCE")
                .containsEntry(PartnershipVariables.KEPT_SCOPES, "orders.read");
        verify(reduceScopes).execute(any());
        verify(recordRecertification, times(2)).execute(any());
    }

    // ------------------------------------------------------------------ scope change

    @Test
    void scopeChangeApprovedBySponsorOnlyIsApplied() throws Exception {
        ProcessInstance instance = startActive();
        Job recertificationTimer = job(RECERTIFICATION_DUE, instance);
        requestScopeChange(instance);

        approveChangeAsSponsor(instance, true, "Needed for the new ordering integration");
        // approved, not applied yet: the partnership keeps its current access and its review schedule
        assertThat(instance).isWaitingAtExactly(ACTIVE, RECERTIFICATION_DUE, SCOPE_CHANGE_REVIEW, APPLY_SCOPE_CHANGE);
        verify(applyScopeChange, never()).execute(any());
        executeJob(instance, APPLY_SCOPE_CHANGE);

        assertThat(instance).hasPassedInOrder("StartEvent_ScopeChangeRequested", "Task_EvaluateScopeChangePolicy",
                APPROVE_CHANGE_AS_SPONSOR, APPLY_SCOPE_CHANGE, "EndEvent_ScopeChangeApplied");
        assertThat(instance).hasNotPassed(APPROVE_CHANGE_AS_SECURITY_OFFICER, RECORD_SCOPE_CHANGE_REJECTION);
        assertThat(instance).isWaitingAtExactly(ACTIVE, RECERTIFICATION_DUE).isNotEnded();
        Assertions.assertThat(job(RECERTIFICATION_DUE, instance).getId()).isEqualTo(recertificationTimer.getId());
        verify(applyScopeChange).execute(any());
        verify(rejectScopeChange, never()).execute(any());
        Assertions.assertThat(seenByApplyScopeChange)
                .containsEntry(Variables.PARTNERSHIP_KEY, KEY)
                .containsEntry(PartnershipVariables.REQUESTED_SCOPES, "invoices.read,orders.read,orders.write")
                .containsEntry(PartnershipVariables.REQUESTED_DATA_CLASSES, "confidential,internal")
                .containsEntry(PartnershipVariables.REQUESTED_ENVIRONMENTS, "production,test")
                .containsEntry(PartnershipVariables.SCOPE_CHANGE_SECURITY_OFFICER_APPROVAL, false)
                .containsEntry(Variables.decidedBy(APPROVE_CHANGE_AS_SPONSOR), SPONSOR)
                .containsEntry(SCOPE_CHANGE_APPROVED, true);
        // nothing else of the lifecycle ran
        verify(revoke, never()).execute(any());
        verify(suspend, never()).execute(any());
        verify(reduceScopes, never()).execute(any());
    }

    @Test
    void anOverdueScopeChangeApprovalTellsTheSecurityOfficersAndStaysOpen() throws Exception {
        scopeChangeSecurityOfficerApproval = true;
        ProcessInstance instance = startActive();
        requestScopeChange(instance);
        ProcessUnitTests.assertOverdueNoticedOnce(instance, "ScopeChangeSponsorApprovalOverdue",
                ProcessIds.TASK_APPROVE_SCOPE_CHANGE_AS_SPONSOR, changeApprovalDue, notifyOverdue, overdueTasks);
        assertThat(instance).isWaitingAtExactly(ACTIVE, RECERTIFICATION_DUE, SCOPE_CHANGE_REVIEW,
                ProcessIds.TASK_APPROVE_SCOPE_CHANGE_AS_SPONSOR);

        approveChangeAsSponsor(instance, true, "");
        assertThat(task(instance)).hasDueDate(changeApprovalDue);
        executeJob(instance, ProcessIds.BOUNDARY_SCOPE_CHANGE_SECURITY_OFFICER_APPROVAL_OVERDUE);
        executeJob(instance, "Task_NotifyScopeChangeSecurityOfficerApprovalOverdue");
        Assertions.assertThat(overdueTasks).containsExactly(ProcessIds.TASK_APPROVE_SCOPE_CHANGE_AS_SPONSOR,
                APPROVE_CHANGE_AS_SECURITY_OFFICER);
        assertThat(instance).isWaitingAtExactly(ACTIVE, RECERTIFICATION_DUE, SCOPE_CHANGE_REVIEW,
                APPROVE_CHANGE_AS_SECURITY_OFFICER);
        verify(applyScopeChange, never()).execute(any());
        verify(rejectScopeChange, never()).execute(any());
    }

    @Test
    void anOverdueRiskDowngradeReviewTellsTheSecurityOfficersAndStaysOpen() throws Exception {
        ProcessInstance instance = startActive();
        Job recertificationTimer = job(RECERTIFICATION_DUE, instance);
        riskDowngraded(instance);
        Date due = task(instance).getDueDate();
        Assertions.assertThat(due).isCloseTo(Date.from(Instant.now().plus(Duration.ofDays(3))), 60_000);

        ProcessUnitTests.assertOverdueNoticedOnce(instance, "RiskDowngradeReviewOverdue",
                ProcessIds.TASK_REVIEW_AFTER_RISK_DOWNGRADE, due, notifyOverdue, overdueTasks);
        assertThat(instance).isWaitingAtExactly(ACTIVE, RECERTIFICATION_DUE, "SubProcess_RiskDowngradeReview",
                ProcessIds.TASK_REVIEW_AFTER_RISK_DOWNGRADE);
        Assertions.assertThat(job(RECERTIFICATION_DUE, instance).getId()).isEqualTo(recertificationTimer.getId());
        verify(recordRecertification, never()).execute(any());
        verify(reduceScopes, never()).execute(any());
    }

    @Test
    void scopeChangeApprovedBySponsorAndSecurityOfficerIsApplied() throws Exception {
        scopeChangeSecurityOfficerApproval = true;
        ProcessInstance instance = startActive();
        requestScopeChange(instance);

        approveChangeAsSponsor(instance, true, "");
        assertThat(instance).isWaitingAtExactly(ACTIVE, RECERTIFICATION_DUE, SCOPE_CHANGE_REVIEW,
                APPROVE_CHANGE_AS_SECURITY_OFFICER);
        assertThat(task(instance)).hasCandidateGroup("security-officers");
        verify(applyScopeChange, never()).execute(any());

        approveChangeAsSecurityOfficer(instance, true, "");
        executeJob(instance, APPLY_SCOPE_CHANGE);

        assertThat(instance).hasPassedInOrder(APPROVE_CHANGE_AS_SPONSOR, APPROVE_CHANGE_AS_SECURITY_OFFICER,
                APPLY_SCOPE_CHANGE, "EndEvent_ScopeChangeApplied");
        assertThat(instance).isWaitingAtExactly(ACTIVE, RECERTIFICATION_DUE);
        verify(applyScopeChange).execute(any());
        verify(rejectScopeChange, never()).execute(any());
        Assertions.assertThat(seenByApplyScopeChange)
                .containsEntry(PartnershipVariables.SCOPE_CHANGE_SECURITY_OFFICER_APPROVAL, true)
                .containsEntry(Variables.decidedBy(APPROVE_CHANGE_AS_SPONSOR), SPONSOR)
                .containsEntry(Variables.decidedBy(APPROVE_CHANGE_AS_SECURITY_OFFICER), SECURITY_OFFICER)
                .containsEntry(SCOPE_CHANGE_SECURITY_OFFICER_APPROVED, true);
    }

    @Test
    void scopeChangeRejectedBySponsorLeavesAccessAsItIs() throws Exception {
        scopeChangeSecurityOfficerApproval = true;
        ProcessInstance instance = startActive();
        requestScopeChange(instance);

        approveChangeAsSponsor(instance, false, "Write access is not part of the contract");
        assertThat(instance).hasPassedInOrder(APPROVE_CHANGE_AS_SPONSOR, RECORD_SCOPE_CHANGE_REJECTION,
                "EndEvent_ScopeChangeRejected");
        assertThat(instance).hasNotPassed(APPROVE_CHANGE_AS_SECURITY_OFFICER, APPLY_SCOPE_CHANGE);
        assertThat(instance).isWaitingAtExactly(ACTIVE, RECERTIFICATION_DUE).isNotEnded();
        verify(rejectScopeChange).execute(any());
        verify(applyScopeChange, never()).execute(any());
        Assertions.assertThat(seenByRejectScopeChange)
                .containsEntry(Variables.PARTNERSHIP_KEY, KEY)
                .containsEntry(Variables.LAST_DECIDED_BY, SPONSOR)
                .containsEntry(PartnershipVariables.SCOPE_CHANGE_COMMENT, "Write access is not part of the contract");
    }

    @Test
    void scopeChangeRejectedBySecurityOfficerLeavesAccessAsItIs() throws Exception {
        scopeChangeSecurityOfficerApproval = true;
        ProcessInstance instance = startActive();
        requestScopeChange(instance);

        approveChangeAsSponsor(instance, true, "Fine by the business");
        approveChangeAsSecurityOfficer(instance, false, "Production data needs a new risk assessment");
        assertThat(instance).hasPassedInOrder(APPROVE_CHANGE_AS_SPONSOR, APPROVE_CHANGE_AS_SECURITY_OFFICER,
                RECORD_SCOPE_CHANGE_REJECTION, "EndEvent_ScopeChangeRejected");
        assertThat(instance).hasNotPassed(APPLY_SCOPE_CHANGE);
        assertThat(instance).isWaitingAtExactly(ACTIVE, RECERTIFICATION_DUE).isNotEnded();
        verify(rejectScopeChange).execute(any());
        verify(applyScopeChange, never()).execute(any());
        Assertions.assertThat(seenByRejectScopeChange)
                .containsEntry(Variables.LAST_DECIDED_BY, SECURITY_OFFICER)
                .containsEntry(PartnershipVariables.SCOPE_CHANGE_COMMENT, "Production data needs a new risk assessment");
    }

    @Test
    void requesterCannotApproveTheirOwnScopeChange() throws Exception {
        ProcessInstance instance = startActive();
        requestScopeChange(instance);

        assertThatThrownBy(() -> completeAs(task(instance), CHANGE_REQUESTER, "sponsors",
                Map.of(SCOPE_CHANGE_APPROVED, true)))
                .hasRootCauseInstanceOf(SegregationOfDutiesException.class);
        assertThat(instance).isWaitingAtExactly(ACTIVE, RECERTIFICATION_DUE, SCOPE_CHANGE_REVIEW,
                APPROVE_CHANGE_AS_SPONSOR);

        approveChangeAsSponsor(instance, true, "");
        executeJob(instance, APPLY_SCOPE_CHANGE);
        Assertions.assertThat(seenByApplyScopeChange).containsEntry(Variables.decidedBy(APPROVE_CHANGE_AS_SPONSOR), SPONSOR);
    }

    @Test
    void sponsorCannotAlsoApproveTheScopeChangeAsSecurityOfficer() throws Exception {
        scopeChangeSecurityOfficerApproval = true;
        ProcessInstance instance = startActive();
        requestScopeChange(instance);
        approveChangeAsSponsor(instance, true, "");

        assertThatThrownBy(() -> completeAs(task(instance), SPONSOR, "security-officers",
                Map.of(SCOPE_CHANGE_SECURITY_OFFICER_APPROVED, true)))
                .hasRootCauseInstanceOf(SegregationOfDutiesException.class);
        assertThat(instance).isWaitingAtExactly(ACTIVE, RECERTIFICATION_DUE, SCOPE_CHANGE_REVIEW,
                APPROVE_CHANGE_AS_SECURITY_OFFICER);
        verify(applyScopeChange, never()).execute(any());
    }

    @Test
    void eachScopeChangeDecisionStartsUntickedAndCountsOnlyForItsRole() throws Exception {
        scopeChangeSecurityOfficerApproval = true;
        ProcessInstance instance = startActive();
        requestScopeChange(instance);
        approveChangeAsSponsor(instance, true, "First change");
        approveChangeAsSecurityOfficer(instance, true, "");
        executeJob(instance, APPLY_SCOPE_CHANGE);

        // a second change: nothing of the first one is ticked in advance
        requestScopeChange(instance);
        Assertions.assertThat(taskService().getVariables(task(instance).getId()))
                .containsEntry(SCOPE_CHANGE_APPROVED, false)
                .containsEntry(SCOPE_CHANGE_SECURITY_OFFICER_APPROVED, false)
                .containsEntry(PartnershipVariables.SCOPE_CHANGE_COMMENT, null);
        // the sponsor ticks both boxes: only the sponsor's counts
        completeAs(task(instance), SPONSOR, "sponsors",
                Map.of(SCOPE_CHANGE_APPROVED, true, SCOPE_CHANGE_SECURITY_OFFICER_APPROVED, true));
        Assertions.assertThat(taskService().getVariables(task(instance).getId()))
                .containsEntry(SCOPE_CHANGE_APPROVED, true)
                .containsEntry(SCOPE_CHANGE_SECURITY_OFFICER_APPROVED, false);
        // the security officer unticks the sponsor's box and rejects: the sponsor's decision stands
        completeAs(task(instance), SECURITY_OFFICER, "security-officers",
                Map.of(SCOPE_CHANGE_APPROVED, false, SCOPE_CHANGE_SECURITY_OFFICER_APPROVED, false));
        assertThat(instance).variables().containsEntry(SCOPE_CHANGE_APPROVED, true)
                .containsEntry(SCOPE_CHANGE_SECURITY_OFFICER_APPROVED, false);
        assertThat(instance).isWaitingAtExactly(ACTIVE, RECERTIFICATION_DUE);
        verify(evaluateScopeChangePolicy, times(2)).execute(any());
        verify(applyScopeChange, times(1)).execute(any());
        verify(rejectScopeChange, times(1)).execute(any());
    }

    @Test
    void terminationWhileScopeChangeIsUnderReviewCancelsTheChange() throws Exception {
        ProcessInstance instance = startActive();
        requestScopeChange(instance);

        correlate(ProcessIds.MESSAGE_PARTNERSHIP_TERMINATED, Map.of("revocationReason", "contract cancelled"));
        assertThat(instance).hasPassed("BoundaryEvent_PartnershipTerminated");
        Assertions.assertThat(taskService().createTaskQuery().processInstanceId(instance.getId()).count()).isZero();
        revoked(instance);
        assertThat(instance).hasNotPassed(APPLY_SCOPE_CHANGE, RECORD_SCOPE_CHANGE_REJECTION);
        Assertions.assertThat(historyService().createHistoricActivityInstanceQuery().processInstanceId(instance.getId())
                .activityId(APPROVE_CHANGE_AS_SPONSOR).singleResult().isCanceled()).isTrue();
        verify(applyScopeChange, never()).execute(any());
        verify(rejectScopeChange, never()).execute(any());
    }

    @Test
    void terminationBeforeAnApprovedScopeChangeIsAppliedCancelsTheChange() throws Exception {
        ProcessInstance instance = startActive();
        requestScopeChange(instance);
        approveChangeAsSponsor(instance, true, "");
        assertThat(instance).isWaitingAtExactly(ACTIVE, RECERTIFICATION_DUE, SCOPE_CHANGE_REVIEW, APPLY_SCOPE_CHANGE);

        correlate(ProcessIds.MESSAGE_PARTNERSHIP_TERMINATED, Map.of("revocationReason", "contract cancelled"));
        revoked(instance);
        assertThat(instance).hasNotPassed(APPLY_SCOPE_CHANGE, "EndEvent_ScopeChangeApplied");
        verify(applyScopeChange, never()).execute(any());
    }

    @Test
    void anOverdueApprovalTellsTheSecurityOfficersOnceAtItsDueDateAndStaysOpen() throws Exception {
        securityOfficerApproval = true;
        ProcessInstance instance = start();
        assertFirstOverdueNotice(instance, "Sponsor", ProcessIds.TASK_APPROVE_AS_SPONSOR, approvalDue, notifyOverdue, overdueTasks);

        approveAsSponsor(instance, true);
        assertThat(instance).isWaitingAt(APPROVE_AS_SECURITY_OFFICER);
        executeJob(instance, "BoundaryEvent_SecurityOfficerApprovalOverdue");
        executeJob(instance, "Task_NotifySecurityOfficerApprovalOverdue");
        Assertions.assertThat(overdueTasks).containsExactly(ProcessIds.TASK_APPROVE_AS_SPONSOR, APPROVE_AS_SECURITY_OFFICER);
        assertThat(instance).isWaitingAt(APPROVE_AS_SECURITY_OFFICER);
    }

    // ------------------------------------------------------------------ helpers

    /**
     * The one starter's declared behaviour: a message the process does not wait for now is refused to whoever asked
     * and left alone for the registry's own follow-up; a suspended instance is not told; one it waits for is taken.
     */
    @Test
    void thePartnershipsStarterTellsOnlyWhatItsProcessWaitsFor() throws Exception {
        Partnership partnership = mock(Partnership.class);
        when(partnership.getState()).thenReturn(LifecycleState.ACTIVE);
        PartnershipService registry = mock(PartnershipService.class);
        when(registry.get(KEY)).thenReturn(partnership);
        PartnershipProcesses processes = new PartnershipProcesses(runtimeService(), engine.getIdentityService(), registry);
        ProcessInstance instance = startActive();
        Map<String, Object> suspension = Map.of(Variables.SUSPENSION_REASON, "contract dispute",
                Variables.TRIGGERED_BY, SECURITY_OFFICER);

        Assertions.assertThat(processes.tellIfWaiting(KEY, ProcessIds.MESSAGE_PARTNERSHIP_RESUMED, Map.of())).isFalse();
        assertThatThrownBy(() -> processes.send(KEY, ProcessIds.MESSAGE_PARTNERSHIP_RESUMED, Map.of()))
                .isInstanceOf(TriggerNotAcceptedException.class).hasMessageContaining("Partnership acme is ACTIVE");
        assertThatThrownBy(() -> processes.send(KEY, ProcessIds.MESSAGE_IDENTITY_ACCESS_ENDS, Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        runtimeService().suspendProcessInstanceById(instance.getId());
        Assertions.assertThat(processes.tellIfWaiting(KEY, ProcessIds.MESSAGE_PARTNERSHIP_SUSPENDED, suspension))
                .as("an instance suspended in the engine is not told").isFalse();
        runtimeService().activateProcessInstanceById(instance.getId());
        assertThat(instance).isWaitingAtExactly(ACTIVE, RECERTIFICATION_DUE);

        processes.send(KEY, ProcessIds.MESSAGE_PARTNERSHIP_SUSPENDED, suspension);
        suspended(instance);
    }

    private ProcessInstance start() {
        return runtimeService().startProcessInstanceByKey(ProcessIds.PARTNERSHIP_PROCESS, KEY,
                Map.of(Variables.REQUESTER, REQUESTER, Variables.PARTNERSHIP_KEY, KEY, PartnershipVariables.LEGAL_NAME, LEGAL_NAME));
    }

    /** Approved by the sponsor, contact provisioned, activation notified: waiting for the first recertification. */
    private ProcessInstance startActive() throws Exception {
        ProcessInstance instance = start();
        approveAsSponsor(instance, true);
        executeJob(instance, "Task_ProvisionPartnerContact");
        executeJob(instance, "Task_NotifyPartnershipActive");
        assertThat(instance).isWaitingAtExactly(ACTIVE, RECERTIFICATION_DUE);
        return instance;
    }

    private void approveAsSponsor(ProcessInstance instance, boolean approved) {
        completeAs(task(instance), SPONSOR, "sponsors", Map.of(Variables.SPONSOR_APPROVED, approved));
    }

    private void approveAsSecurityOfficer(ProcessInstance instance, boolean approved) {
        completeAs(task(instance), SECURITY_OFFICER, "security-officers", Map.of("securityOfficerApproved", approved,
                "securityOfficerComment", approved ? "" : "purpose too vague"));
    }

    private void recertificationDue(ProcessInstance instance) {
        executeJob(instance, RECERTIFICATION_DUE);
        assertThat(instance).isWaitingAtExactly(ACTIVE, RECERTIFY);
        assertThat(instance).hasPassed("Task_MarkUnderReview");
    }

    private void recertify(ProcessInstance instance, String decision, String... keptScopes) {
        assertThat(task(instance)).hasDefinitionKey(RECERTIFY);
        review(instance, decision, keptScopes);
    }

    private void review(ProcessInstance instance, String decision, String... keptScopes) {
        Map<String, Object> variables = new HashMap<>();
        variables.put("reviewDecision", decision);
        variables.put("reviewComment", "Reviewed with the business owner");
        // as text: the in-memory engine stores no Java objects; the form sends a JSON array
        variables.put("keptScopes", String.join(",", keptScopes));
        completeAs(task(instance), SPONSOR, "sponsors", variables);
    }

    /** A review task as its form opens: no decision, comment or kept scopes left over from an earlier review. */
    private void assertNothingPrefilled(ProcessInstance instance) {
        Map<String, Object> variables = taskService().getVariables(task(instance).getId());
        Assertions.assertThat(variables.get(Variables.REVIEW_DECISION)).isNull();
        Assertions.assertThat(variables.get(Variables.REVIEW_COMMENT)).isNull();
        Assertions.assertThat(variables.get(PartnershipVariables.KEPT_SCOPES)).isNull();
    }

    private void riskDowngraded(ProcessInstance instance) throws Exception {
        correlate(ProcessIds.MESSAGE_PARTNER_RISK_DOWNGRADED, Map.of());
        assertThat(instance).hasPassed("StartEvent_RiskDowngraded", "Task_MarkUnderReviewAfterDowngrade");
        assertThat(instance).isWaitingAtExactly(ACTIVE, RECERTIFICATION_DUE, "SubProcess_RiskDowngradeReview",
                "Task_ReviewAfterRiskDowngrade");
        Assertions.assertThat(job(RECERTIFICATION_DUE, instance)).isNotNull();
        verify(markUnderReview).execute(any());
    }

    /** A wider scope asked for while active: policy evaluated, waiting for the sponsor; access and reviews as they were. */
    private void requestScopeChange(ProcessInstance instance) {
        correlate(ProcessIds.MESSAGE_PARTNERSHIP_SCOPE_CHANGE_REQUESTED, Map.of(
                PartnershipVariables.REQUESTED_SCOPES, "invoices.read,orders.read,orders.write",
                PartnershipVariables.REQUESTED_DATA_CLASSES, "confidential,internal",
                PartnershipVariables.REQUESTED_ENVIRONMENTS, "production,test",
                PartnershipVariables.SCOPE_CHANGE_REASON, "The partner now places orders for us",
                Variables.SCOPE_CHANGE_REQUESTER, CHANGE_REQUESTER));
        assertThat(instance).isWaitingAtExactly(ACTIVE, RECERTIFICATION_DUE, SCOPE_CHANGE_REVIEW,
                APPROVE_CHANGE_AS_SPONSOR);
        assertThat(task(instance)).hasDefinitionKey(APPROVE_CHANGE_AS_SPONSOR).hasCandidateUser(SPONSOR);
        assertThat(instance).hasPassed("StartEvent_ScopeChangeRequested", "Task_EvaluateScopeChangePolicy");
    }

    private void approveChangeAsSponsor(ProcessInstance instance, boolean approved, String comment) {
        assertThat(task(instance)).hasDefinitionKey(APPROVE_CHANGE_AS_SPONSOR);
        completeAs(task(instance), SPONSOR, "sponsors",
                Map.of(SCOPE_CHANGE_APPROVED, approved, PartnershipVariables.SCOPE_CHANGE_COMMENT, comment));
    }

    private void approveChangeAsSecurityOfficer(ProcessInstance instance, boolean approved, String comment) {
        assertThat(task(instance)).hasDefinitionKey(APPROVE_CHANGE_AS_SECURITY_OFFICER);
        completeAs(task(instance), SECURITY_OFFICER, "security-officers",
                Map.of(SCOPE_CHANGE_SECURITY_OFFICER_APPROVED, approved, PartnershipVariables.SCOPE_CHANGE_COMMENT, comment));
    }

    /** From the suspension merge: every identity suspended, owners told, waiting for resumption. */
    private void suspended(ProcessInstance instance) throws Exception {
        assertThat(instance).isWaitingAtExactly("Task_SuspendPartnership");
        executeJob(instance, "Task_SuspendPartnership");
        executeJob(instance, "Task_NotifySuspension");
        assertThat(instance).isWaitingAtExactly(AWAIT_RESUMPTION);
        assertDueIn(job("BoundaryEvent_ContractEndedWhileSuspended", instance), Duration.ofDays(365), WITHIN_A_DAY);
        verify(suspend).execute(any());
        verify(notifySuspension).execute(any());
    }

    /** An incident report without termination: cut off, verified, then waiting for the resumption. */
    private void cutOffAndVerifiedThenSuspended(ProcessInstance instance) throws Exception {
        correlate(ProcessIds.MESSAGE_PARTNER_INCIDENT_REPORTED, Map.of("incidentTerminate", false));
        assertThat(instance).isWaitingAtExactly("Task_CutOffAllAccess");
        executeJob(instance, "Task_CutOffAllAccess");
        executeJob(instance, "Task_VerifyRevocation");
        assertThat(instance).isWaitingAtExactly(AWAIT_RESUMPTION);
        assertThat(instance).hasPassedInOrder("Task_CutOffAllAccess", "Task_VerifyRevocation");
        verify(revokeForIncident).execute(any());
        verify(verifyRevocation).execute(any());
    }

    /** Resumed while suspended: every identity re-enabled, a new active period waiting for its first review. */
    private void resumed(ProcessInstance instance) throws Exception {
        correlate(ProcessIds.MESSAGE_PARTNERSHIP_RESUMED, Map.of());
        assertThat(instance).isWaitingAtExactly("Task_ResumePartnership");
        executeJob(instance, "Task_ResumePartnership");
        assertThat(instance).isWaitingAtExactly(ACTIVE, RECERTIFICATION_DUE).isNotEnded();
        verify(resume).execute(any());
        verify(revoke, never()).execute(any());
    }

    /** From the revocation merge: every identity revoked, owners told, the instance ended. */
    private void revoked(ProcessInstance instance) throws Exception {
        assertThat(instance).isWaitingAtExactly("Task_RevokePartnership");
        executeJob(instance, "Task_RevokePartnership");
        executeJob(instance, "Task_NotifyPartnershipRevoked");
        assertThat(instance).hasPassedInOrder("Task_RevokePartnership", "Task_NotifyPartnershipRevoked",
                "EndEvent_PartnershipRevoked").isEnded();
        verify(revoke).execute(any());
        verify(notifyRevoked).execute(any());
    }

    private static void correlate(String message, Map<String, Object> variables) {
        runtimeService().createMessageCorrelation(message).processInstanceBusinessKey(KEY)
                .setVariables(variables).correlate();
    }

}
