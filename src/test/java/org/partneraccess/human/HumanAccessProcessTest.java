package org.partneraccess.human;

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
import static org.partneraccess.support.ProcessUnitTests.assertDueAt;
import static org.partneraccess.support.ProcessUnitTests.assertDueIn;
import static org.partneraccess.support.ProcessUnitTests.assertFirstOverdueNotice;
import static org.partneraccess.support.ProcessUnitTests.completeAs;
import static org.partneraccess.support.ProcessUnitTests.executeJob;

import java.time.temporal.ChronoUnit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.assertj.core.api.Assertions;
import org.camunda.bpm.engine.delegate.BpmnError;
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
import org.partneraccess.InvalidRequestException;
import org.partneraccess.ProcessIds;
import org.partneraccess.inventory.AccessEndTrigger;
import org.partneraccess.inventory.IdentityProcesses;
import org.partneraccess.Variables;
import org.partneraccess.security.SegregationOfDutiesException;
import org.partneraccess.support.ProcessUnitTests;
import org.partneraccess.partnership.Sponsors;

/** Every path of HumanAccessProcess, with the delegates mocked: the model's own logic, fast. */
@Deployment(resources = "bpmn/HumanAccessProcess.bpmn")
class HumanAccessProcessTest {

    private static final String IDENTITY = "5f1c0e1e-person";
    private static final String REQUESTER = "rita.requester";
    private static final String SPONSOR = "sam.sponsor";
    private static final String SECURITY_OFFICER = "sofia.security";
    /** The timers here are checked to the minute. */
    private static final Duration WITHIN_A_MINUTE = Duration.ofMinutes(1);

    private static final String APPROVE_AS_SPONSOR = ProcessIds.TASK_APPROVE_AS_SPONSOR;
    private static final String APPROVE_AS_SECURITY_OFFICER = ProcessIds.TASK_APPROVE_AS_SECURITY_OFFICER;
    private static final String APPROVAL = "SubProcess_HumanAccessApproval";
    private static final String ACTIVE = ProcessIds.SUBPROCESS_HUMAN_ACCESS_ACTIVE;
    private static final String RECERTIFICATION_DUE = ProcessIds.TIMER_ACCESS_RECERTIFICATION_DUE;
    private static final String RECERTIFY = ProcessIds.TASK_RECERTIFY_ACCESS;
    private static final String PROVISION = "Task_ProvisionPerson";
    private static final String AWAIT_RESUMPTION = ProcessIds.RECEIVE_TASK_AWAIT_PARTNERSHIP_RESUMPTION;
    private static final String ELEVATION = ProcessIds.SUBPROCESS_ELEVATION;
    private static final String PARTNERSHIP = "acme";
    /** The one place access ends from outside, whatever the trigger. */
    private static final String REVOKE_NOW = "Task_RevokeAfterAccessEnds";
    private static final String NOTIFY_REVOKED_NOW = "Task_NotifyRevokedAfterAccessEnds";

    @RegisterExtension
    static ProcessEngineExtension engine = ProcessUnitTests.engineWithCoverage(0.99);

    private final JavaDelegate recordRequest = mock(JavaDelegate.class);
    private final JavaDelegate evaluatePolicy = mock(JavaDelegate.class);
    private final JavaDelegate approve = mock(JavaDelegate.class);
    private final JavaDelegate reject = mock(JavaDelegate.class);
    private final JavaDelegate provision = mock(JavaDelegate.class);
    private final JavaDelegate invite = mock(JavaDelegate.class);
    private final JavaDelegate notifyGranted = mock(JavaDelegate.class);
    private final JavaDelegate notifyWarning = mock(JavaDelegate.class);
    private final JavaDelegate notifyRevoked = mock(JavaDelegate.class);
    private final JavaDelegate notifyRejected = mock(JavaDelegate.class);
    private final JavaDelegate markUnderReview = mock(JavaDelegate.class);
    private final JavaDelegate recordRecertification = mock(JavaDelegate.class);
    private final JavaDelegate revoke = mock(JavaDelegate.class);
    private final JavaDelegate evaluateElevationPolicy = mock(JavaDelegate.class);
    private final JavaDelegate grantElevation = mock(JavaDelegate.class);
    private final JavaDelegate endElevation = mock(JavaDelegate.class);
    private final JavaDelegate rejectElevation = mock(JavaDelegate.class);

    /** The reason each revoking task handed to the delegate, in order. */
    private final List<String> revocationReasons = new ArrayList<>();
    private final Map<String, Object> seenByRecordRecertification = new HashMap<>();
    private boolean securityOfficerApproval;
    private final JavaDelegate notifyOverdue = mock(JavaDelegate.class);
    /** The approval tasks the overdue notices were about, in turn. */
    private final List<String> overdueTasks = new ArrayList<>();
    /** When the mocked policy makes the approvals due. */
    private final Date approvalDue = Date.from(Instant.now().plus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS));
    private final Date elevationApprovalDue = Date.from(Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS));
    private String elevationApprovers = "sponsors";
    private final Instant accessEnd = Instant.now().plus(Duration.ofDays(180));

    @BeforeEach
    void registerDelegates() throws Exception {
        init(engine.getProcessEngine());
        // the registry names the sponsor; here the test does
        Sponsors sponsors = mock(Sponsors.class);
        when(sponsors.of(any())).thenReturn(SPONSOR);
        when(sponsors.none()).thenReturn(List.of());
        Mocks.register("sponsors", sponsors);
        doAnswer(invocation -> {
            DelegateExecution execution = invocation.getArgument(0);
            execution.setProcessBusinessKey(IDENTITY);
            execution.setVariable(Variables.IDENTITY_ID, IDENTITY);
            execution.setVariable(Variables.ACCESS_END, Date.from(accessEnd));
            execution.setVariable(HumanAccessVariables.FIRST_EXPIRY_WARNING_AT, Date.from(accessEnd.minus(Duration.ofDays(14))));
            execution.setVariable(HumanAccessVariables.FINAL_EXPIRY_WARNING_AT, Date.from(accessEnd.minus(Duration.ofDays(1))));
            return null;
        }).when(recordRequest).execute(any());
        doAnswer(invocation -> {
            DelegateExecution execution = invocation.getArgument(0);
            execution.setVariable(Variables.RISK_TIER, securityOfficerApproval ? "HIGH" : "LOW");
            execution.setVariable(Variables.SECURITY_OFFICER_APPROVAL, securityOfficerApproval);
            execution.setVariable(Variables.APPROVAL_DUE, approvalDue);
            execution.setVariable(Variables.REVIEW_INTERVAL, "P90D");
            execution.setVariable(Variables.REVIEW_DEADLINE, "P14D");
            return null;
        }).when(evaluatePolicy).execute(any());
        doAnswer(invocation -> {
            revocationReasons.add((String) ((DelegateExecution) invocation.getArgument(0)).getVariable("reason"));
            return null;
        }).when(revoke).execute(any());
        doAnswer(invocation -> {
            seenByRecordRecertification.putAll(((DelegateExecution) invocation.getArgument(0)).getVariables());
            return null;
        }).when(recordRecertification).execute(any());
        doAnswer(invocation -> {
            ((DelegateExecution) invocation.getArgument(0)).setVariable(HumanAccessVariables.ELEVATION_APPROVERS, elevationApprovers);
            ((DelegateExecution) invocation.getArgument(0)).setVariable(Variables.ELEVATION_APPROVAL_DUE, elevationApprovalDue);
            return null;
        }).when(evaluateElevationPolicy).execute(any());
        doAnswer(invocation -> {
            ((DelegateExecution) invocation.getArgument(0)).setVariable(HumanAccessVariables.ELEVATION_UNTIL,
                    Date.from(Instant.now().plus(Duration.ofHours(4))));
            return null;
        }).when(grantElevation).execute(any());

        Mocks.register("recordHumanAccessRequestDelegate", recordRequest);
        Mocks.register("evaluateHumanAccessPolicyDelegate", evaluatePolicy);
        Mocks.register("approveHumanAccessDelegate", approve);
        Mocks.register("rejectHumanAccessDelegate", reject);
        Mocks.register("provisionHumanAccessDelegate", provision);
        Mocks.register("inviteHumanDelegate", invite);
        Mocks.register("notifyHumanAccessGrantedDelegate", notifyGranted);
        Mocks.register("notifyHumanExpiryWarningDelegate", notifyWarning);
        Mocks.register("notifyHumanAccessRevokedDelegate", notifyRevoked);
        Mocks.register("notifyHumanAccessRejectedDelegate", notifyRejected);
        Mocks.register("notifyApprovalOverdueDelegate", notifyOverdue);
        doAnswer(invocation -> {
            overdueTasks.add((String) ((DelegateExecution) invocation.getArgument(0)).getVariable(Variables.OVERDUE_TASK));
            return null;
        }).when(notifyOverdue).execute(any());
        Mocks.register("markHumanUnderReviewDelegate", markUnderReview);
        Mocks.register("recordHumanRecertificationDelegate", recordRecertification);
        Mocks.register("revokeHumanAccessDelegate", revoke);
        Mocks.register("evaluateElevationPolicyDelegate", evaluateElevationPolicy);
        Mocks.register("grantElevationDelegate", grantElevation);
        Mocks.register("endElevationDelegate", endElevation);
        Mocks.register("rejectElevationDelegate", rejectElevation);
    }

    @AfterEach
    void reset() {
        Mocks.reset();
        engine.getIdentityService().clearAuthentication();
    }

    // ------------------------------------------------------------------ request and approval

    @Test
    void approvedBySponsorIsProvisionedInvitedAndActive() throws Exception {
        ProcessInstance instance = start();
        assertThat(instance).isWaitingAtExactly(APPROVAL, APPROVE_AS_SPONSOR);
        assertThat(task(instance)).hasCandidateUser(SPONSOR).hasName("Approve person Pat Partner — LOW")
                .hasDueDate(approvalDue);
        Assertions.assertThat(instance.getBusinessKey()).isEqualTo(IDENTITY);

        approveAsSponsor(instance, true);
        assertThat(instance).isWaitingAtExactly(PROVISION);
        executeJob(instance, PROVISION);
        assertThat(instance).isWaitingAt("Task_SendInvitation", RECERTIFICATION_DUE);
        executeJob(instance, "Task_SendInvitation");
        executeJob(instance, "Task_NotifySponsorOfAccess");

        assertThat(instance).hasPassedInOrder("Task_RecordHumanAccessRequest", "Task_EvaluateAccessPolicy",
                APPROVE_AS_SPONSOR, "Task_RecordApproval", PROVISION, "Task_SendInvitation",
                "Task_NotifySponsorOfAccess", "EndEvent_InvitationSent");
        assertThat(instance).hasNotPassed(APPROVE_AS_SECURITY_OFFICER, "Task_RecordRejection");
        assertThat(instance).isWaitingAtExactly(ACTIVE, RECERTIFICATION_DUE).isNotEnded();
        assertDueIn(job(RECERTIFICATION_DUE, instance), Duration.ofDays(90), WITHIN_A_MINUTE);
        assertDueAt(job(ProcessIds.BOUNDARY_ACCESS_EXPIRED, instance), accessEnd, WITHIN_A_MINUTE);
        assertDueAt(job(ProcessIds.BOUNDARY_FIRST_EXPIRY_WARNING, instance), accessEnd.minus(Duration.ofDays(14)),
                WITHIN_A_MINUTE);
        assertDueAt(job(ProcessIds.BOUNDARY_FINAL_EXPIRY_WARNING, instance), accessEnd.minus(Duration.ofDays(1)),
                WITHIN_A_MINUTE);
        assertThat(instance).variables().containsEntry(Variables.SPONSOR_DECIDED_BY, SPONSOR);
        verify(approve).execute(any());
        verify(provision).execute(any());
        verify(invite).execute(any());
        verify(notifyGranted).execute(any());
        verify(reject, never()).execute(any());
    }

    @Test
    void approvedBySponsorAndSecurityOfficerWhenPolicyAsks() throws Exception {
        securityOfficerApproval = true;
        ProcessInstance instance = start();
        approveAsSponsor(instance, true);
        assertThat(instance).isWaitingAtExactly(APPROVAL, APPROVE_AS_SECURITY_OFFICER);
        assertThat(task(instance)).hasCandidateGroup("security-officers")
                .hasName("Approve person Pat Partner — HIGH (security officer)").hasDueDate(approvalDue);
        approveAsSecurityOfficer(instance, true);

        assertThat(instance).isWaitingAtExactly(PROVISION);
        assertThat(instance).hasPassedInOrder(APPROVE_AS_SPONSOR, APPROVE_AS_SECURITY_OFFICER, "Task_RecordApproval");
        assertThat(instance).variables().containsEntry(Variables.SECURITY_OFFICER_DECIDED_BY, SECURITY_OFFICER);
        verify(approve).execute(any());
    }

    @Test
    void rejectedBySponsorEndsRejected() throws Exception {
        ProcessInstance instance = start();
        approveAsSponsor(instance, false);
        verify(notifyRejected, never()).execute(any());
        executeJob(instance, "EndEvent_AccessRejected");

        assertThat(instance).hasPassedInOrder("EndEvent_RejectedBySponsor", "BoundaryEvent_AccessRejected",
                "Task_RecordRejection", "EndEvent_AccessRejected").isEnded();
        verify(reject).execute(any());
        verify(notifyRejected).execute(any());
        verify(provision, never()).execute(any());
    }

    @Test
    void rejectedBySecurityOfficerEndsRejected() throws Exception {
        securityOfficerApproval = true;
        ProcessInstance instance = start();
        approveAsSponsor(instance, true);
        approveAsSecurityOfficer(instance, false);
        executeJob(instance, "EndEvent_AccessRejected");

        assertThat(instance).hasPassedInOrder("EndEvent_RejectedBySecurityOfficer", "Task_RecordRejection",
                "EndEvent_AccessRejected").isEnded();
        verify(reject).execute(any());
        verify(approve, never()).execute(any());
    }

    @Test
    void requesterCannotApproveTheirOwnRequest() throws Exception {
        ProcessInstance instance = start();
        assertThatThrownBy(() -> completeAs(task(instance), REQUESTER, "sponsors",
                Map.of(Variables.SPONSOR_APPROVED, true)))
                .hasRootCauseInstanceOf(SegregationOfDutiesException.class);
        assertThat(instance).isWaitingAtExactly(APPROVAL, APPROVE_AS_SPONSOR);
        verify(approve, never()).execute(any());
    }

    @Test
    void sponsorCannotAlsoApproveAsSecurityOfficer() throws Exception {
        securityOfficerApproval = true;
        ProcessInstance instance = start();
        approveAsSponsor(instance, true);
        assertThatThrownBy(() -> completeAs(task(instance), SPONSOR, "security-officers",
                Map.of("securityOfficerApproved", true)))
                .hasRootCauseInstanceOf(SegregationOfDutiesException.class);
        assertThat(instance).isWaitingAtExactly(APPROVAL, APPROVE_AS_SECURITY_OFFICER);
    }

    /** Who decided the earlier step comes from the decision record: a rewritten variable does not clear the sponsor. */
    @Test
    void sponsorCannotApproveAsSecurityOfficerAfterTheDeciderVariableWasRewritten() throws Exception {
        securityOfficerApproval = true;
        ProcessInstance instance = start();
        approveAsSponsor(instance, true);
        engine.getRuntimeService().setVariable(instance.getId(), Variables.SPONSOR_DECIDED_BY, "someone.else");
        assertThatThrownBy(() -> completeAs(task(instance), SPONSOR, "security-officers",
                Map.of("securityOfficerApproved", true)))
                .hasRootCauseInstanceOf(SegregationOfDutiesException.class);
        assertThat(instance).isWaitingAtExactly(APPROVAL, APPROVE_AS_SECURITY_OFFICER);
    }

    @Test
    void invalidRequestStartsNothing() throws Exception {
        doThrow(new InvalidRequestException(Map.of("roles", "not within the partnership's approved scopes")))
                .when(recordRequest).execute(any());
        assertThatThrownBy(this::start).isInstanceOf(InvalidRequestException.class);
        Assertions.assertThat(processInstanceQuery().count()).isZero();
        Assertions.assertThat(historyService().createHistoricProcessInstanceQuery().count()).isZero();
        verify(evaluatePolicy, never()).execute(any());
    }

    /**
     * A suspension is caught in one place, around the active period: a request still being approved waits (as a
     * machine's does), and provisioning refuses it while the partnership is not active (the next test).
     */
    @Test
    void aSuspensionDuringApprovalLeavesTheRequestToTheProvisioningCheck() throws Exception {
        ProcessInstance instance = start();
        Assertions.assertThat(processes().tellPartnership(PARTNERSHIP,
                IdentityProcesses.Message.suspended("dispute", SECURITY_OFFICER))).as("not taken during the approval").isZero();

        assertThat(instance).isWaitingAtExactly(APPROVAL, APPROVE_AS_SPONSOR);
        verify(revoke, never()).execute(any());
    }

    @Test
    void partnershipNoLongerActiveAtProvisioningWithdrawsTheRequest() throws Exception {
        ProcessInstance instance = start();
        approveAsSponsor(instance, true);
        doThrow(new BpmnError(ProvisionHumanAccessDelegate.PARTNERSHIP_NOT_ACTIVE)).when(provision).execute(any());
        executeJob(instance, PROVISION);

        assertThat(instance).hasPassed("BoundaryEvent_PartnershipNotActive").isWaitingAtExactly("Task_WithdrawRequest");
        executeJob(instance, "Task_WithdrawRequest");
        assertThat(instance).hasPassed("EndEvent_RequestWithdrawn").isEnded();
        verify(invite, never()).execute(any());
    }

    @Test
    void provisioningFailureIsRetriedByTheEngine() throws Exception {
        ProcessInstance instance = start();
        approveAsSponsor(instance, true);
        doThrow(new IllegalStateException("Keycloak unavailable")).when(provision).execute(any());
        assertThatThrownBy(() -> executeJob(instance, PROVISION)).isInstanceOf(IllegalStateException.class);
        Assertions.assertThat(job(PROVISION, instance).getRetries()).isEqualTo(4);
        assertThat(instance).isWaitingAtExactly(PROVISION);
    }

    // ------------------------------------------------------------------ active period

    @Test
    void expiryWarningsGoToTheSponsorWhileAccessStays() throws Exception {
        ProcessInstance instance = startActive();
        executeJob(instance, ProcessIds.BOUNDARY_FIRST_EXPIRY_WARNING);
        executeJob(instance, "Task_SendFirstExpiryWarning");
        executeJob(instance, ProcessIds.BOUNDARY_FINAL_EXPIRY_WARNING);
        executeJob(instance, "Task_SendFinalExpiryWarning");

        assertThat(instance).hasPassed("EndEvent_FirstExpiryWarningSent", "EndEvent_FinalExpiryWarningSent");
        assertThat(instance).isWaitingAtExactly(ACTIVE, RECERTIFICATION_DUE);
        verify(notifyWarning, times(2)).execute(any());
        verify(revoke, never()).execute(any());
    }

    @Test
    void accessEndDateRevokesTheAccess() throws Exception {
        ProcessInstance instance = startActive();
        executeJob(instance, ProcessIds.BOUNDARY_ACCESS_EXPIRED);
        revoked(instance, "Task_RevokeAccess", "Task_NotifyAccessRevoked");
        Assertions.assertThat(revocationReasons).containsExactly((String) null);
    }

    @Test
    void recertificationKeepLoopsBackToTheNextReview() throws Exception {
        ProcessInstance instance = startActive();
        recertificationDue(instance);
        recertify(instance, "KEEP");
        executeJob(instance, "Task_RecordRecertification");

        assertThat(instance).hasPassedInOrder(RECERTIFY, "Task_RecordRecertification");
        assertThat(instance).isWaitingAtExactly(ACTIVE, RECERTIFICATION_DUE);
        Assertions.assertThat(seenByRecordRecertification).containsEntry(Variables.REVIEW_DECISION, "KEEP")
                .containsEntry(Variables.decidedBy(RECERTIFY), SPONSOR);
        recertificationDue(instance);
        verify(markUnderReview, times(2)).execute(any());
        verify(revoke, never()).execute(any());
    }

    @Test
    void recertificationReduceRecordsTheKeptRoles() throws Exception {
        ProcessInstance instance = startActive();
        recertificationDue(instance);
        recertify(instance, "REDUCE", "orders.read");
        assertThat(instance).as("a save point: the decision is taken, Keycloak changed in a job of its own")
                .isWaitingAt("Task_RecordRecertification");
        executeJob(instance, "Task_RecordRecertification");

        assertThat(instance).isWaitingAtExactly(ACTIVE, RECERTIFICATION_DUE);
        Assertions.assertThat(seenByRecordRecertification).containsEntry(Variables.REVIEW_DECISION, "REDUCE")
                .containsEntry(HumanAccessVariables.KEPT_ROLES, "orders.read");
    }

    @Test
    void recertificationEndRevokesTheAccess() throws Exception {
        ProcessInstance instance = startActive();
        recertificationDue(instance);
        recertify(instance, "END");

        assertThat(instance).hasPassed("EndEvent_AccessNotRecertified");
        revoked(instance, "Task_RevokeAccess", "Task_NotifyAccessRevoked");
        Assertions.assertThat(revocationReasons).containsExactly("not recertified: the sponsor ended the access");
        verify(recordRecertification, never()).execute(any());
    }

    @Test
    void missedRecertificationRevokesTheAccess() throws Exception {
        ProcessInstance instance = startActive();
        recertificationDue(instance);
        assertDueIn(job("BoundaryEvent_RecertificationOverdue", instance), Duration.ofDays(14), WITHIN_A_MINUTE);
        executeJob(instance, "BoundaryEvent_RecertificationOverdue");

        assertThat(instance).hasPassed("EndEvent_RecertificationMissed", "BoundaryEvent_RecertificationMissed");
        revoked(instance, "Task_RevokeAccess", "Task_NotifyAccessRevoked");
        // the registry's sweep gives the same reason when the timers were postponed (RecertificationDeadlineTest)
        Assertions.assertThat(revocationReasons).containsExactly(HumanAccessService.RECERTIFICATION_MISSED);
    }

    @Test
    void partnershipSuspensionWaitsForResumption() throws Exception {
        ProcessInstance instance = startActive();
        correlate(instance, IdentityProcesses.Message.suspended("dispute", SECURITY_OFFICER));
        assertThat(instance).isWaitingAtExactly(AWAIT_RESUMPTION);
        assertDueAt(job("BoundaryEvent_AccessExpiredWhileSuspended", instance), accessEnd, WITHIN_A_MINUTE);

        correlate(instance, IdentityProcesses.Message.resumed("settled", SECURITY_OFFICER));
        assertThat(instance).isWaitingAtExactly(ACTIVE, RECERTIFICATION_DUE).isNotEnded();
        verify(revoke, never()).execute(any());
    }

    @Test
    void accessEndDateWhileSuspendedRevokes() throws Exception {
        ProcessInstance instance = startActive();
        correlate(instance, IdentityProcesses.Message.suspended("dispute", SECURITY_OFFICER));
        executeJob(instance, "BoundaryEvent_AccessExpiredWhileSuspended");
        revoked(instance, "Task_RevokeAccess", "Task_NotifyAccessRevoked");
    }

    // ------------------------------------------------------------------ interrupting triggers

    @Test
    void identityIncidentRevokesAtOnceEvenDuringApproval() throws Exception {
        ProcessInstance instance = start();
        correlate(instance, IdentityProcesses.Message.accessEnds(AccessEndTrigger.IDENTITY_INCIDENT, "HIGH: phished",
                SECURITY_OFFICER, false));
        Assertions.assertThat(taskQuery().processInstanceId(instance.getId()).count()).isZero();
        revoked(instance, REVOKE_NOW, NOTIFY_REVOKED_NOW);
        Assertions.assertThat(revocationReasons).containsExactly("HIGH: phished");
    }

    @Test
    void identityIncidentRevokesWhileActive() throws Exception {
        ProcessInstance instance = startActive();
        correlate(instance, IdentityProcesses.Message.accessEnds(AccessEndTrigger.IDENTITY_INCIDENT, "CRITICAL: leaked",
                SECURITY_OFFICER, false));
        revoked(instance, REVOKE_NOW, NOTIFY_REVOKED_NOW);
        Assertions.assertThat(managementService().createJobQuery().processInstanceId(instance.getId()).count()).isZero();
    }

    @Test
    void partnerIncidentRevokesEveryPersonOfThePartnership() throws Exception {
        ProcessInstance instance = startActive();
        // the partnership's cut-off tells each process of its people and machines, each on its own
        Assertions.assertThat(processes().tellPartnershipEach(PARTNERSHIP, IdentityProcesses.Message.accessEnds(
                AccessEndTrigger.PARTNER_INCIDENT, "HIGH: breach", SECURITY_OFFICER, false), Runnable::run)).isOne();
        revoked(instance, REVOKE_NOW, NOTIFY_REVOKED_NOW);
        Assertions.assertThat(revocationReasons).containsExactly("HIGH: breach");
    }

    @Test
    void partnershipTerminationRevokesEvenWhileSuspended() throws Exception {
        ProcessInstance instance = startActive();
        correlate(instance, IdentityProcesses.Message.suspended("dispute", SECURITY_OFFICER));
        correlate(instance, IdentityProcesses.Message.accessEnds(AccessEndTrigger.PARTNERSHIP_TERMINATED, "contract ended",
                SECURITY_OFFICER, false));
        revoked(instance, REVOKE_NOW, NOTIFY_REVOKED_NOW);
        Assertions.assertThat(revocationReasons).containsExactly("contract ended");
    }

    /** An instance of the earlier model, which waits for the older trigger messages, is still revoked through them. */
    @Test
    void anInstanceOfTheEarlierModelIsStillRevoked() throws Exception {
        String earlier = repositoryService().createDeployment()
                .addClasspathResource("earlier-models/HumanAccessProcess.bpmn").deploy().getId();
        try {
            ProcessInstance instance = startActive();
            Assertions.assertThat(processes().tellPartnership(PARTNERSHIP, IdentityProcesses.Message.accessEnds(
                    AccessEndTrigger.PARTNERSHIP_TERMINATED, "contract ended", SECURITY_OFFICER, false))).isOne();
            revoked(instance, "Task_RevokeAfterPartnershipTerminated", "Task_NotifyRevokedAfterPartnershipTerminated");
            Assertions.assertThat(revocationReasons).containsExactly("contract ended");
        } finally {
            repositoryService().deleteDeployment(earlier, true);
        }
    }

    // ------------------------------------------------------------------ time-boxed elevation

    @Test
    void approvedElevationIsRemovedWhenTheTimeIsUp() throws Exception {
        ProcessInstance instance = startActive();
        requestElevation(instance);
        assertThat(task(instance)).hasCandidateUser(SPONSOR);
        completeAs(task(instance), SPONSOR, "sponsors", Map.of(Variables.ELEVATION_APPROVED, true));
        executeJob(instance, "Task_GrantElevation");
        assertThat(instance).isWaitingAtExactly(ACTIVE, RECERTIFICATION_DUE, ELEVATION, ProcessIds.TIMER_ELEVATION_ENDS);
        assertDueIn(job(ProcessIds.TIMER_ELEVATION_ENDS, instance), Duration.ofHours(4), WITHIN_A_MINUTE);

        executeJob(instance, ProcessIds.TIMER_ELEVATION_ENDS);
        executeJob(instance, "Task_EndElevation");
        assertThat(instance).hasPassed("EndEvent_ElevationEnded").isWaitingAtExactly(ACTIVE, RECERTIFICATION_DUE);
        verify(grantElevation).execute(any());
        verify(endElevation).execute(any());
    }

    @Test
    void anOverdueElevationApprovalTellsTheSecurityOfficersAndStaysOpen() throws Exception {
        ProcessInstance instance = startActive();
        requestElevation(instance);
        ProcessUnitTests.assertOverdueNoticedOnce(instance, "ElevationApprovalOverdue", ProcessIds.TASK_APPROVE_ELEVATION,
                elevationApprovalDue, notifyOverdue, overdueTasks);
        assertThat(instance).isWaitingAtExactly(ACTIVE, RECERTIFICATION_DUE, ProcessIds.SUBPROCESS_ELEVATION,
                ProcessIds.TASK_APPROVE_ELEVATION);
        verify(grantElevation, never()).execute(any());
        verify(rejectElevation, never()).execute(any());
    }

    @Test
    void rejectedElevationGrantsNothing() throws Exception {
        elevationApprovers = "security-officers";
        ProcessInstance instance = startActive();
        requestElevation(instance);
        assertThat(task(instance)).hasCandidateGroup("security-officers");
        completeAs(task(instance), SECURITY_OFFICER, "security-officers",
                Map.of(Variables.ELEVATION_APPROVED, false, Variables.ELEVATION_COMMENT, "use the runbook account"));

        assertThat(instance).hasPassed("Task_RecordElevationRejection", "EndEvent_ElevationRejected");
        assertThat(instance).isWaitingAtExactly(ACTIVE, RECERTIFICATION_DUE);
        verify(rejectElevation).execute(any());
        verify(grantElevation, never()).execute(any());
    }

    @Test
    void whoAskedForAnElevationCannotApproveIt() throws Exception {
        ProcessInstance instance = startActive();
        requestElevation(instance);
        runtimeService().setVariable(instance.getId(), Variables.ELEVATION_REQUESTER, SPONSOR);
        assertThatThrownBy(() -> completeAs(task(instance), SPONSOR, "sponsors",
                Map.of(Variables.ELEVATION_APPROVED, true)))
                .hasRootCauseInstanceOf(SegregationOfDutiesException.class);
        verify(grantElevation, never()).execute(any());
    }

    @Test
    void anOverdueApprovalTellsTheSecurityOfficersOnceAtItsDueDateAndStaysOpen() throws Exception {
        securityOfficerApproval = true;
        ProcessInstance instance = start();
        assertFirstOverdueNotice(instance, "Sponsor", APPROVE_AS_SPONSOR, approvalDue, notifyOverdue, overdueTasks);

        approveAsSponsor(instance, true);
        assertThat(instance).isWaitingAt(APPROVE_AS_SECURITY_OFFICER);
        executeJob(instance, "BoundaryEvent_SecurityOfficerApprovalOverdue");
        executeJob(instance, "Task_NotifySecurityOfficerApprovalOverdue");
        Assertions.assertThat(overdueTasks).containsExactly(APPROVE_AS_SPONSOR, APPROVE_AS_SECURITY_OFFICER);
        assertThat(instance).isWaitingAt(APPROVE_AS_SECURITY_OFFICER);
    }

    // ------------------------------------------------------------------ helpers

    private ProcessInstance start() {
        return runtimeService().startProcessInstanceByKey(ProcessIds.HUMAN_ACCESS_PROCESS,
                Map.of(Variables.REQUESTER, REQUESTER, Variables.PARTNERSHIP_KEY, PARTNERSHIP, HumanAccessVariables.FIRST_NAME, "Pat",
                        HumanAccessVariables.LAST_NAME, "Partner"));
    }

    /** Approved by the sponsor, provisioned, invited: waiting for the first recertification. */
    private ProcessInstance startActive() throws Exception {
        ProcessInstance instance = start();
        approveAsSponsor(instance, true);
        executeJob(instance, PROVISION);
        executeJob(instance, "Task_SendInvitation");
        executeJob(instance, "Task_NotifySponsorOfAccess");
        assertThat(instance).isWaitingAtExactly(ACTIVE, RECERTIFICATION_DUE);
        return instance;
    }

    private void approveAsSponsor(ProcessInstance instance, boolean approved) {
        completeAs(task(instance), SPONSOR, "sponsors", Map.of(Variables.SPONSOR_APPROVED, approved));
    }

    private void approveAsSecurityOfficer(ProcessInstance instance, boolean approved) {
        completeAs(task(instance), SECURITY_OFFICER, "security-officers",
                Map.of(Variables.SECURITY_OFFICER_APPROVED, approved,
                Variables.SECURITY_OFFICER_COMMENT, approved ? "" : "too broad"));
    }

    private void recertificationDue(ProcessInstance instance) {
        executeJob(instance, RECERTIFICATION_DUE);
        assertThat(instance).isWaitingAtExactly(ACTIVE, RECERTIFY);
        assertThat(task(instance)).hasCandidateUser(SPONSOR);
    }

    private void recertify(ProcessInstance instance, String decision, String... keptRoles) {
        Map<String, Object> variables = new HashMap<>();
        variables.put(Variables.REVIEW_DECISION, decision);
        variables.put(Variables.REVIEW_COMMENT, "Reviewed with the partner's manager");
        variables.put(HumanAccessVariables.KEPT_ROLES, String.join(",", keptRoles));
        completeAs(task(instance), SPONSOR, "sponsors", variables);
    }

    private void requestElevation(ProcessInstance instance) throws Exception {
        correlate(instance, ProcessIds.MESSAGE_IDENTITY_ELEVATION_REQUESTED, Map.of(HumanAccessVariables.ELEVATION_ROLE, "orders.write",
                Variables.ELEVATION_REASON, "cut-over weekend", HumanAccessVariables.ELEVATION_HOURS, 4,
                Variables.ELEVATION_REQUESTER, "robert.requester"));
        assertThat(instance).isWaitingAtExactly(ACTIVE, RECERTIFICATION_DUE, ELEVATION, ProcessIds.TASK_APPROVE_ELEVATION);
        verify(evaluateElevationPolicy).execute(any());
    }

    /** From a revoking task: revoked in Keycloak, sponsor told, the instance ended. */
    private void revoked(ProcessInstance instance, String revokeTask, String notifyTask) throws Exception {
        // inside an event subprocess when a trigger revoked: nothing else waits
        Assertions.assertThat(runtimeService().getActiveActivityIds(instance.getId())).contains(revokeTask)
                .allMatch(activity -> activity.equals(revokeTask) || activity.startsWith("SubProcess_"));
        executeJob(instance, revokeTask);
        executeJob(instance, notifyTask);
        assertThat(instance).hasPassedInOrder(revokeTask, notifyTask).isEnded();
        verify(revoke).execute(any());
        verify(notifyRevoked).execute(any());
    }

    private static void correlate(ProcessInstance instance, IdentityProcesses.Message message) {
        correlate(instance, message.name(), message.variables());
    }

    private static IdentityProcesses processes() {
        return new IdentityProcesses(runtimeService());
    }

    private static void correlate(ProcessInstance instance, String message, Map<String, Object> variables) {
        runtimeService().createMessageCorrelation(message).processInstanceId(instance.getId())
                .setVariables(variables).correlate();
    }

}
