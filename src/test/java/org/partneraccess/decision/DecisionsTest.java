package org.partneraccess.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.partneraccess.policy.PolicyDecision;
import org.partneraccess.security.StaffDirectory;
import org.partneraccess.security.StaffGroups;
import org.springframework.data.domain.Limit;
import org.springframework.test.util.ReflectionTestUtils;

/** Which approvals a grant accepts from the decision record, and which it refuses. */
class DecisionsTest {

    private static final String SUBJECT = "id-1";
    private static final Decisions.ApprovalSteps STEPS = new Decisions.ApprovalSteps("POLICY", "Task_Owner", "ownerApproved",
            "Task_SecurityOfficer", "securityOfficerApproved", true);
    private static final List<String> NAMED = List.of("ian.owner", "sam.sponsor");

    private final InMemoryDecisions repository = new InMemoryDecisions();
    private final StaffDirectory staff = mock(StaffDirectory.class);
    private final Decisions decisions = new Decisions(repository, staff);

    @BeforeEach
    void officers() {
        when(staff.isMember(anyString(), eq(StaffGroups.SECURITY_OFFICERS)))
                .thenAnswer(call -> "sofia.security".equals(call.getArgument(0)));
    }

    @Test
    void thePolicyAloneApprovesWhereItSaysSoAndTheStepsAllowIt() {
        policy(true, false);
        assertThat(decisions.approvers(SUBJECT, STEPS, NAMED, "rita.requester")).isEqualTo("policy");

        Decisions.ApprovalSteps noAuto = new Decisions.ApprovalSteps("POLICY", "Task_Owner", "ownerApproved",
                "Task_SecurityOfficer", "securityOfficerApproved", false);
        assertThatThrownBy(() -> decisions.approvers(SUBJECT, noAuto, NAMED, "rita.requester"))
                .isInstanceOf(MissingApprovalException.class).hasMessageContaining("no approval by the approver the registry names");
    }

    @Test
    void theNamedApproverAndTheSecurityOfficerInOrder() {
        policy(false, false);
        task("Task_Owner", "IAN.Owner", "ownerApproved", true);
        assertThat(decisions.approvers(SUBJECT, STEPS, NAMED, "rita.requester")).isEqualTo("ian.owner");

        policy(false, true);
        task("Task_Owner", "ian.owner", "ownerApproved", true);
        task("Task_SecurityOfficer", "sofia.security", "securityOfficerApproved", true);
        assertThat(decisions.approvers(SUBJECT, STEPS, NAMED, "rita.requester")).isEqualTo("ian.owner,sofia.security");
    }

    @Test
    void nothingOnRecordIsNoApproval() {
        assertThatThrownBy(() -> decisions.approvers(SUBJECT, STEPS, NAMED, "rita.requester"))
                .isInstanceOf(MissingApprovalException.class).hasMessageContaining("no POLICY decision of the policy");
        policy(false, false);
        task("Task_Owner", "ian.owner", "ownerApproved", false);
        assertThatThrownBy(() -> decisions.approvers(SUBJECT, STEPS, NAMED, "rita.requester"))
                .isInstanceOf(MissingApprovalException.class).hasMessageContaining("no approval by the approver the registry names");
    }

    @Test
    void anApprovalTakenBeforeTheLatestPolicyDecisionDoesNotCount() {
        policy(false, false);
        task("Task_Owner", "ian.owner", "ownerApproved", true);
        policy(false, false);
        assertThatThrownBy(() -> decisions.approvers(SUBJECT, STEPS, NAMED, "rita.requester"))
                .isInstanceOf(MissingApprovalException.class);
    }

    @Test
    void theNamedApprovalCountsOnlyFromSomeoneTheRegistryNamesWhoIsNotTheRequester() {
        policy(false, false);
        task("Task_Owner", "sarah.sponsor", "ownerApproved", true);
        assertThatThrownBy(() -> decisions.approvers(SUBJECT, STEPS, NAMED, "rita.requester"))
                .isInstanceOf(MissingApprovalException.class).hasMessageContaining("does not name");
        task("Task_Owner", "ian.owner", "ownerApproved", true);
        assertThatThrownBy(() -> decisions.approvers(SUBJECT, STEPS, NAMED, "Ian.Owner"))
                .isInstanceOf(MissingApprovalException.class).hasMessageContaining("does not name");
    }

    @Test
    void theSecurityOfficersApprovalNeedsASecondPersonFromThatGroup() {
        policy(false, true);
        task("Task_Owner", "ian.owner", "ownerApproved", true);
        assertThatThrownBy(() -> decisions.approvers(SUBJECT, STEPS, NAMED, "rita.requester"))
                .isInstanceOf(MissingApprovalException.class).hasMessageContaining("requires a security officer");
        task("Task_SecurityOfficer", "ian.owner", "securityOfficerApproved", true);
        assertThatThrownBy(() -> decisions.approvers(SUBJECT, STEPS, NAMED, "rita.requester"))
                .isInstanceOf(MissingApprovalException.class).hasMessageContaining("second person");
        task("Task_SecurityOfficer", "sam.sponsor", "securityOfficerApproved", true);
        assertThatThrownBy(() -> decisions.approvers(SUBJECT, STEPS, NAMED, "rita.requester"))
                .isInstanceOf(MissingApprovalException.class).hasMessageContaining("second person");
        task("Task_SecurityOfficer", "sofia.security", "securityOfficerApproved", true);
        assertThatThrownBy(() -> decisions.approvers(SUBJECT, STEPS, NAMED, "sofia.security"))
                .isInstanceOf(MissingApprovalException.class).hasMessageContaining("second person");
        assertThat(decisions.approvers(SUBJECT, STEPS, NAMED, "rita.requester")).isEqualTo("ian.owner,sofia.security");
    }

    @Test
    void anotherSubjectsApprovalsDoNotCount() {
        policy(false, false);
        decisions.append("id-2", null, "Task_Owner", "ian.owner", Map.of("ownerApproved", true));
        assertThatThrownBy(() -> decisions.approvers(SUBJECT, STEPS, NAMED, "rita.requester"))
                .isInstanceOf(MissingApprovalException.class);
    }

    @Test
    void oneTaskDecidedByASecurityOfficerWhereThePolicyRequiresOneElseByTheNamedApprover() {
        policy(false, false);
        task("Task_Elevation", "ian.owner", "elevationApproved", true);
        assertThat(decisions.approver(SUBJECT, "POLICY", "Task_Elevation", "elevationApproved", NAMED, "rita.requester"))
                .isEqualTo("ian.owner");
        policy(false, true);
        task("Task_Elevation", "ian.owner", "elevationApproved", true);
        assertThatThrownBy(() -> decisions.approver(SUBJECT, "POLICY", "Task_Elevation", "elevationApproved", NAMED,
                "rita.requester")).isInstanceOf(MissingApprovalException.class).hasMessageContaining("second person");
        task("Task_Elevation", "sofia.security", "elevationApproved", true);
        assertThat(decisions.approver(SUBJECT, "POLICY", "Task_Elevation", "elevationApproved", NAMED, "rita.requester"))
                .isEqualTo("sofia.security");
        assertThatThrownBy(() -> decisions.approver(SUBJECT, "POLICY", "Task_Elevation", "elevationApproved", NAMED,
                "sofia.security")).isInstanceOf(MissingApprovalException.class);
    }

    @Test
    void policyDecisionsComeNewestFirstWithTheirInputsOutputsAndVersionWithinTheWindowAndLimit() {
        Instant start = Instant.now();
        policy(true, false);
        task("Task_Owner", "ian.owner", "ownerApproved", true);
        decisions.recordPolicy("id-2", "MACHINE_POLICY", Map.of("subjectKind", "MACHINE"),
                new PolicyDecision("MEDIUM", false, false, true, 180, 90, 45, 14, true, "PartnerAccessPolicy:3:abc"));
        policy(false, true);

        List<Decisions.PolicyRecord> newest = decisions.policyDecisions(start.minusSeconds(1), 2);

        assertThat(newest).extracting(Decisions.PolicyRecord::id).containsExactly(4L, 3L);
        Decisions.PolicyRecord machine = newest.get(1);
        assertThat(machine.subject()).isEqualTo("id-2");
        assertThat(machine.step()).isEqualTo("MACHINE_POLICY");
        assertThat(machine.input()).isEqualTo(Map.of("subjectKind", "MACHINE"));
        assertThat(machine.definitionId()).isEqualTo("PartnerAccessPolicy:3:abc");
        assertThat(machine.outputs()).isEqualTo(new PolicyDecision("MEDIUM", false, false, true, 180, 90, 45, 14, true)
                .toVariables());
        assertThat(machine.replayable()).isTrue();
        assertThat(decisions.policyDecisions(start.minusSeconds(1), 10)).hasSize(3);
        assertThat(decisions.policyDecisions(Instant.now().plusSeconds(1), 10)).isEmpty();
    }

    private void policy(boolean autoApprove, boolean securityOfficer) {
        decisions.recordPolicy(SUBJECT, "POLICY", Map.of("scopes", List.of("orders.read")),
                new PolicyDecision("LOW", autoApprove, securityOfficer, !autoApprove, 90, 90, 300, 30, true));
    }

    @Test
    void aRequestCountsOnlyOnceThePolicyHasDecidedIt() {
        assertThatThrownBy(() -> decisions.request(SUBJECT, "REQUESTED", "POLICY"))
                .isInstanceOf(MissingApprovalException.class).hasMessageContaining("no REQUESTED is on record");
        policy(false, false);
        decisions.recordRequest(SUBJECT, "REQUESTED", "rita.requester", Map.of("requestedScopes", "orders.read"));
        assertThatThrownBy(() -> decisions.request(SUBJECT, "REQUESTED", "POLICY"))
                .isInstanceOf(MissingApprovalException.class).hasMessageContaining("has not decided the latest REQUESTED");
        policy(false, false);
        assertThat(decisions.request(SUBJECT, "REQUESTED", "POLICY")).containsEntry("requestedScopes", "orders.read")
                .containsEntry(Decisions.DECIDED_BY, "rita.requester");
    }

    @Test
    void theDeciderOfAnEarlierTaskBindsOnlyItsOwnRound() {
        assertThat(decisions.deciderSince("instance-1", "Task_Owner", "Task_SecurityOfficer")).isEmpty();
        task("Task_Owner", "ian.owner", "ownerApproved", true);
        assertThat(decisions.deciderSince("instance-1", "Task_Owner", "Task_SecurityOfficer")).contains("ian.owner");
        assertThat(decisions.deciderSince("instance-2", "Task_Owner", "Task_SecurityOfficer")).isEmpty();
        task("Task_SecurityOfficer", "sofia.security", "securityOfficerApproved", true);
        assertThat(decisions.deciderSince("instance-1", "Task_Owner", "Task_SecurityOfficer"))
                .as("a later round that skips the owner's step").isEmpty();
    }

    @Test
    void aRejectionIsAttributedToWhoeverDecidedLastInTheInstance() {
        assertThat(decisions.lastDecider("instance-1", "system")).as("a deadline decided").isEqualTo("system");
        policy(false, true);
        task("Task_Owner", "Ian.Owner", "ownerApproved", true);
        task("Task_SecurityOfficer", "sofia.security", "securityOfficerApproved", false);
        assertThat(decisions.lastDecider("instance-1", "system")).isEqualTo("sofia.security");
        assertThat(decisions.lastDecider("instance-2", null)).isNull();
    }

    private void task(String task, String user, String field, boolean approved) {
        decisions.append(SUBJECT, "instance-1", task, StaffDirectory.canonical(user), Map.of(field, approved));
    }

    /** The repository's contract over a list: ids in insertion order, as the database's identity column gives them. */
    private static final class InMemoryDecisions implements DecisionRepository {
        private final List<Decision> rows = new ArrayList<>();

        @Override
        public Decision save(Decision decision) {
            ReflectionTestUtils.setField(decision, "id", (long) rows.size() + 1);
            rows.add(decision);
            return decision;
        }

        @Override
        public Optional<Decision> findById(Long id) {
            return rows.stream().filter(row -> row.getId().equals(id)).findFirst();
        }

        @Override
        public Optional<Decision> findFirstBySubjectAndStepOrderByIdDesc(String subject, String step) {
            return findFirstBySubjectAndStepAndIdGreaterThanOrderByIdDesc(subject, step, 0);
        }

        @Override
        public Optional<Decision> findFirstBySubjectAndStepAndIdGreaterThanOrderByIdDesc(String subject, String step, long after) {
            return rows.stream().filter(row -> row.getSubject().equals(subject) && row.getStep().equals(step)
                    && row.getId() > after).max(Comparator.comparing(Decision::getId));
        }

        @Override
        public List<Decision> findBySubjectOrderById(String subject) {
            return rows.stream().filter(row -> row.getSubject().equals(subject)).toList();
        }

        @Override
        public Optional<Decision> findFirstByProcessInstanceIdOrderByIdDesc(String processInstanceId) {
            return rows.stream().filter(row -> processInstanceId.equals(row.getProcessInstanceId()))
                    .max(Comparator.comparing(Decision::getId));
        }

        @Override
        public Optional<Decision> findFirstByProcessInstanceIdAndStepOrderByIdDesc(String processInstanceId, String step) {
            return rows.stream().filter(row -> processInstanceId.equals(row.getProcessInstanceId())
                    && row.getStep().equals(step)).max(Comparator.comparing(Decision::getId));
        }

        @Override
        public List<Decision> findByDecidedByAndDecidedAtAfterOrderByIdDesc(String decidedBy, Instant after, Limit limit) {
            return rows.stream().filter(row -> row.getDecidedBy().equals(decidedBy) && row.getDecidedAt().isAfter(after))
                    .sorted(Comparator.comparing(Decision::getId).reversed()).limit(limit.max()).toList();
        }
    }
}
