package org.partneraccess.machine;

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

import java.time.temporal.ChronoUnit;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ArrayList;

import org.assertj.core.api.Assertions;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.camunda.community.process_test_coverage.junit5.platform7.ProcessEngineCoverageExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.partneraccess.InvalidRequestException;
import org.partneraccess.ProcessIds;
import org.partneraccess.inventory.AccessEndTrigger;
import org.partneraccess.inventory.IdentityProcesses;
import org.partneraccess.Variables;
import org.partneraccess.expiry.ExpiryBackstop;
import org.partneraccess.expiry.ExpiryProperties;
import org.partneraccess.security.SegregationOfDutiesException;
import org.partneraccess.support.ProcessUnitTests;

/** Every path of MachineAccessProcess, with the delegates mocked: the model's own logic, fast. */
@Deployment(resources = "bpmn/MachineAccessProcess.bpmn")
class MachineAccessProcessTest {

    /** The machine process's end-date timer, revocation and suspension run before its notices and provisioning. */
    private static final long REVOCATION_PRIORITY = 50;

    private static final String ID = "3f0c1d2e-machine";
    private static final String KEY = "acme";
    private static final String REQUESTER = "rita.requester";
    private static final String OWNER = "ian.owner";
    private static final String SECURITY_OFFICER = "sofia.security";
    /** Timers days away are checked to the day, shorter ones to five minutes. */
    private static final Duration WITHIN_A_DAY = Duration.ofDays(1);
    private static final Duration WITHIN_FIVE_MINUTES = Duration.ofMinutes(5);

    private static final String ACCESS = "SubProcess_MachineAccess";
    private static final String ACTIVE = ProcessIds.SUBPROCESS_MACHINE_ACTIVE;
    private static final String APPROVE_AS_OWNER = ProcessIds.TASK_APPROVE_MACHINE_AS_OWNER;
    private static final String APPROVE_AS_SECURITY_OFFICER = ProcessIds.TASK_APPROVE_MACHINE_AS_SECURITY_OFFICER;
    private static final String PROVISION = "Task_ProvisionMachineClient";
    private static final String NOTIFY_ACTIVE = "Task_NotifyMachineActive";
    private static final String ROTATION_DUE = ProcessIds.TIMER_ROTATION_DUE;
    private static final String USE_CHECK_DUE = ProcessIds.TIMER_USE_CHECK_DUE;
    private static final String REVIEW = ProcessIds.TASK_REVIEW_UNUSED_MACHINE;
    private static final String AWAIT_RESUMPTION = ProcessIds.RECEIVE_TASK_AWAIT_MACHINE_RESUMPTION;
    private static final String AWAIT_RETENTION = ProcessIds.GATEWAY_AWAIT_RETENTION;
    private static final String ELEVATION = ProcessIds.SUBPROCESS_SCOPE_ELEVATION;

    /** The sweeper's turn comes first; the process's own timer a day later, so that the two are told apart. */
    private static final ExpiryProperties BACKSTOP = new ExpiryProperties(Duration.ofSeconds(1), 8, 1000,
            Duration.ofDays(3));

    @RegisterExtension
    static ProcessEngineCoverageExtension engine = ProcessUnitTests.engineWithCoverage(0.95);

    private final JavaDelegate recordRegistration = mock(JavaDelegate.class);
    private final JavaDelegate evaluatePolicy = mock(JavaDelegate.class);
    private final JavaDelegate recordApproval = mock(JavaDelegate.class);
    private final JavaDelegate recordRejection = mock(JavaDelegate.class);
    private final JavaDelegate provision = mock(JavaDelegate.class);
    private final JavaDelegate notifyActive = mock(JavaDelegate.class);
    private final JavaDelegate suspend = mock(JavaDelegate.class);
    private final JavaDelegate resume = mock(JavaDelegate.class);
    private final JavaDelegate rotate = mock(JavaDelegate.class);
    private final JavaDelegate notifyRotated = mock(JavaDelegate.class);
    private final JavaDelegate checkLastUse = mock(JavaDelegate.class);
    private final JavaDelegate recordUseConfirmed = mock(JavaDelegate.class);
    private final JavaDelegate revoke = mock(JavaDelegate.class);
    private final JavaDelegate notifyRevoked = mock(JavaDelegate.class);
    private final JavaDelegate notifyRejected = mock(JavaDelegate.class);
    private final JavaDelegate deleteClient = mock(JavaDelegate.class);
    private final JavaDelegate evaluateElevation = mock(JavaDelegate.class);
    private final JavaDelegate grantElevation = mock(JavaDelegate.class);
    private final JavaDelegate removeElevation = mock(JavaDelegate.class);
    private final JavaDelegate rejectElevation = mock(JavaDelegate.class);

    /** What the mocked access policy decides for the test at hand. */
    private boolean autoApprove;
    private boolean securityOfficerApproval;
    private final JavaDelegate notifyOverdue = mock(JavaDelegate.class);
    /** The approval tasks the overdue notices were about, in turn. */
    private final List<String> overdueTasks = new ArrayList<>();
    /** When the mocked policy makes the approvals due. */
    private final Date approvalDue = Date.from(Instant.now().plus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS));
    private final Date elevationApprovalDue = Date.from(Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS));
    private boolean elevationAutoApprove;
    private boolean elevationSecurityOfficerApproval;
    /** What the mocked last-use check finds. */
    private boolean unused;
    /** What the revocation delegate was told, in order. */
    private final List<String> revocationTriggers = new java.util.ArrayList<>();
    /** No trigger variable: the process's own end-date timer fired (the delegate reads it as ACCESS_ENDED). */
    private static final String END_DATE_TIMER = null;
    /** No deletion trigger: the retention period is over. */
    private static final String RETENTION_OVER = null;

    @BeforeEach
    void registerDelegates() throws Exception {
        init(engine.getProcessEngine());
        doAnswer(invocation -> {
            DelegateExecution execution = invocation.getArgument(0);
            execution.setVariable(Variables.RISK_TIER, securityOfficerApproval ? "HIGH" : autoApprove ? "LOW" : "MEDIUM");
            execution.setVariable(MachineAccessVariables.AUTO_APPROVE, autoApprove);
            execution.setVariable(Variables.SECURITY_OFFICER_APPROVAL, securityOfficerApproval);
            execution.setVariable(Variables.APPROVAL_DUE, approvalDue);
            execution.setVariable(MachineAccessVariables.ROTATION_INTERVAL, "P30D");
            execution.setVariable(Variables.ACCESS_END, Date.from(Instant.now().plus(Duration.ofDays(180))));
            execution.setVariable(MachineAccessVariables.RETENTION_PERIOD, "P30D");
            execution.setVariable(MachineAccessVariables.USE_CHECK_INTERVAL, "P1D");
            execution.setVariable(MachineAccessVariables.UNUSED_REVIEW_DEADLINE, "P7D");
            return null;
        }).when(evaluatePolicy).execute(any());
        doAnswer(invocation -> {
            ((DelegateExecution) invocation.getArgument(0)).setVariable(MachineAccessVariables.MACHINE_UNUSED, unused);
            return null;
        }).when(checkLastUse).execute(any());
        doAnswer(invocation -> {
            revocationTriggers.add((String) ((DelegateExecution) invocation.getArgument(0))
                    .getVariable(Variables.REVOCATION_TRIGGER));
            return null;
        }).when(revoke).execute(any());
        doAnswer(invocation -> {
            DelegateExecution execution = invocation.getArgument(0);
            execution.setVariable(MachineAccessVariables.ELEVATION_AUTO_APPROVE, elevationAutoApprove);
            execution.setVariable(MachineAccessVariables.ELEVATION_SECURITY_OFFICER_APPROVAL, elevationSecurityOfficerApproval);
            execution.setVariable(Variables.ELEVATION_APPROVER, OWNER);
            execution.setVariable(Variables.ELEVATION_APPROVAL_DUE, elevationApprovalDue);
            return null;
        }).when(evaluateElevation).execute(any());

        Mocks.register("recordMachineRegistrationDelegate", recordRegistration);
        Mocks.register("evaluateMachineAccessPolicyDelegate", evaluatePolicy);
        Mocks.register("recordMachineApprovalDelegate", recordApproval);
        Mocks.register("recordMachineRejectionDelegate", recordRejection);
        Mocks.register("provisionMachineClientDelegate", provision);
        Mocks.register("notifyMachineActiveDelegate", notifyActive);
        Mocks.register("suspendMachineClientDelegate", suspend);
        Mocks.register("resumeMachineClientDelegate", resume);
        Mocks.register("rotateClientSecretDelegate", rotate);
        Mocks.register("notifySecretRotatedDelegate", notifyRotated);
        Mocks.register("checkMachineLastUseDelegate", checkLastUse);
        Mocks.register("recordMachineUseConfirmedDelegate", recordUseConfirmed);
        Mocks.register("revokeMachineAccessDelegate", revoke);
        Mocks.register("notifyMachineRevokedDelegate", notifyRevoked);
        Mocks.register("notifyMachineRejectedDelegate", notifyRejected);
        Mocks.register("notifyApprovalOverdueDelegate", notifyOverdue);
        doAnswer(invocation -> {
            overdueTasks.add((String) ((DelegateExecution) invocation.getArgument(0)).getVariable(Variables.OVERDUE_TASK));
            return null;
        }).when(notifyOverdue).execute(any());
        Mocks.register("deleteMachineClientDelegate", deleteClient);
        Mocks.register("evaluateMachineElevationPolicyDelegate", evaluateElevation);
        Mocks.register("grantMachineElevationDelegate", grantElevation);
        Mocks.register("removeMachineElevationDelegate", removeElevation);
        Mocks.register("recordMachineElevationRejectionDelegate", rejectElevation);
        Mocks.register("expiryBackstop", new ExpiryBackstop(BACKSTOP));
    }

    @AfterEach
    void reset() {
        Mocks.reset();
        engine.getProcessEngine().getIdentityService().clearAuthentication();
    }

    // ------------------------------------------------------------------ registration and approval

    @Test
    void autoApprovedMachineIsProvisionedJustInTimeWithoutAnyUserTask() throws Exception {
        autoApprove = true;
        ProcessInstance instance = start("SIGNED_JWT");
        assertThat(instance).isWaitingAtExactly(ACCESS, PROVISION);

        executeJob(instance, PROVISION);
        assertThat(instance).isWaitingAtExactly(ACCESS, NOTIFY_ACTIVE, ACTIVE, USE_CHECK_DUE);
        executeJob(instance, NOTIFY_ACTIVE);

        assertThat(instance).hasPassedInOrder("Task_RecordMachineRegistration", "Task_EvaluateAccessPolicy",
                "Gateway_ApprovedByPolicy", "Task_RecordApproval", PROVISION, "StartEvent_ActivePeriodStarted");
        assertThat(instance).hasPassed("EndEvent_NoSecretToRotate", NOTIFY_ACTIVE).hasNotPassed(APPROVE_AS_OWNER);
        assertThat(instance).isWaitingAtExactly(ACCESS, ACTIVE, USE_CHECK_DUE).isNotEnded();
        Assertions.assertThat(historyService().createHistoricTaskInstanceQuery().count()).as("no person in the loop").isZero();
        assertDueIn(job(USE_CHECK_DUE, instance), Duration.ofDays(1), WITHIN_FIVE_MINUTES);
        assertDueIn(job("BoundaryEvent_AccessEnded", instance), Duration.ofDays(180).plus(BACKSTOP.backstopDelay()),
                WITHIN_A_DAY);
        Assertions.assertThat(job("BoundaryEvent_AccessEnded", instance).getPriority()).isEqualTo(REVOCATION_PRIORITY);
        verify(recordApproval).execute(any());
        verify(provision).execute(any());
        verify(notifyActive).execute(any());
        verify(rotate, never()).execute(any());
    }

    @Test
    void ownerApprovesWhenThePolicySaysSo() throws Exception {
        ProcessInstance instance = start("SIGNED_JWT");
        assertThat(instance).isWaitingAtExactly(ACCESS, APPROVE_AS_OWNER);
        assertThat(task(instance)).isAssignedTo(OWNER).hasName("Approve machine \"order sync\" — MEDIUM")
                .hasDueDate(approvalDue);

        approveAsOwner(instance, true);
        assertThat(instance).variables().containsEntry(Variables.decidedBy(APPROVE_AS_OWNER), OWNER);
        assertThat(instance).isWaitingAtExactly(ACCESS, PROVISION);
        executeJob(instance, PROVISION);

        assertThat(instance).hasPassedInOrder(APPROVE_AS_OWNER, "Gateway_SecurityOfficerApprovalNeeded",
                "Task_RecordApproval", PROVISION);
        assertThat(instance).hasNotPassed(APPROVE_AS_SECURITY_OFFICER, "Task_RecordRejection");
        assertThat(instance).isWaitingAt(ACTIVE, USE_CHECK_DUE);
        verify(recordApproval).execute(any());
        verify(recordRejection, never()).execute(any());
    }

    @Test
    void securityOfficerApprovesAfterTheOwnerForTheHighestTiers() throws Exception {
        securityOfficerApproval = true;
        ProcessInstance instance = start("SIGNED_JWT");
        approveAsOwner(instance, true);
        assertThat(instance).isWaitingAtExactly(ACCESS, APPROVE_AS_SECURITY_OFFICER);
        assertThat(task(instance)).hasCandidateGroup("security-officers")
                .hasName("Approve machine \"order sync\" — HIGH (security officer)")
                .hasDueDate(approvalDue);

        approveAsSecurityOfficer(instance, true);
        executeJob(instance, PROVISION);

        assertThat(instance).hasPassedInOrder(APPROVE_AS_OWNER, APPROVE_AS_SECURITY_OFFICER, "Task_RecordApproval", PROVISION);
        assertThat(instance).variables().containsEntry(Variables.decidedBy(APPROVE_AS_SECURITY_OFFICER), SECURITY_OFFICER);
        assertThat(instance).isWaitingAt(ACTIVE);
        verify(provision).execute(any());
    }

    @Test
    void rejectedByTheOwnerIsRecordedAndNothingIsProvisioned() throws Exception {
        securityOfficerApproval = true;
        ProcessInstance instance = start("SIGNED_JWT");
        approveAsOwner(instance, false);
        verify(notifyRejected, never()).execute(any());
        executeJob(instance, "EndEvent_RegistrationRejected");

        assertThat(instance).hasPassed("Task_RecordRejection", "EndEvent_RegistrationRejected", "EndEvent_RegistrationClosed")
                .hasNotPassed(APPROVE_AS_SECURITY_OFFICER).isEnded();
        verify(recordRejection).execute(any());
        verify(notifyRejected).execute(any());
        verify(provision, never()).execute(any());
    }

    @Test
    void rejectedByTheSecurityOfficerIsRecordedAndNothingIsProvisioned() throws Exception {
        securityOfficerApproval = true;
        ProcessInstance instance = start("SIGNED_JWT");
        approveAsOwner(instance, true);
        approveAsSecurityOfficer(instance, false);
        executeJob(instance, "EndEvent_RegistrationRejected");

        assertThat(instance).hasPassedInOrder(APPROVE_AS_SECURITY_OFFICER, "Task_RecordRejection").isEnded();
        verify(recordRejection).execute(any());
        verify(recordApproval, never()).execute(any());
        verify(provision, never()).execute(any());
    }

    @Test
    void noOneApprovesTheirOwnRequestOrSecondsTheirOwnApproval() throws Exception {
        securityOfficerApproval = true;
        ProcessInstance instance = start("SIGNED_JWT");
        // the task is the owner's alone
        assertThatThrownBy(() -> completeAs(task(instance), SECURITY_OFFICER, "security-officers",
                Map.of(MachineAccessVariables.OWNER_APPROVED, true)))
                .hasRootCauseInstanceOf(SegregationOfDutiesException.class);
        assertThatThrownBy(() -> complete(task(instance), Map.of(MachineAccessVariables.OWNER_APPROVED, true)))
                .hasRootCauseInstanceOf(SegregationOfDutiesException.class);
        approveAsOwner(instance, true);

        // an owner who is also a security officer cannot give the second signature
        assertThatThrownBy(() -> completeAs(task(instance), OWNER, "security-officers",
                Map.of(Variables.SECURITY_OFFICER_APPROVED, true)))
                .hasRootCauseInstanceOf(SegregationOfDutiesException.class);
        assertThatThrownBy(() -> completeAs(task(instance), REQUESTER, "security-officers",
                Map.of(Variables.SECURITY_OFFICER_APPROVED, true)))
                .hasRootCauseInstanceOf(SegregationOfDutiesException.class);
        assertThat(instance).isWaitingAtExactly(ACCESS, APPROVE_AS_SECURITY_OFFICER);
        verify(recordApproval, never()).execute(any());
    }

    @Test
    void partnershipNoLongerActiveAtProvisioningRejectsTheRegistration() throws Exception {
        autoApprove = true;
        doThrow(new BpmnError(ProcessIds.ERROR_PARTNERSHIP_NOT_ACTIVE)).when(provision).execute(any());
        ProcessInstance instance = start("SIGNED_JWT");
        executeJob(instance, PROVISION);
        executeJob(instance, "EndEvent_RegistrationRejected");

        assertThat(instance).hasPassedInOrder(PROVISION, "BoundaryEvent_PartnershipNotActive", "Task_RecordRejection")
                .hasNotPassed(NOTIFY_ACTIVE).isEnded();
        verify(recordRejection).execute(any());
    }

    @Test
    void invalidRegistrationStartsNothing() throws Exception {
        doThrow(new InvalidRequestException(Map.of("clientScopes", "not approved for the partnership")))
                .when(recordRegistration).execute(any());
        assertThatThrownBy(() -> start("SIGNED_JWT")).isInstanceOf(InvalidRequestException.class);
        Assertions.assertThat(processInstanceQuery().count()).isZero();
        Assertions.assertThat(historyService().createHistoricProcessInstanceQuery().count()).isZero();
        verify(evaluatePolicy, never()).execute(any());
    }

    @Test
    void provisioningFailureIsRetriedByTheEngine() throws Exception {
        autoApprove = true;
        ProcessInstance instance = start("SIGNED_JWT");
        doThrow(new IllegalStateException("Keycloak unavailable")).when(provision).execute(any());
        assertThatThrownBy(() -> executeJob(instance, PROVISION)).isInstanceOf(IllegalStateException.class);
        Assertions.assertThat(job(PROVISION, instance).getRetries()).isEqualTo(4);
        assertThat(instance).isWaitingAtExactly(ACCESS, PROVISION);
        verify(notifyActive, never()).execute(any());
    }

    // ------------------------------------------------------------------ rotation, expiry, inactivity

    @Test
    void secretIsRotatedOnThePolicyPeriodAndTheOwnerToldEachTime() throws Exception {
        ProcessInstance instance = startActive("CLIENT_SECRET");
        assertThat(instance).isWaitingAtExactly(ACCESS, ACTIVE, ROTATION_DUE, USE_CHECK_DUE);
        assertDueIn(job(ROTATION_DUE, instance), Duration.ofDays(30), WITHIN_A_DAY);

        for (int round = 1; round <= 2; round++) {
            executeJob(instance, ROTATION_DUE);
            assertThat(instance).isWaitingAtExactly(ACCESS, ACTIVE, "Task_RotateClientSecret", USE_CHECK_DUE);
            executeJob(instance, "Task_RotateClientSecret");
            executeJob(instance, "Task_NotifySecretRotated");
            assertThat(instance).isWaitingAtExactly(ACCESS, ACTIVE, ROTATION_DUE, USE_CHECK_DUE);
        }
        verify(rotate, times(2)).execute(any());
        verify(notifyRotated, times(2)).execute(any());
        verify(revoke, never()).execute(any());
    }

    @Test
    void anOwnerWhoMissedTheCollectionGetsANewSecretWhileTheScheduleStays() throws Exception {
        ProcessInstance instance = startActive("CLIENT_SECRET");
        correlate(ProcessIds.MESSAGE_MACHINE_SECRET_RENEWAL_REQUESTED, Map.of());
        assertThat(instance).isWaitingAtExactly(ACCESS, ACTIVE, ROTATION_DUE, USE_CHECK_DUE, "SubProcess_SecretRenewal",
                "Task_RenewClientSecret");
        executeJob(instance, "Task_RenewClientSecret");
        executeJob(instance, "Task_NotifySecretRenewed");
        assertThat(instance).hasPassed("EndEvent_SecretRenewed");
        assertThat(instance).isWaitingAtExactly(ACCESS, ACTIVE, ROTATION_DUE, USE_CHECK_DUE);
        assertDueIn(job(ROTATION_DUE, instance), Duration.ofDays(30), WITHIN_A_DAY);
        verify(rotate).execute(any());
        verify(notifyRotated).execute(any());
    }

    @Test
    void atTheEndDateTheClientIsDisabledThenDeletedAfterRetention() throws Exception {
        ProcessInstance instance = startActive("CLIENT_SECRET");
        executeJob(instance, "BoundaryEvent_AccessEnded");
        revokedAndRetained(instance, END_DATE_TIMER);

        assertDueIn(job("TimerEvent_RetentionEnded", instance), Duration.ofDays(30), WITHIN_A_DAY);
        executeJob(instance, "TimerEvent_RetentionEnded");
        deleted(instance, RETENTION_OVER);
    }

    @Test
    void theSweeperHavingRevokedAtTheEndDateTheOwnerIsToldAndTheClientRetained() throws Exception {
        ProcessInstance instance = startActive("CLIENT_SECRET");
        correlate(IdentityProcesses.Message.accessEnds(AccessEndTrigger.ACCESS_ENDED, "access end date reached", "system", true));

        assertThat(instance).hasPassed(ProcessIds.BOUNDARY_ACCESS_ENDS, "Gateway_RevokedAlready")
                .isWaitingAtExactly("Task_NotifyMachineRevoked");
        Assertions.assertThat(managementService().createJobQuery().processInstanceId(instance.getId())
                .activityId(ProcessIds.BOUNDARY_ACCESS_ENDED).count()).as("the backstop timer is gone").isZero();
        executeJob(instance, "Task_NotifyMachineRevoked");
        assertThat(instance).isWaitingAtExactly(AWAIT_RETENTION).hasNotPassed("Task_RevokeMachineAccess");
        Assertions.assertThat(historicVariable(instance, Variables.REVOCATION_TRIGGER)).isEqualTo("ACCESS_ENDED");
        verify(revoke, never()).execute(any());
        verify(notifyRevoked).execute(any());

        executeJob(instance, "TimerEvent_RetentionEnded");
        deleted(instance, RETENTION_OVER);
    }

    /** The sweeper revoked the machine whose owner's review was dodged: the open review goes, the owner is told. */
    @Test
    void theSweeperHavingRevokedAnUnusedMachineTheOwnerIsToldAndTheClientRetained() throws Exception {
        ProcessInstance instance = startActive("SIGNED_JWT");
        unused = true;
        unusedReviewOpens(instance);
        correlate(IdentityProcesses.Message.accessEnds(AccessEndTrigger.UNUSED, "unused", "system", true));

        assertThat(instance).hasPassed(ProcessIds.BOUNDARY_ACCESS_ENDS).isWaitingAtExactly("Task_NotifyMachineRevoked");
        Assertions.assertThat(taskService().createTaskQuery().processInstanceId(instance.getId()).count())
                .as("the owner's review is gone").isZero();
        executeJob(instance, "Task_NotifyMachineRevoked");
        assertThat(instance).isWaitingAtExactly(AWAIT_RETENTION).hasNotPassed("Task_RevokeMachineAccess");
        Assertions.assertThat(historicVariable(instance, Variables.REVOCATION_TRIGGER)).isEqualTo("UNUSED");
        verify(revoke, never()).execute(any());
        verify(notifyRevoked).execute(any());
    }

    @Test
    void unusedMachineKeptByItsOwnerGoesBackToTheUseChecks() throws Exception {
        ProcessInstance instance = startActive("SIGNED_JWT");
        executeJob(instance, USE_CHECK_DUE);
        executeJob(instance, "Task_CheckLastUse");
        assertThat(instance).isWaitingAtExactly(ACCESS, ACTIVE, USE_CHECK_DUE);

        unused = true;
        unusedReviewOpens(instance);
        completeAs(task(instance), OWNER, "identity-owners", Map.of(MachineAccessVariables.KEEP_MACHINE, true,
                Variables.REVIEW_COMMENT, "nightly batch resumes next month"));
        assertThat(instance).hasPassed("Task_RecordUseConfirmed");
        assertThat(instance).isWaitingAtExactly(ACCESS, ACTIVE, USE_CHECK_DUE);
        verify(recordUseConfirmed).execute(any());

        // the next review opens with the decision unticked, whatever the previous one said
        unusedReviewOpens(instance);
        Assertions.assertThat(taskService().getVariable(task(instance).getId(), MachineAccessVariables.KEEP_MACHINE)).isEqualTo(false);
        verify(revoke, never()).execute(any());
    }

    @Test
    void unusedMachineGivenUpByItsOwnerIsRevoked() throws Exception {
        ProcessInstance instance = startActive("SIGNED_JWT");
        unused = true;
        unusedReviewOpens(instance);
        completeAs(task(instance), OWNER, "identity-owners", Map.of(MachineAccessVariables.KEEP_MACHINE, false));

        assertThat(instance).hasPassed("EndEvent_MachineGivenUp", "BoundaryEvent_MachineUnused");
        revokedAndRetained(instance, "UNUSED");
        verify(recordUseConfirmed, never()).execute(any());
    }

    @Test
    void unusedMachineWhoseOwnerDoesNotAnswerInTimeIsRevoked() throws Exception {
        ProcessInstance instance = startActive("SIGNED_JWT");
        unused = true;
        unusedReviewOpens(instance);
        assertDueIn(job("BoundaryEvent_UnusedReviewOverdue", instance), Duration.ofDays(7), WITHIN_A_DAY);
        Assertions.assertThat(task(instance).getDueDate()).as("the owner sees the deadline as the task's due date")
                .isCloseTo(job("BoundaryEvent_UnusedReviewOverdue", instance).getDuedate(), 60_000);

        executeJob(instance, "BoundaryEvent_UnusedReviewOverdue");
        assertThat(instance).hasPassed("EndEvent_UnusedReviewMissed", "BoundaryEvent_MachineUnused");
        revokedAndRetained(instance, "UNUSED");
    }

    // ------------------------------------------------------------------ triggers

    @Test
    void suspensionDisablesTheClientAndResumptionEnablesIt() throws Exception {
        ProcessInstance instance = startActive("CLIENT_SECRET");
        correlate(IdentityProcesses.Message.suspended("contract dispute", SECURITY_OFFICER));
        assertThat(instance).isWaitingAtExactly(ACCESS, "Task_SuspendMachineClient");
        executeJob(instance, "Task_SuspendMachineClient");
        assertThat(instance).isWaitingAtExactly(ACCESS, AWAIT_RESUMPTION);
        Assertions.assertThat(job(ROTATION_DUE, instance)).as("no rotation while suspended").isNull();

        correlate(IdentityProcesses.Message.resumed("settled", SECURITY_OFFICER));
        executeJob(instance, "Task_ResumeMachineClient");
        assertThat(instance).isWaitingAtExactly(ACCESS, ACTIVE, ROTATION_DUE, USE_CHECK_DUE).isNotEnded();
        verify(suspend).execute(any());
        verify(resume).execute(any());
        verify(revoke, never()).execute(any());
    }

    @Test
    void identityIncidentRevokesAtOnce() throws Exception {
        ProcessInstance instance = startActive("CLIENT_SECRET");
        correlate(IdentityProcesses.Message.accessEnds(AccessEndTrigger.IDENTITY_INCIDENT, "key leaked", SECURITY_OFFICER, false));
        revokedAndRetained(instance, "IDENTITY_INCIDENT");
        executeJob(instance, "TimerEvent_RetentionEnded");
        deleted(instance, RETENTION_OVER);
    }

    @Test
    void partnerIncidentRevokesAtOnce() throws Exception {
        ProcessInstance instance = startActive("SIGNED_JWT");
        correlate(IdentityProcesses.Message.accessEnds(AccessEndTrigger.PARTNER_INCIDENT, "breach at the partner", SECURITY_OFFICER, false));
        revokedAndRetained(instance, "PARTNER_INCIDENT");
    }

    @Test
    void terminationRevokesAtOnce() throws Exception {
        ProcessInstance instance = startActive("SIGNED_JWT");
        correlate(IdentityProcesses.Message.accessEnds(AccessEndTrigger.PARTNERSHIP_TERMINATED, "contract ended early", SECURITY_OFFICER, false));
        revokedAndRetained(instance, "PARTNERSHIP_TERMINATED");
    }

    @Test
    void incidentWhileSuspendedRevokes() throws Exception {
        ProcessInstance instance = startActive("SIGNED_JWT");
        correlate(IdentityProcesses.Message.suspended("contract dispute", SECURITY_OFFICER));
        executeJob(instance, "Task_SuspendMachineClient");
        correlate(IdentityProcesses.Message.accessEnds(AccessEndTrigger.IDENTITY_INCIDENT, "key leaked", SECURITY_OFFICER, false));
        revokedAndRetained(instance, "IDENTITY_INCIDENT");
        verify(resume, never()).execute(any());
    }

    @Test
    void endDateWhileSuspendedRevokes() throws Exception {
        ProcessInstance instance = startActive("SIGNED_JWT");
        correlate(IdentityProcesses.Message.suspended("contract dispute", SECURITY_OFFICER));
        executeJob(instance, "Task_SuspendMachineClient");
        executeJob(instance, "BoundaryEvent_AccessEnded");
        revokedAndRetained(instance, END_DATE_TIMER);
    }

    @Test
    void triggersInterruptAPendingApproval() throws Exception {
        ProcessInstance instance = start("SIGNED_JWT");
        assertThat(instance).isWaitingAtExactly(ACCESS, APPROVE_AS_OWNER);
        correlate(IdentityProcesses.Message.accessEnds(AccessEndTrigger.PARTNERSHIP_TERMINATED, "ended", SECURITY_OFFICER, false));
        assertThat(instance).hasNotPassed(PROVISION);
        Assertions.assertThat(taskService().createTaskQuery().processInstanceId(instance.getId()).count()).isZero();
        revokedAndRetained(instance, "PARTNERSHIP_TERMINATED");
    }

    @Test
    void aTriggerDuringRetentionDeletesTheClientAtOnce() throws Exception {
        for (AccessEndTrigger trigger : List.of(AccessEndTrigger.IDENTITY_INCIDENT, AccessEndTrigger.PARTNER_INCIDENT,
                AccessEndTrigger.PARTNERSHIP_TERMINATED)) {
            ProcessInstance instance = startActive("SIGNED_JWT");
            executeJob(instance, "BoundaryEvent_AccessEnded");
            executeJob(instance, "Task_RevokeMachineAccess");
            executeJob(instance, "Task_NotifyMachineRevoked");
            assertThat(instance).isWaitingAtExactly(AWAIT_RETENTION);
            correlate(IdentityProcesses.Message.accessEnds(trigger, "again", SECURITY_OFFICER, false));
            deleted(instance, trigger.name());
            runtimeService().createProcessInstanceQuery().list()
                    .forEach(other -> runtimeService().deleteProcessInstance(other.getId(), "next round"));
        }
    }

    /**
     * An instance of the earlier model, still running when this version is deployed, waits for the older trigger
     * messages: the one sender tells it by those, so it is still suspended, resumed and revoked.
     */
    @Test
    void anInstanceOfTheEarlierModelIsStillSuspendedResumedAndRevoked() throws Exception {
        String earlier = repositoryService().createDeployment()
                .addClasspathResource("earlier-models/MachineAccessProcess.bpmn").deploy().getId();
        try {
            ProcessInstance instance = startActive("SIGNED_JWT");
            IdentityProcesses processes = new IdentityProcesses(runtimeService());
            Assertions.assertThat(repositoryService().getProcessDefinition(instance.getProcessDefinitionId())
                    .getDeploymentId()).isEqualTo(earlier);

            Assertions.assertThat(processes.tell(ID, IdentityProcesses.Message.suspended("dispute", SECURITY_OFFICER))).isTrue();
            executeJob(instance, "Task_SuspendMachineClient");
            Assertions.assertThat(processes.tell(ID, IdentityProcesses.Message.resumed("settled", SECURITY_OFFICER))).isTrue();
            executeJob(instance, "Task_ResumeMachineClient");
            Assertions.assertThat(processes.tell(ID, IdentityProcesses.Message.accessEnds(AccessEndTrigger.IDENTITY_INCIDENT,
                    "key leaked", SECURITY_OFFICER, false))).isTrue();
            assertThat(instance).hasPassed("BoundaryEvent_IdentityIncidentReported");
            revokedAndRetained(instance, "IDENTITY_INCIDENT");
            verify(suspend).execute(any());
            verify(resume).execute(any());
        } finally {
            repositoryService().deleteDeployment(earlier, true);
        }
    }

    // ------------------------------------------------------------------ time-boxed elevation

    @Test
    void elevationApprovedByPolicyIsGrantedAndRemovedWhenTheTimeIsUp() throws Exception {
        elevationAutoApprove = true;
        ProcessInstance instance = startActive("SIGNED_JWT");
        requestElevation("PT2H");
        assertThat(instance).isWaitingAtExactly(ACCESS, ACTIVE, USE_CHECK_DUE, ELEVATION, "Task_GrantElevation");
        executeJob(instance, "Task_GrantElevation");
        assertThat(instance).isWaitingAtExactly(ACCESS, ACTIVE, USE_CHECK_DUE, ELEVATION, ProcessIds.TIMER_ELEVATION_ENDS);
        assertDueIn(job(ProcessIds.TIMER_ELEVATION_ENDS, instance), Duration.ofHours(2), WITHIN_FIVE_MINUTES);

        executeJob(instance, ProcessIds.TIMER_ELEVATION_ENDS);
        executeJob(instance, "Task_RemoveElevation");
        assertThat(instance).hasPassed("EndEvent_ElevationEnded").hasNotPassed(ProcessIds.TASK_APPROVE_ELEVATION_AS_OWNER);
        assertThat(instance).isWaitingAtExactly(ACCESS, ACTIVE, USE_CHECK_DUE);
        verify(grantElevation).execute(any());
        verify(removeElevation).execute(any());
    }

    @Test
    void elevationApprovedByOwnerAndSecurityOfficer() throws Exception {
        elevationSecurityOfficerApproval = true;
        ProcessInstance instance = startActive("SIGNED_JWT");
        requestElevation("PT1H");
        assertThat(task(instance)).hasDefinitionKey(ProcessIds.TASK_APPROVE_ELEVATION_AS_OWNER).isAssignedTo(OWNER);
        completeAs(task(instance), OWNER, "identity-owners", Map.of("elevationApproved", true));
        assertThat(task(instance)).hasDefinitionKey(ProcessIds.TASK_APPROVE_ELEVATION_AS_SECURITY_OFFICER)
                .hasCandidateGroup("security-officers");
        completeAs(task(instance), SECURITY_OFFICER, "security-officers",
                Map.of("elevationSecurityOfficerApproved", true));

        executeJob(instance, "Task_GrantElevation");
        assertThat(instance).isWaitingAt(ProcessIds.TIMER_ELEVATION_ENDS);
        verify(grantElevation).execute(any());
    }

    @Test
    void anOverdueElevationApprovalTellsTheSecurityOfficersAndStaysOpen() throws Exception {
        elevationSecurityOfficerApproval = true;
        ProcessInstance instance = startActive("SIGNED_JWT");
        requestElevation("PT1H");
        ProcessUnitTests.assertOverdueNoticedOnce(instance, "ElevationOwnerApprovalOverdue",
                ProcessIds.TASK_APPROVE_ELEVATION_AS_OWNER, elevationApprovalDue, notifyOverdue, overdueTasks);
        assertThat(instance).isWaitingAtExactly(ACCESS, ACTIVE, USE_CHECK_DUE, ELEVATION,
                ProcessIds.TASK_APPROVE_ELEVATION_AS_OWNER);

        completeAs(task(instance), OWNER, "identity-owners", Map.of("elevationApproved", true));
        assertThat(task(instance)).hasDefinitionKey(ProcessIds.TASK_APPROVE_ELEVATION_AS_SECURITY_OFFICER)
                .hasDueDate(elevationApprovalDue);
        executeJob(instance, ProcessIds.BOUNDARY_ELEVATION_SECURITY_OFFICER_APPROVAL_OVERDUE);
        executeJob(instance, "Task_NotifyElevationSecurityOfficerApprovalOverdue");
        Assertions.assertThat(overdueTasks).containsExactly(ProcessIds.TASK_APPROVE_ELEVATION_AS_OWNER,
                ProcessIds.TASK_APPROVE_ELEVATION_AS_SECURITY_OFFICER);
        assertThat(instance).isWaitingAtExactly(ACCESS, ACTIVE, USE_CHECK_DUE, ELEVATION,
                ProcessIds.TASK_APPROVE_ELEVATION_AS_SECURITY_OFFICER);
        verify(grantElevation, never()).execute(any());
        verify(rejectElevation, never()).execute(any());
    }

    @Test
    void elevationApprovedByOwnerAloneWhenThePolicyAsksNoMore() throws Exception {
        ProcessInstance instance = startActive("SIGNED_JWT");
        requestElevation("PT1H");
        completeAs(task(instance), OWNER, "identity-owners", Map.of("elevationApproved", true));
        assertThat(instance).hasNotPassed(ProcessIds.TASK_APPROVE_ELEVATION_AS_SECURITY_OFFICER);
        executeJob(instance, "Task_GrantElevation");
        verify(grantElevation).execute(any());
    }

    @Test
    void elevationRejectedByOwnerOrSecurityOfficerIsRecorded() throws Exception {
        elevationSecurityOfficerApproval = true;
        ProcessInstance instance = startActive("SIGNED_JWT");
        requestElevation("PT1H");
        completeAs(task(instance), OWNER, "identity-owners",
                Map.of("elevationApproved", false, "elevationComment", "not needed"));
        assertThat(instance).hasPassed("Task_RecordElevationRejection", "EndEvent_ElevationRejected");
        assertThat(instance).isWaitingAtExactly(ACCESS, ACTIVE, USE_CHECK_DUE);

        requestElevation("PT1H");
        completeAs(task(instance), OWNER, "identity-owners", Map.of("elevationApproved", true));
        completeAs(task(instance), SECURITY_OFFICER, "security-officers",
                Map.of("elevationSecurityOfficerApproved", false));
        assertThat(instance).isWaitingAtExactly(ACCESS, ACTIVE, USE_CHECK_DUE);
        verify(rejectElevation, times(2)).execute(any());
        verify(grantElevation, never()).execute(any());
    }

    @Test
    void suspensionCutsAnElevationShort() throws Exception {
        elevationAutoApprove = true;
        ProcessInstance instance = startActive("SIGNED_JWT");
        requestElevation("PT2H");
        executeJob(instance, "Task_GrantElevation");
        correlate(IdentityProcesses.Message.suspended("contract dispute", SECURITY_OFFICER));
        assertThat(instance).isWaitingAtExactly(ACCESS, "Task_SuspendMachineClient");
        Assertions.assertThat(job(ProcessIds.TIMER_ELEVATION_ENDS, instance)).isNull();
    }

    @Test
    void anOverdueApprovalTellsTheSecurityOfficersOnceAtItsDueDateAndStaysOpen() throws Exception {
        securityOfficerApproval = true;
        ProcessInstance instance = start("SIGNED_JWT");
        assertFirstOverdueNotice(instance, "Owner", APPROVE_AS_OWNER, approvalDue, notifyOverdue, overdueTasks);

        approveAsOwner(instance, true);
        assertThat(instance).isWaitingAt(APPROVE_AS_SECURITY_OFFICER);
        executeJob(instance, "BoundaryEvent_SecurityOfficerApprovalOverdue");
        executeJob(instance, "Task_NotifySecurityOfficerApprovalOverdue");
        Assertions.assertThat(overdueTasks).containsExactly(APPROVE_AS_OWNER, APPROVE_AS_SECURITY_OFFICER);
        assertThat(instance).isWaitingAt(APPROVE_AS_SECURITY_OFFICER);
    }

    // ------------------------------------------------------------------ helpers

    private ProcessInstance start(String authMethod) {
        Map<String, Object> variables = new HashMap<>();
        variables.put(Variables.REQUESTER, REQUESTER);
        variables.put(Variables.PARTNERSHIP_KEY, KEY);
        variables.put(Variables.IDENTITY_ID, ID);
        variables.put(Variables.OWNER, OWNER);
        variables.put(Variables.OWNER_APPROVER, OWNER);
        variables.put(MachineAccessVariables.AUTH_METHOD, authMethod);
        variables.put(MachineAccessVariables.WORKLOAD_NAME, "order sync");
        return runtimeService().startProcessInstanceByKey(ProcessIds.MACHINE_ACCESS_PROCESS, ID, variables);
    }

    /** Provisioned (approved by policy), owner notified: waiting in the active period. */
    private ProcessInstance startActive(String authMethod) throws Exception {
        boolean asConfigured = autoApprove;
        autoApprove = true;
        ProcessInstance instance = start(authMethod);
        autoApprove = asConfigured;
        executeJob(instance, PROVISION);
        executeJob(instance, NOTIFY_ACTIVE);
        assertThat(instance).isWaitingAt(ACTIVE, USE_CHECK_DUE);
        return instance;
    }

    private void approveAsOwner(ProcessInstance instance, boolean approved) {
        completeAs(task(instance), OWNER, "identity-owners", Map.of(MachineAccessVariables.OWNER_APPROVED, approved,
                MachineAccessVariables.OWNER_COMMENT, approved ? "" : "the partner has no such workload"));
    }

    private void approveAsSecurityOfficer(ProcessInstance instance, boolean approved) {
        completeAs(task(instance), SECURITY_OFFICER, "security-officers",
                Map.of(Variables.SECURITY_OFFICER_APPROVED, approved,
                Variables.SECURITY_OFFICER_COMMENT, approved ? "" : "scopes too wide"));
    }

    private void unusedReviewOpens(ProcessInstance instance) {
        executeJob(instance, USE_CHECK_DUE);
        executeJob(instance, "Task_CheckLastUse");
        assertThat(instance).isWaitingAt(REVIEW);
        assertThat(task(instance)).hasDefinitionKey(REVIEW).isAssignedTo(OWNER).hasName("Review machine \"order sync\"");
    }

    private void requestElevation(String duration) {
        correlate(ProcessIds.MESSAGE_MACHINE_SCOPE_ELEVATION_REQUESTED, Map.of(
                MachineAccessVariables.ELEVATION_SCOPES, "orders.write", Variables.ELEVATION_REASON, "month-end correction run",
                MachineAccessVariables.ELEVATION_DURATION, duration, Variables.ELEVATION_REQUESTER, REQUESTER));
    }

    /** From a trigger: revoked with the trigger's name, owner told, waiting out the retention period. */
    private void revokedAndRetained(ProcessInstance instance, String trigger) throws Exception {
        assertThat(instance).isWaitingAtExactly("Task_RevokeMachineAccess");
        Assertions.assertThat(job("Task_RevokeMachineAccess", instance).getPriority()).as("revocation before notices")
                .isEqualTo(REVOCATION_PRIORITY);
        executeJob(instance, "Task_RevokeMachineAccess");
        Assertions.assertThat(job("Task_NotifyMachineRevoked", instance).getPriority()).isZero();
        executeJob(instance, "Task_NotifyMachineRevoked");
        assertThat(instance).isWaitingAtExactly(AWAIT_RETENTION);
        Assertions.assertThat(revocationTriggers).containsExactly(trigger);
        verify(notifyRevoked).execute(any());
    }

    /** Deleted when the retention is over ({@link #RETENTION_OVER}), or at once for the trigger that came during it. */
    private void deleted(ProcessInstance instance, String trigger) throws Exception {
        assertThat(instance).isWaitingAtExactly("Task_DeleteMachineClient");
        executeJob(instance, "Task_DeleteMachineClient");
        assertThat(instance).hasPassed("EndEvent_MachineAccessRevoked").isEnded();
        if (trigger == RETENTION_OVER) {
            Assertions.assertThat(historyService().createHistoricVariableInstanceQuery().processInstanceId(instance.getId())
                    .variableName(MachineAccessVariables.DELETION_TRIGGER).count()).isZero();
        } else {
            Assertions.assertThat(historicVariable(instance, MachineAccessVariables.DELETION_TRIGGER)).isEqualTo(trigger);
        }
    }

    private static void correlate(IdentityProcesses.Message message) {
        correlate(message.name(), message.variables());
    }

    private static void correlate(String message, Map<String, Object> variables) {
        runtimeService().createMessageCorrelation(message).processInstanceBusinessKey(ID)
                .setVariables(variables).correlate();
    }

}
