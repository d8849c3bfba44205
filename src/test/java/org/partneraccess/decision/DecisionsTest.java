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
            "ownerComment", "Task_SecurityOfficer", "securityOfficerApproved", "securityOfficerComment", true);
    private static final Decisions.ApprovalSteps ONE_TASK = Decisions.ApprovalSteps.oneTask("POLICY", "Task_Elevation",
            "elevationApproved", "elevationComment");
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
                "ownerComment", "Task_SecurityOfficer", "securityOfficerApproved", "securityOfficerComment", false);
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
        assertThat(decisions.approver(SUBJECT, ONE_TASK, NAMED, "rita.requester"))
                .isEqualTo("ian.owner");
        policy(false, true);
        task("Task_Elevation", "ian.owner", "elevationApproved", true);
        assertThatThrownBy(() -> decisions.approver(SUBJECT, ONE_TASK, NAMED,
                "rita.requester")).isInstanceOf(MissingApprovalException.class).hasMessageContaining("second person");
        task("Task_Elevation", "sofia.security", "elevationApproved", true);
        assertThat(decisions.approver(SUBJECT, ONE_TASK, NAMED, "rita.requester"))
                .isEqualTo("sofia.security");
        assertThatThrownBy(() -> decisions.approver(SUBJECT, ONE_TASK, NAMED,
                "sofia.security")).isInstanceOf(MissingApprovalException.class);
    }

    @Test
    void policyDecisionsComeNewestFirstWithTheirInputsOutputsAndVersionWithinTheWindowAndLimit() {
        Instant start = Instant.now();
        policy(true, false);
        task("Task_Owner", "ian.owner", "ownerApproved", true);
        decisions.recordPolicy("id-2", "MACHINE_POLICY", Map.of("subjectKind", "MACHINE"),
                new PolicyDecision("MEDIUM", false, false, true, 180, 90, 45, 14, true, false, "PartnerAccessPolicy:3:abc"));
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

    /** Many subjects are read in chunks below the databases' limit on an {@code in} list, each kept to its own. */
    @Test
    void theRecordsOfManySubjectsAreReadTogetherAndKeptApart() {
        List<String> subjects = new ArrayList<>();
        for (int i = 0; i < Decisions.SUBJECTS_PER_QUERY * 2 + 1; i++) {
            subjects.add("subject-" + i);
            decisions.recordRequest("subject-" + i, "REQUESTED", "rita.requester", Map.of("n", i));
        }
        decisions.recordRequest("subject-0", "REQUESTED", "rita.requester", Map.of("n", "again"));

        Map<String, List<Decision>> records = decisions.ofAll(subjects);

        assertThat(records).hasSize(subjects.size());
        assertThat(records.get("subject-0")).hasSize(2).extracting(Decision::getSubject).containsOnly("subject-0");
        assertThat(records.get("subject-" + Decisions.SUBJECTS_PER_QUERY * 2)).hasSize(1);
        assertThat(decisions.ofAll(List.of("nobody's"))).isEmpty();
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
    void aRejectionIsTheInstancesLatestDecisionUntickedWithAReasonByWhomTheTaskBelongsTo() {
        policy(false, true);
        assertThatThrownBy(() -> decisions.rejection(SUBJECT, "instance-1", STEPS, NAMED, "rita.requester"))
                .as("nothing decided: a flow driven to its rejection step").isInstanceOf(MissingApprovalException.class)
                .hasMessageContaining("no rejection of this request is on record");
        task("Task_Owner", "ian.owner", "ownerApproved", true);
        assertThatThrownBy(() -> decisions.rejection(SUBJECT, "instance-1", STEPS, NAMED, "rita.requester"))
                .as("the latest decision approves").hasMessageContaining("did not reject");
        decide("Task_SecurityOfficer", "sofia.security", Map.of("securityOfficerApproved", false,
                "securityOfficerComment", " "));
        assertThatThrownBy(() -> decisions.rejection(SUBJECT, "instance-1", STEPS, NAMED, "rita.requester"))
                .hasMessageContaining("a rejection needs a reason");
        decide("Task_SecurityOfficer", "adam.admin", Map.of("securityOfficerApproved", false,
                "securityOfficerComment", "Not needed"));
        assertThatThrownBy(() -> decisions.rejection(SUBJECT, "instance-1", STEPS, NAMED, "rita.requester"))
                .as("someone outside the security officers").hasMessageContaining("second person");
        decide("Task_SecurityOfficer", "sofia.security", Map.of("securityOfficerApproved", false,
                "securityOfficerComment", " Production data is out of scope "));
        assertThat(decisions.rejection(SUBJECT, "instance-1", STEPS, NAMED, "rita.requester"))
                .isEqualTo(new Decisions.Rejection("sofia.security", "Production data is out of scope"));
        assertThatThrownBy(() -> decisions.rejection(SUBJECT, "instance-2", STEPS, NAMED, "rita.requester"))
                .as("another instance's rejection").isInstanceOf(MissingApprovalException.class);
        policy(false, true);
        assertThatThrownBy(() -> decisions.rejection(SUBJECT, "instance-1", STEPS, NAMED, "rita.requester"))
                .as("taken before the latest policy decision").isInstanceOf(MissingApprovalException.class);
    }

    @Test
    void theNamedTasksRejectionCountsOnlyFromTheNamedApprover() {
        policy(false, false);
        decide("Task_Owner", "sarah.sponsor", Map.of("ownerApproved", false, "ownerComment", "No"));
        assertThatThrownBy(() -> decisions.rejection(SUBJECT, "instance-1", STEPS, NAMED, "rita.requester"))
                .hasMessageContaining("does not name");
        decide("Task_Owner", "ian.owner", Map.of("ownerApproved", false, "ownerComment", "No contract yet"));
        assertThat(decisions.rejection(SUBJECT, "instance-1", STEPS, NAMED, "rita.requester"))
                .isEqualTo(new Decisions.Rejection("ian.owner", "No contract yet"));
        policy(false, true);
        decide("Task_Elevation", "ian.owner", Map.of("elevationApproved", false, "elevationComment", "No"));
        assertThatThrownBy(() -> decisions.rejection(SUBJECT, "instance-1", ONE_TASK, NAMED, "rita.requester"))
                .as("one task that the policy gave to the security officers").hasMessageContaining("second person");
    }

    @Test
    void aRequestIsGrantedOncePerPolicyDecision() {
        policy(false, false);
        decisions.recordGrant(SUBJECT, "GRANTED", "POLICY", "ian.owner", Map.of("role", "orders.write"));
        assertThatThrownBy(() -> decisions.recordGrant(SUBJECT, "GRANTED", "POLICY", "ian.owner", Map.of("role", "admin")))
                .isInstanceOf(MissingApprovalException.class).hasMessageContaining("granted already");
        assertThat(decisions.latest(SUBJECT, "GRANTED")).get().satisfies(granted -> assertThat(granted)
                .containsEntry("role", "orders.write").containsEntry(Decisions.DECIDED_BY, "ian.owner"));
        policy(false, false);
        decisions.recordGrant(SUBJECT, "GRANTED", "POLICY", "ian.owner", Map.of("role", "orders.read"));
        assertThat(decisions.latest(SUBJECT, "GRANTED")).get().satisfies(granted -> assertThat(granted)
                .containsEntry("role", "orders.read"));
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

    @Test
    void aRequestersRequestsAreTheirsOfTheGivenStepsNewestFirstWhateverTheCase() {
        decisions.recordRequest(SUBJECT, "SCOPE_CHANGE_REQUESTED", "Rita.Requester", Map.of("reason", "first"));
        decisions.recordRequest("id-2", "ELEVATION_REQUESTED", "rita.requester", Map.of("reason", "second"));
        decisions.recordRequest(SUBJECT, "SCOPE_CHANGE_REQUESTED", "robert.requester", Map.of("reason", "not hers"));
        decisions.recordRequest(SUBJECT, "OTHER_REQUESTED", "rita.requester", Map.of("reason", "other step"));
        task("Task_Owner", "rita.requester", "ownerApproved", true);

        List<Decision> hers = decisions.requestsBy("RITA.requester", List.of("SCOPE_CHANGE_REQUESTED",
                "ELEVATION_REQUESTED"), 10);

        assertThat(hers).extracting(decision -> Decisions.fields(decision).get("reason"))
                .containsExactly("second", "first");
        assertThat(decisions.requestsBy("rita.requester", List.of(), 10)).isEmpty();
    }

    @Test
    void aRequestersRequestsOnOneSubjectAreThoseOnlyNewestFirst() {
        decisions.recordRequest(SUBJECT, "SCOPE_CHANGE_REQUESTED", "Rita.Requester", Map.of("reason", "first"));
        decisions.recordRequest("id-2", "SCOPE_CHANGE_REQUESTED", "rita.requester", Map.of("reason", "elsewhere"));
        decisions.recordRequest(SUBJECT, "SCOPE_CHANGE_REQUESTED", "robert.requester", Map.of("reason", "not hers"));
        decisions.recordRequest(SUBJECT, "SCOPE_CHANGE_REQUESTED", "rita.requester", Map.of("reason", "second"));

        assertThat(decisions.requestsBy("RITA.requester", List.of("SCOPE_CHANGE_REQUESTED"), SUBJECT, 10))
                .extracting(decision -> Decisions.fields(decision).get("reason")).containsExactly("second", "first");
        assertThat(decisions.requestsBy("rita.requester", List.of("SCOPE_CHANGE_REQUESTED"), SUBJECT, 1))
                .extracting(decision -> Decisions.fields(decision).get("reason")).containsExactly("second");
        assertThat(decisions.requestsBy("rita.requester", List.of("SCOPE_CHANGE_REQUESTED"), "id-3", 10)).isEmpty();
        assertThat(decisions.requestsBy("rita.requester", List.of(), SUBJECT, 10)).isEmpty();
    }

    private void task(String task, String user, String field, boolean approved) {
        decide(task, user, Map.of(field, approved));
    }

    private void decide(String task, String user, Map<String, Object> fields) {
        decisions.append(SUBJECT, "instance-1", task, StaffDirectory.canonical(user), fields);
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
        public List<Decision> findBySubjectInOrderById(java.util.Collection<String> subjects) {
            return rows.stream().filter(row -> subjects.contains(row.getSubject())).toList();
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
        public List<Decision> findByDecidedByIgnoreCaseAndStepInOrderByIdDesc(String decidedBy,
                                                                              java.util.Collection<String> steps,
                                                                              Limit limit) {
            return rows.stream().filter(row -> row.getDecidedBy().equalsIgnoreCase(decidedBy)
                            && steps.contains(row.getStep()))
                    .sorted(Comparator.comparing(Decision::getId).reversed()).limit(limit.max()).toList();
        }

        @Override
        public List<Decision> findByDecidedByIgnoreCaseAndStepInAndSubjectOrderByIdDesc(String decidedBy,
                java.util.Collection<String> steps, String subject, Limit limit) {
            return findByDecidedByIgnoreCaseAndStepInOrderByIdDesc(decidedBy, steps, Limit.of(Integer.MAX_VALUE)).stream()
                    .filter(row -> row.getSubject().equals(subject)).limit(limit.max()).toList();
        }

        @Override
        public List<Decision> findByDecidedByAndDecidedAtAfterOrderByIdDesc(String decidedBy, Instant after, Limit limit) {
            return rows.stream().filter(row -> row.getDecidedBy().equals(decidedBy) && row.getDecidedAt().isAfter(after))
                    .sorted(Comparator.comparing(Decision::getId).reversed()).limit(limit.max()).toList();
        }
    }
}
