package org.partneraccess.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertAll;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.mail.MessagingException;
import org.awaitility.core.ConditionTimeoutException;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.keycloak.representations.idm.UserRepresentation;
import org.partneraccess.LifecycleState;
import org.partneraccess.ProcessIds;
import org.partneraccess.Variables;
import org.partneraccess.continuity.OwnerContinuity;
import org.partneraccess.dev.ManagedKeycloak;
import org.partneraccess.inventory.PartnerIdentity;
import org.partneraccess.inventory.internal.PartnerIdentityRepository;
import org.partneraccess.keycloak.KeycloakAttributes;
import org.partneraccess.keycloak.PartnerClients;
import org.partneraccess.keycloak.PartnerUsers;
import org.partneraccess.machine.MachineAccessVariables;
import org.partneraccess.machine.MachineFixtures;
import org.partneraccess.partnership.Partnership;
import org.partneraccess.partnership.internal.PartnershipRepository;
import org.partneraccess.partnership.PartnershipVariables;
import org.partneraccess.support.EngineDoors;
import org.partneraccess.support.KeycloakAdmin;
import org.partneraccess.support.ItFixtures;
import org.partneraccess.support.Mailbox;
import org.partneraccess.support.EngineDoors.Via;
import org.partneraccess.support.PartnerAccessClient;
import org.partneraccess.support.PartnerAccessTest;
import org.partneraccess.support.SponsorApproval;
import org.partneraccess.support.StaffBrowser;
import org.partneraccess.support.Tokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Ordinary staff members attack the governance through the engine: {@code /engine-rest} with their own bearer token,
 * and the webapps' session API ({@code /camunda/api/engine/...}) with their own webapp session and its CSRF token
 * (Tasklist's; Cockpit's for the auditor and the Camunda administrator, whose attacks are the decision record's).
 * Every attack must be refused with a 4xx (400, 403, 404 or 409; never 2xx, never 500) and must change nothing: the
 * registry rows involved, the partner realm's users and clients of the partnership, the audit chain (length and
 * verification), the mailbox and the process instances (activities, variables, tasks, jobs). The honest paths at the
 * end keep the defence from being "refuse everything".
 */
@PartnerAccessTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GovernanceAttackIT {

    private static final Logger LOG = LoggerFactory.getLogger(GovernanceAttackIT.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What a refusal may answer: invalid, forbidden, not found (not visible to the caller), conflict. */
    private static final Set<Integer> REFUSALS = Set.of(400, 403, 404, 409);

    @Autowired
    TaskService tasks;
    @Autowired
    RuntimeService runtime;
    @Autowired
    ManagementService management;
    @Autowired
    RepositoryService repository;
    @Autowired
    HistoryService history;
    @Autowired
    IdentityService identity;
    @Autowired
    PartnershipRepository partnerships;
    @Autowired
    PartnerIdentityRepository identities;
    @Autowired
    PartnerUsers partnerUsers;
    @Autowired
    PartnerClients partnerClients;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ItFixtures fixtures;
    @Autowired
    OwnerContinuity continuity;

    private final HttpClient http = HttpClient.newHttpClient();
    private EngineDoors doors;
    private PartnerAccessClient api;

    // shared objects, in the states the attacks need; rebuilt when an attack that got through changed one
    private Fixture active;
    private Fixture victim;
    private Fixture suspended;
    private Fixture underReview;
    private Fixture rejected;
    private Fixture awaitingMachine;
    private Fixture revokedMachine;
    private Fixture awaitingHuman;

    @BeforeAll
    void prepare() throws Exception {
        api = fixtures.client();
        doors = fixtures.doors();
        active = new Fixture("active partnership (home of the machines and people)", this::isActivePartnership,
                () -> activePartnerships(1).get(0));
        victim = new Fixture("active partnership (the victim)", this::isActivePartnership,
                () -> activePartnerships(1).get(0));
        suspended = new Fixture("suspended partnership", this::isSuspendedPartnership,
                () -> suspend(activePartnerships(1).get(0)));
        underReview = new Fixture("partnership under recertification", this::isUnderReview,
                () -> recertificationDue(activePartnerships(1).get(0)));
        rejected = new Fixture("rejected partnership (ended instance)", this::isRejected, this::rejectedPartnership);
        awaitingMachine = new Fixture("machine awaiting its owner", this::isAwaitingMachine, this::machineAwaitingOwner);
        revokedMachine = new Fixture("machine revoked after an incident", this::isRevokedMachine, this::revokedMachine);
        awaitingHuman = new Fixture("partner person awaiting the sponsor", this::isAwaitingHuman, this::humanAwaitingSponsor);

        // the active ones in one go: the provisioning of each runs while the others are approved
        List<String> keys = activePartnerships(4);
        active.key = keys.get(0);
        victim.key = keys.get(1);
        suspended.key = suspend(keys.get(2));
        underReview.key = recertificationDue(keys.get(3));
        rejected.get();
        awaitingMachine.get();
        revokedMachine.get();
        awaitingHuman.get();
        awaitQuiet();
        for (String user : List.of("rita.requester", "sam.sponsor", "sarah.sponsor", "ian.owner", "paul.process",
                "alice.auditor")) {
            doors.signIn(user);
        }
    }

    // =====================================================================================================
    // 1. Starting a process at any activity, modifying and restarting instances
    // =====================================================================================================

    @Nested
    class StartAtAnyActivity {

        /** Her own partnership, awaiting the sponsor, started again right at the approval (or the activation). */
        @ParameterizedTest(name = "{0} before {1}")
        @MethodSource("org.partneraccess.security.GovernanceAttackIT#viaAndPartnershipSteps")
        void requesterStartsPartnershipProcessPastTheApproval(Via via, String activity) {
            String key = awaitingApproval("rita.requester", false);
            Map<String, Object> body = Map.of("businessKey", key,
                    "variables", copiedVariables(key, Variables.SPONSOR_APPROVED, true,
                            Variables.SPONSOR_DECIDED_BY, "sam.sponsor", Variables.SECURITY_OFFICER_APPROVAL, false),
                    "startInstructions", List.of(startBefore(activity)));
            refused("start PartnershipProcess before " + activity, List.of(key),
                    () -> engine(via, "rita.requester", "POST",
                            "/process-definition/key/" + ProcessIds.PARTNERSHIP_PROCESS + "/start", body));
        }

        @ParameterizedTest
        @EnumSource(Via.class)
        void requesterStartsPartnershipProcessAtTheResumptionOfASuspendedPartnership(Via via) {
            String key = suspended.get();
            Map<String, Object> body = Map.of("businessKey", key,
                    "variables", copiedVariables(key, Variables.TRIGGERED_BY, "sofia.security",
                            Variables.RESUMPTION_REASON, "settled"),
                    "startInstructions", List.of(startBefore("Task_ResumePartnership")));
            refused("start PartnershipProcess before Task_ResumePartnership", List.of(key),
                    () -> engine(via, "rita.requester", "POST",
                            "/process-definition/key/" + ProcessIds.PARTNERSHIP_PROCESS + "/start", body));
        }

        @ParameterizedTest
        @EnumSource(Via.class)
        void requesterStartsHumanAccessProcessAtTheRecordedApproval(Via via) {
            String id = awaitingHuman.get();
            String key = identities.findById(id).orElseThrow().getPartnershipKey();
            Map<String, Object> body = Map.of("businessKey", id,
                    "variables", copiedVariables(id, Variables.SPONSOR_APPROVED, true,
                            Variables.SPONSOR_DECIDED_BY, "sam.sponsor", Variables.SECURITY_OFFICER_APPROVAL, false),
                    "startInstructions", List.of(startBefore("Task_RecordApproval")));
            refused("start HumanAccessProcess before Task_RecordApproval", List.of(id, key),
                    () -> engine(via, "rita.requester", "POST",
                            "/process-definition/key/" + ProcessIds.HUMAN_ACCESS_PROCESS + "/start", body));
        }

        @ParameterizedTest
        @EnumSource(Via.class)
        void requesterStartsMachineAccessProcessAtTheRecordedApproval(Via via) {
            String id = awaitingMachine.get();
            String key = identities.findById(id).orElseThrow().getPartnershipKey();
            Map<String, Object> body = Map.of("businessKey", id,
                    "variables", copiedVariables(id, MachineAccessVariables.OWNER_APPROVED, true,
                            Variables.decidedBy(ProcessIds.TASK_APPROVE_MACHINE_AS_OWNER), "ian.owner",
                            Variables.SECURITY_OFFICER_APPROVAL, false),
                    "startInstructions", List.of(startBefore("Task_RecordApproval")));
            refused("start MachineAccessProcess before Task_RecordApproval", List.of(id, key),
                    () -> engine(via, "rita.requester", "POST",
                            "/process-definition/key/" + ProcessIds.MACHINE_ACCESS_PROCESS + "/start", body));
        }

        @ParameterizedTest
        @EnumSource(Via.class)
        void requesterModifiesHerAwaitingPartnershipPastTheApproval(Via via) {
            String key = awaitingApproval("rita.requester", false);
            Map<String, Object> body = pastTheSponsorsApproval();
            refused("modify an awaiting partnership past its approval", List.of(key),
                    () -> engine(via, "rita.requester", "POST", "/process-instance/" + instanceOf(key) + "/modification", body));
        }

        @ParameterizedTest
        @EnumSource(Via.class)
        void requesterModifiesASuspendedPartnershipIntoResumption(Via via) {
            String key = suspended.get();
            Map<String, Object> body = Map.of("skipCustomListeners", true, "instructions", List.of(
                    startBefore("Task_ResumePartnership"), cancel(ProcessIds.RECEIVE_TASK_AWAIT_RESUMPTION)));
            refused("modify a suspended partnership into its resumption", List.of(key),
                    () -> engine(via, "rita.requester", "POST", "/process-instance/" + instanceOf(key) + "/modification", body));
        }

        @ParameterizedTest
        @EnumSource(Via.class)
        void requesterModifiesARevokedMachineIntoReEnablement(Via via) {
            String id = revokedMachine.get();
            Map<String, Object> body = Map.of("skipCustomListeners", true, "instructions", List.of(
                    startBefore("Task_ResumeMachineClient"), cancel(ProcessIds.GATEWAY_AWAIT_RETENTION)));
            refused("modify a revoked machine into re-enabling its client", List.of(id,
                            identities.findById(id).orElseThrow().getPartnershipKey()),
                    () -> engine(via, "rita.requester", "POST", "/process-instance/" + instanceOf(id) + "/modification", body));
        }

        @ParameterizedTest
        @EnumSource(Via.class)
        void requesterRestartsARejectedPartnershipAtItsActivation(Via via) {
            String key = rejected.get();
            HistoricProcessInstance ended = history.createHistoricProcessInstanceQuery().processInstanceBusinessKey(key)
                    .processDefinitionKey(ProcessIds.PARTNERSHIP_PROCESS).finished().list().get(0);
            Map<String, Object> body = Map.of("processInstanceIds", List.of(ended.getId()), "skipCustomListeners", true,
                    "instructions", List.of(startBefore("Task_RecordApproval")));
            refused("restart a rejected partnership at its approval", List.of(key),
                    () -> engine(via, "rita.requester", "POST",
                            "/process-definition/" + ended.getProcessDefinitionId() + "/restart", body));
        }
    }

    // =====================================================================================================
    // 2. Completing a task with extra variables; writing variables
    // =====================================================================================================

    @Nested
    class ExtraVariables {

        /** A HIGH-risk request: a security officer must approve after the sponsor, unless a variable says otherwise. */
        @ParameterizedTest(name = "{0} {1} with {2}={3}")
        @MethodSource("org.partneraccess.security.GovernanceAttackIT#forgedApprovalVariables")
        void sponsorCompletesTheApprovalWithAVariableTheFormDoesNotHave(Via via, String endpoint, String name,
                                                                         Object value) {
            String key = awaitingApproval("rita.requester", true);
            String task = task(key, ProcessIds.TASK_APPROVE_AS_SPONSOR).getId();
            HttpResponse<String> answer = refused("sponsor's " + endpoint + " with " + name + "=" + value, List.of(key),
                    () -> engine(via, "sam.sponsor", "POST", "/task/" + task + "/" + endpoint,
                            Map.of("variables", vars(Variables.SPONSOR_APPROVED, true, name, value))));
            assertThat(answer.statusCode()).as("refused as invalid: " + answer.body()).isEqualTo(400);
            assertThat(answer.body()).as("the refusal names the variable").contains(name);
        }

        /** Every staff member, the task's own candidate included, tries each way of writing variables directly. */
        @ParameterizedTest
        @EnumSource(Via.class)
        void anyStaffMemberWritesVariablesOfAnAwaitingApproval(Via via) {
            String key = awaitingApproval("rita.requester", true);
            String instance = instanceOf(key);
            String task = task(key, ProcessIds.TASK_APPROVE_AS_SPONSOR).getId();
            List<Call> calls = List.of(
                    new Call("PUT", "/process-instance/" + instance + "/variables/" + Variables.SPONSOR_APPROVED,
                            Map.of("value", true, "type", "Boolean")),
                    new Call("POST", "/process-instance/" + instance + "/variables",
                            Map.of("modifications", vars(Variables.REQUESTER, "robert.requester"))),
                    new Call("POST", "/task/" + task + "/variables",
                            Map.of("modifications", vars(Variables.SECURITY_OFFICER_APPROVAL, false))),
                    new Call("PUT", "/task/" + task + "/localVariables/" + Variables.SPONSOR_DECIDED_BY,
                            Map.of("value", "sam.sponsor", "type", "String")),
                    new Call("PUT", "/execution/" + instance + "/localVariables/" + Variables.REQUESTER,
                            Map.of("value", "robert.requester", "type", "String")));
            allRefused(via, List.of("rita.requester", "sam.sponsor", "sarah.sponsor", "ian.owner", "paul.process",
                    "alice.auditor"), calls, List.of(key));
        }

        /** A recertification of one partnership that names another and ends it. */
        @ParameterizedTest
        @EnumSource(Via.class)
        void sponsorCompletesARecertificationNamingAnotherPartnership(Via via) {
            String key = underReview.get();
            String other = victim.get();
            String task = task(key, ProcessIds.TASK_RECERTIFY_AS_SPONSOR).getId();
            HttpResponse<String> answer = refused("recertification of " + key + " with partnershipKey=" + other,
                    List.of(key, other), () -> engine(via, "sam.sponsor", "POST", "/task/" + task + "/complete",
                            Map.of("variables", vars(Variables.PARTNERSHIP_KEY, other, Variables.REVIEW_DECISION, "END",
                                    Variables.REVIEW_COMMENT, "no longer needed by the business"))));
            assertThat(answer.statusCode()).as("refused as invalid: " + answer.body()).isEqualTo(400);
            assertThat(answer.body()).as("the refusal names the variable").contains(Variables.PARTNERSHIP_KEY);
        }
    }

    // =====================================================================================================
    // 3. Group-wide approvals
    // =====================================================================================================

    @Nested
    class GroupWideApprovals {

        /** sarah.sponsor is a sponsor, but not this partnership's: sam.sponsor's approval is none of her business. */
        @ParameterizedTest
        @EnumSource(Via.class)
        void anotherSponsorNeitherSeesNorClaimsNorCompletesTheApproval(Via via) {
            String key = awaitingApproval("rita.requester", false);
            String task = task(key, ProcessIds.TASK_APPROVE_AS_SPONSOR).getId();
            HttpResponse<String> listed = engine(via, "sarah.sponsor", "GET",
                    "/task?processInstanceBusinessKey=" + key, null);
            HttpResponse<String> listedAll = engine(via, "sarah.sponsor", "GET",
                    "/task?candidateGroup=sponsors&maxResults=1000", null);
            log(via, "sarah.sponsor", "GET /task?processInstanceBusinessKey=" + key, listed);
            assertAll(
                    () -> assertThat(listed.statusCode() / 100 == 2 ? listed.body() : "")
                            .as("sam.sponsor's approval in sarah.sponsor's task list").doesNotContain(task),
                    () -> assertThat(listedAll.statusCode() / 100 == 2 ? listedAll.body() : "")
                            .as("sam.sponsor's approval in the sponsors' group list as sarah.sponsor sees it")
                            .doesNotContain(task));
            allRefused(via, List.of("sarah.sponsor"), List.of(
                    new Call("GET", "/task/" + task, null),
                    new Call("POST", "/task/" + task + "/claim", Map.of("userId", "sarah.sponsor")),
                    new Call("POST", "/task/" + task + "/complete",
                            Map.of("variables", vars(Variables.SPONSOR_APPROVED, true))),
                    new Call("POST", "/task/" + task + "/submit-form",
                            Map.of("variables", vars(Variables.SPONSOR_APPROVED, true)))), List.of(key));
        }

        /** The named sponsor widens the approval to others or hands it over without an audited reassignment. */
        @ParameterizedTest
        @EnumSource(Via.class)
        void theCandidateAddsCandidatesOrAssignsTheApprovalToSomeoneElse(Via via) {
            String key = awaitingApproval("rita.requester", false);
            String task = task(key, ProcessIds.TASK_APPROVE_AS_SPONSOR).getId();
            allRefused(via, List.of("sam.sponsor"), List.of(
                    new Call("POST", "/task/" + task + "/identity-links", Map.of("groupId", "requesters", "type", "candidate")),
                    new Call("POST", "/task/" + task + "/identity-links", Map.of("userId", "rita.requester", "type", "candidate")),
                    new Call("POST", "/task/" + task + "/assignee", Map.of("userId", "sarah.sponsor")),
                    new Call("POST", "/task/" + task + "/claim", Map.of("userId", "sarah.sponsor")),
                    new Call("POST", "/task/" + task + "/delegate", Map.of("userId", "sarah.sponsor")),
                    new Call("PUT", "/task/" + task, Map.of("name", "Approve as sponsor", "assignee", "sarah.sponsor",
                            "owner", "sam.sponsor", "priority", 50))), List.of(key));
        }
    }

    // =====================================================================================================
    // 4. Forged attribution
    // =====================================================================================================

    @Nested
    class ForgedAttribution {

        @ParameterizedTest(name = "{0} {1}")
        @MethodSource("org.partneraccess.security.GovernanceAttackIT#viaAndStartEndpoints")
        void requesterStartsWithAnotherRequesterThenHonestlyAsHerself(Via via, String endpoint) {
            String key = newKey("forged");
            Map<String, Object> variables = new LinkedHashMap<>(startForm(key, "sam.sponsor"));
            variables.putAll(vars(Variables.REQUESTER, "robert.requester"));
            HttpResponse<String> answer = refused("start with requester=robert.requester via " + endpoint, List.of(key),
                    () -> engine(via, "rita.requester", "POST", startPath(via, "rita.requester", endpoint),
                            Map.of("variables", variables)));
            // 400 naming the variable, for a form submission and a script's start alike
            assertThat(answer.statusCode()).as("refused as invalid: " + answer.body()).isEqualTo(400);
            assertThat(answer.body()).as("the refusal names the variable").contains(Variables.REQUESTER);

            // the same request with only the start form's fields, as Tasklist sends it
            HttpResponse<String> honest = engine(Via.TASKLIST_SESSION, "rita.requester", "POST",
                    startPath(Via.TASKLIST_SESSION, "rita.requester", "submit-form"),
                    Map.of("variables", startForm(key, "sam.sponsor")));
            assertThat(honest.statusCode()).as(honest.body()).isEqualTo(200);
            Partnership row = partnerships.findById(key).orElseThrow();
            assertThat(row.getRequestedBy()).isEqualTo("rita.requester");
            assertThat(row.getState()).isEqualTo(LifecycleState.REQUESTED);
        }
    }

    // =====================================================================================================
    // 5. Caller-chosen business keys
    // =====================================================================================================

    @Nested
    class CallerChosenBusinessKeys {

        /**
         * A second instance carrying an existing partnership's key (so that messages for the one reach the other) is
         * refused, whether it starts at the beginning or right at the approval; the security officer's incident report
         * on the original then still answers 202 and revokes.
         */
        @Test
        void startsWithAnExistingPartnershipKeyAreRefusedAndTheIncidentReportStillRevokes() {
            String key = activePartnerships(1).get(0);
            List<Executable> attempts = new ArrayList<>();
            for (Via via : Via.values()) {
                attempts.add(() -> {
                    String fresh = newKey("bk");
                    HttpResponse<String> answer = refused("start with businessKey=" + key, List.of(key, fresh),
                            () -> engine(via, "rita.requester", "POST",
                                    "/process-definition/key/" + ProcessIds.PARTNERSHIP_PROCESS + "/start",
                                    Map.of("businessKey", key, "variables", startForm(fresh, "sam.sponsor"))));
                    assertThat(answer.statusCode()).as(via + " refused as invalid: " + answer.body())
                            .isEqualTo(400);
                    assertThat(answer.body()).as("the refusal names the business key").contains("businessKey");
                });
                attempts.add(() -> refused("start with businessKey=" + key + " at the approval", List.of(key),
                        () -> engine(via, "rita.requester", "POST",
                                "/process-definition/key/" + ProcessIds.PARTNERSHIP_PROCESS + "/start",
                                Map.of("businessKey", key, "variables", startForm(key, "sam.sponsor"),
                                        "startInstructions", List.of(startBefore(ProcessIds.TASK_APPROVE_AS_SPONSOR))))));
            }
            List<Throwable> failures = new ArrayList<>();
            for (Executable attempt : attempts) {
                try {
                    attempt.execute();
                } catch (Throwable failure) {
                    failures.add(failure);
                }
            }

            HttpResponse<String> reported = api.post("sofia.security", "/api/partnerships/" + key + "/incidents",
                    Map.of("reason", "partner network compromised", "severity", "CRITICAL"));
            assertThat(reported.statusCode()).as("the incident report: " + reported.body()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(60)).until(() -> partnerships.findById(key).orElseThrow().getState()
                    == LifecycleState.SUSPENDED || partnerships.findById(key).orElseThrow().getState() == LifecycleState.REVOKED);
            await().atMost(Duration.ofSeconds(60)).until(() -> identities.findByPartnershipKeyOrderById(key).stream()
                    .allMatch(person -> person.getState() == LifecycleState.REVOKED));
            for (PartnerIdentity person : identities.findByPartnershipKeyOrderById(key)) {
                assertThat(partnerUsers.findUser(person.getKeycloakName()).map(UserRepresentation::isEnabled))
                        .as(person.getKeycloakName() + " enabled").contains(false);
            }
            assertThat(failures).as("starts with an existing partnership key that were not refused cleanly").isEmpty();
        }
    }

    // =====================================================================================================
    // 6. A requester who is also a sponsor
    // =====================================================================================================

    @Nested
    class RequesterSponsor {

        @ParameterizedTest
        @EnumSource(Via.class)
        void sarahCannotNameHerselfSponsor(Via via) {
            String key = newKey("self");
            HttpResponse<String> viaApi = api.post("sarah.sponsor", "/api/partnerships",
                    request(key, "sarah.sponsor", false));
            assertThat(viaApi.statusCode()).as("the REST API: " + viaApi.body()).isEqualTo(400);
            HttpResponse<String> answer = refused("sarah.sponsor's start form naming herself sponsor", List.of(key),
                    () -> engine(via, "sarah.sponsor", "POST", startPath(via, "sarah.sponsor", "submit-form"),
                            Map.of("variables", startForm(key, "sarah.sponsor"))));
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
            assertThat(partnerships.existsById(key)).isFalse();
        }

        /** She asks sam.sponsor to sponsor her request, then tries to decide it herself, before and after rewriting it. */
        @ParameterizedTest
        @EnumSource(Via.class)
        void sarahNeverCompletesTheApprovalOfHerOwnRequest(Via via) {
            String key = awaitingApproval("sarah.sponsor", false);
            String instance = instanceOf(key);
            String task = task(key, ProcessIds.TASK_APPROVE_AS_SPONSOR).getId();
            Map<String, Object> approve = Map.of("variables", vars(Variables.SPONSOR_APPROVED, true));
            allRefused(via, List.of("sarah.sponsor"), List.of(
                    new Call("POST", "/task/" + task + "/complete", approve),
                    new Call("PUT", "/process-instance/" + instance + "/variables/" + Variables.REQUESTER,
                            Map.of("value", "rita.requester", "type", "String")),
                    new Call("POST", "/process-instance/" + instance + "/variables",
                            Map.of("modifications", vars(Variables.REQUESTER, "rita.requester"))),
                    new Call("POST", "/task/" + task + "/claim", Map.of("userId", "sarah.sponsor")),
                    new Call("POST", "/task/" + task + "/complete", approve),
                    new Call("POST", "/task/" + task + "/complete", Map.of("variables",
                            vars(Variables.SPONSOR_APPROVED, true, Variables.REQUESTER, "rita.requester"))),
                    new Call("POST", "/task/" + task + "/submit-form", Map.of("variables",
                            vars(Variables.SPONSOR_APPROVED, true, Variables.REQUESTER, "rita.requester")))),
                    List.of(key));
            assertThat(partnerships.findById(key).orElseThrow().getApprovedBy()).isNull();
        }
    }

    // =====================================================================================================
    // 7. The engine's surface for ordinary staff
    // =====================================================================================================

    @Nested
    class EngineSurface {

        @ParameterizedTest(name = "{1} via {0}")
        @MethodSource("org.partneraccess.security.GovernanceAttackIT#viaAndStaff")
        void staffMemberCallsIdentityMessagesSignalsJobsAndInstanceControls(Via via, String attacker) {
            Surface surface = surface();
            allRefused(via, List.of(attacker), surface.calls(), surface.keys());
        }

        /** The SIEM's client may report incidents through the API; the engine is not its door. */
        @Test
        void incidentReporterClientCallsTheSameSurface() {
            String secret = ManagedKeycloak.current().secret(ManagedKeycloak.INCIDENT_REPORTER_SECRET_ENV);
            JsonNode token = Tokens.request(fixtures.keycloakUrl(), "staff", Map.of("grant_type", "client_credentials",
                    "client_id", "partner-access-incident-reporter", "client_secret", secret));
            doors.useToken("partner-access-incident-reporter", token.get("access_token").asText());
            Surface surface = surface();
            allRefused(Via.ENGINE_REST, List.of("partner-access-incident-reporter"), surface.calls(), surface.keys());
        }

        /** The rules are per group: a Camunda administrator still reads what ordinary staff may not. */
        @ParameterizedTest
        @EnumSource(Via.class)
        void camundaAdministratorStillReadsAuthorizations(Via via) {
            HttpResponse<String> answer = engine(via, "adam.admin", "GET", "/authorization?maxResults=5", null);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(answer.body()).startsWith("[");
        }
    }

    /** The calls of the engine surface, against a victim, a suspended and an awaiting partnership. */
    record Surface(List<Call> calls, List<String> keys) {
    }

    private Surface surface() {
        String victimKey = victim.get();
        String suspendedKey = suspended.get();
        String awaiting = awaitingApproval("rita.requester", false);
        String instance = instanceOf(awaiting);
        String timer = management.createJobQuery().processInstanceId(instanceOf(victimKey))
                .activityId(ProcessIds.TIMER_RECERTIFICATION_DUE).singleResult().getId();
        return new Surface(List.of(
                new Call("POST", "/identity/verify", Map.of("username", "adam.admin", "password", Tokens.DEMO_PASSWORD)),
                new Call("GET", "/user", null),
                new Call("GET", "/group", null),
                new Call("GET", "/authorization", null),
                new Call("POST", "/message", Map.of("messageName", ProcessIds.MESSAGE_PARTNER_INCIDENT_REPORTED,
                        "businessKey", victimKey, "processVariables", vars(Variables.INCIDENT_REASON, "forged",
                                PartnershipVariables.INCIDENT_TERMINATE, true, Variables.TRIGGERED_BY, "sofia.security"))),
                new Call("POST", "/message", Map.of("messageName", ProcessIds.MESSAGE_PARTNERSHIP_RESUMED,
                        "businessKey", suspendedKey, "processVariables",
                        vars(Variables.TRIGGERED_BY, "sofia.security"))),
                // a suspended partnership's process takes incident reports too: forged, one would end it
                new Call("POST", "/message", Map.of("messageName", ProcessIds.MESSAGE_PARTNER_INCIDENT_REPORTED,
                        "businessKey", suspendedKey, "processVariables", vars(Variables.INCIDENT_REASON, "forged",
                                PartnershipVariables.INCIDENT_TERMINATE, true, Variables.TRIGGERED_BY, "sofia.security"))),
                new Call("POST", "/signal", Map.of("name", ProcessIds.MESSAGE_PARTNER_INCIDENT_REPORTED)),
                new Call("POST", "/job/" + timer + "/execute", null),
                new Call("POST", "/job/" + timer + "/execute/", null),
                new Call("PUT", "/job/" + timer + "/retries", Map.of("retries", 0)),
                new Call("DELETE", "/process-instance/" + instance, null),
                new Call("PUT", "/process-instance/" + instance + "/suspended", Map.of("suspended", true))),
                List.of(victimKey, suspendedKey, awaiting));
    }

    // =====================================================================================================
    // Honest paths still work
    // =====================================================================================================

    // =====================================================================================================
    // 7. Variables and flow are not authority: a grant reads the decision record, even an administrator cannot skip it
    // =====================================================================================================

    @Nested
    class DecisionRecord {

        /** The administrator may modify instances; the approval still needs the sponsor's recorded decision. */
        @ParameterizedTest
        @EnumSource(Via.class)
        void administratorModifiesAnAwaitingPartnershipPastTheApproval(Via via) {
            String key = awaitingApproval("rita.requester", false);
            Map<String, Object> body = pastTheSponsorsApproval();
            HttpResponse<String> answer = refused("administrator modifies an awaiting partnership past its approval",
                    List.of(key), Set.of(409), () -> engine(via, "adam.admin", "POST",
                            "/process-instance/" + instanceOf(key) + "/modification", body));
            assertThat(answer.body()).contains("Not approved: " + key);
        }

        /**
         * The administrator drives an active partnership into its rejection step: a rejection ends only a request
         * that holds no access, so the step is refused and the partnership, its people and Keycloak stay as they are.
         */
        @ParameterizedTest
        @EnumSource(Via.class)
        void administratorRejectsAnActivePartnership(Via via) {
            String key = activePartnerships(1).get(0);
            HttpResponse<String> answer = intoTheRejectionStep(via, key, "administrator rejects an active partnership");
            assertThat(answer.body()).contains("no rejection");
            assertThat(partnerships.findById(key).orElseThrow().getState()).isEqualTo(LifecycleState.ACTIVE);
        }

        /**
         * The administrator drives a request nobody has decided into its rejection step: a rejection is the decision
         * record's (the named approver's unticked box with a reason), so the step is refused and the request waits.
         */
        @ParameterizedTest
        @EnumSource(Via.class)
        void administratorRejectsARequestNobodyRejected(Via via) {
            String key = awaitingApproval("rita.requester", false);
            HttpResponse<String> answer = intoTheRejectionStep(via, key, "administrator rejects a request nobody rejected");
            assertThat(answer.body()).contains("no rejection of this request is on record");
            assertThat(partnerships.findById(key).orElseThrow().getState()).isEqualTo(LifecycleState.REQUESTED);
            assertThat(task(key, ProcessIds.TASK_APPROVE_AS_SPONSOR)).isNotNull();
        }

        /**
         * The rejection step's refusal (the registry's state, or the decision record) is a conflict with what is on
         * record, not a failure of the server: 409 with its reason.
         */
        private HttpResponse<String> intoTheRejectionStep(Via via, String key, String attack) {
            Map<String, Object> body = Map.of("skipCustomListeners", true, "instructions", List.of(
                    startBefore("Task_RecordRejection")));
            return refused(attack, List.of(key), Set.of(409), () -> engine(via, "adam.admin", "POST",
                    "/process-instance/" + instanceOf(key) + "/modification", body));
        }

        /**
         * A high-risk partnership whose instance an administrator told that no security officer is needed: the
         * sponsor's approval alone does not approve it; the sponsor's completion is refused and the task stays.
         */
        @ParameterizedTest
        @EnumSource(Via.class)
        void administratorWaivesTheSecurityOfficerOfAHighRiskPartnership(Via via) {
            String key = awaitingApproval("rita.requester", true);
            HttpResponse<String> waived = engine(via, "adam.admin", "PUT", "/process-instance/"
                    + instanceOf(key) + "/variables/" + Variables.SECURITY_OFFICER_APPROVAL, Map.of("value", false,
                    "type", "Boolean"));
            assertThat(waived.statusCode()).as("the administrator's variable write: " + waived.body()).isEqualTo(204);
            String task = task(key, ProcessIds.TASK_APPROVE_AS_SPONSOR).getId();
            assertThat(engine(via, "sam.sponsor", "POST", "/task/" + task + "/claim", Map.of("userId", "sam.sponsor"))
                    .statusCode()).isEqualTo(204);
            // the sponsor did nothing wrong, the instance was tampered with: the decision record does not allow the
            // approval (409, not the 500 the engine's task API answers for a failure), and the task stays where it was
            HttpResponse<String> answer = refused("sponsor approves a high-risk partnership whose security officer was waived",
                    List.of(key), Set.of(409), () -> engine(via, "sam.sponsor", "POST", "/task/" + task + "/complete",
                            Map.of("variables", vars(Variables.SPONSOR_APPROVED, true,
                                    Variables.SPONSOR_COMMENT, "Needed for the EU warehouse planning"))));
            assertThat(answer.body()).contains("requires a security officer");
            assertThat(partnerships.findById(key).orElseThrow().getState()).isEqualTo(LifecycleState.REQUESTED);
        }
    }

    /**
     * A decision is an explicit choice: the named sponsor completing the approval without deciding, or rejecting
     * without a reason, is refused with the field named, and the request still waits for a decision.
     */
    @Nested
    class ExplicitDecisions {

        @ParameterizedTest
        @EnumSource(Via.class)
        void theSponsorRejectsWithoutAReason(Via via) {
            String key = awaitingApproval("rita.requester", false);
            String task = claimedBySponsor(key, via);
            HttpResponse<String> answer = refused("sponsor rejects without a reason", List.of(key), () -> engine(via,
                    "sam.sponsor", "POST", "/task/" + task + "/" + completion(via), Map.of("variables",
                            vars(Variables.SPONSOR_APPROVED, false, Variables.SPONSOR_COMMENT, "  "))));
            assertThat(answer.statusCode()).isEqualTo(400);
            assertThat(answer.body()).contains(Variables.SPONSOR_COMMENT + ": a rejection needs a reason");
            assertThat(task(key, ProcessIds.TASK_APPROVE_AS_SPONSOR).getId()).isEqualTo(task);
        }

        @ParameterizedTest
        @EnumSource(Via.class)
        void theSponsorCompletesWithoutDeciding(Via via) {
            String key = awaitingApproval("rita.requester", false);
            String task = claimedBySponsor(key, via);
            HttpResponse<String> answer = refused("sponsor completes without deciding", List.of(key), () -> engine(via,
                    "sam.sponsor", "POST", "/task/" + task + "/" + completion(via), Map.of("variables", Map.of())));
            assertThat(answer.statusCode()).isEqualTo(400);
            assertThat(answer.body()).contains(Variables.SPONSOR_APPROVED + ": decide");
            assertThat(task(key, ProcessIds.TASK_APPROVE_AS_SPONSOR).getId()).isEqualTo(task);
        }

        private String claimedBySponsor(String key, Via via) {
            String task = task(key, ProcessIds.TASK_APPROVE_AS_SPONSOR).getId();
            assertThat(engine(via, "sam.sponsor", "POST", "/task/" + task + "/claim", Map.of("userId", "sam.sponsor"))
                    .statusCode()).isEqualTo(204);
            return task;
        }

        /** Tasklist submits its form; a script completes the task. */
        private static String completion(Via via) {
            return via == Via.TASKLIST_SESSION ? "submit-form" : "complete";
        }
    }

    /**
     * The administrator starts the scope-change grant of an active partnership with the wider scopes as variables:
     * nobody asked for the change through the API and nobody approved it, so the grant's job fails and the
     * partnership keeps exactly what it had.
     */
    @Nested
    class ScopeChangeGrant {

        @ParameterizedTest
        @EnumSource(Via.class)
        void administratorStartsTheGrantOfAScopeChangeNobodyRequested(Via via) {
            String key = activePartnerships(1).get(0);
            // the partnership's own jobs (its contact's provisioning, notices) run first: the administrator's
            // modification would otherwise conflict with one of them, which is not what this test is about
            awaitQuiet();
            Set<String> before = partnerships.findById(key).orElseThrow().getClientScopes();
            HttpResponse<String> modified = engine(via, "adam.admin", "POST", "/process-instance/"
                    + instanceOf(key) + "/modification", Map.of("skipCustomListeners", true, "instructions", List.of(
                    withVariables(startBefore("Task_ApplyScopeChange"), vars(PartnershipVariables.REQUESTED_SCOPES,
                            "orders.read,payments.initiate", PartnershipVariables.SCOPE_CHANGE_APPROVED, true)))));
            assertThat(modified.statusCode()).as("the administrator may modify: " + modified.body()).isIn(200, 204);

            await().atMost(Duration.ofSeconds(60)).until(() -> failedGrant(key) != null);
            Job grant = failedGrant(key);
            assertThat(grant.getExceptionMessage()).contains("Not approved: " + key);
            management.setJobRetries(grant.getId(), 0);
            assertThat(partnerships.findById(key).orElseThrow().getClientScopes()).isEqualTo(before);
            assertThat(jdbc.queryForObject("select count(*) from audit_event where partnership_key = ? and action = ?",
                    Long.class, key, "SCOPE_CHANGE_APPLIED")).isZero();
        }

        private Job failedGrant(String key) {
            return management.createJobQuery().processInstanceId(instanceOf(key)).activityId("Task_ApplyScopeChange")
                    .withException().singleResult();
        }
    }

    @Nested
    class HonestPaths {

        @ParameterizedTest
        @EnumSource(Via.class)
        void theNamedSponsorClaimsAndApprovesWithTheFormsFieldsOnly(Via via) {
            String key = awaitingApproval("rita.requester", false);
            String task = task(key, ProcessIds.TASK_APPROVE_AS_SPONSOR).getId();
            HttpResponse<String> claimed = engine(via, "sam.sponsor", "POST", "/task/" + task + "/claim",
                    Map.of("userId", "sam.sponsor"));
            assertThat(claimed.statusCode()).as("claim: " + claimed.body()).isEqualTo(204);
            HttpResponse<String> completed = engine(via, "sam.sponsor", "POST", "/task/" + task + "/complete",
                    Map.of("variables", vars(Variables.SPONSOR_APPROVED, true,
                            Variables.SPONSOR_COMMENT, "Needed for the EU warehouse planning")));
            assertThat(completed.statusCode()).as("complete: " + completed.body()).isIn(200, 204);
            await().atMost(Duration.ofSeconds(60)).until(() -> partnerships.findById(key).orElseThrow().getState()
                    == LifecycleState.ACTIVE);
            assertThat(partnerships.findById(key).orElseThrow().getApprovedBy()).isEqualTo("sam.sponsor");
            assertThat(jdbc.queryForList("select decided_by, process_instance_id, outcome from decision where subject = ?"
                    + " and step = ?", key, ProcessIds.TASK_APPROVE_AS_SPONSOR)).singleElement().satisfies(row -> {
                        assertThat(row.get("decided_by")).isEqualTo("sam.sponsor");
                        assertThat((String) row.get("outcome")).contains("\"sponsorApproved\":true")
                                .contains("Needed for the EU warehouse planning").doesNotContain("legalName");
                    });
        }

        /** A rejection with its reason: the registry, the audit and the decision record say who and why. */
        @Test
        void theNamedSponsorRejectsWithAReasonThroughTasklist() {
            String key = awaitingApproval("rita.requester", false);
            String task = task(key, ProcessIds.TASK_APPROVE_AS_SPONSOR).getId();
            assertThat(engine(Via.TASKLIST_SESSION, "sam.sponsor", "POST", "/task/" + task + "/claim",
                    Map.of("userId", "sam.sponsor")).statusCode()).isEqualTo(204);
            HttpResponse<String> rejected = engine(Via.TASKLIST_SESSION, "sam.sponsor", "POST", "/task/" + task
                    + "/submit-form", Map.of("variables", vars(Variables.SPONSOR_APPROVED, false,
                    Variables.SPONSOR_COMMENT, "No contract with this partner yet")));
            assertThat(rejected.statusCode()).as(rejected.body()).isIn(200, 204);
            await().atMost(Duration.ofSeconds(60)).until(() -> isRejected(key));
            assertThat(partnerships.findById(key).orElseThrow().getStateReason())
                    .isEqualTo("No contract with this partner yet");
            assertThat(jdbc.queryForObject("select actor from audit_event where partnership_key = ? and action = ?",
                    String.class, key, "PARTNERSHIP_REJECTED")).isEqualTo("sam.sponsor");
        }

        @Test
        void theRequesterStartsThroughTheTasklistStartFormWithItsFieldsOnly() {
            String key = newKey("honest");
            HttpResponse<String> started = engine(Via.TASKLIST_SESSION, "rita.requester", "POST",
                    startPath(Via.TASKLIST_SESSION, "rita.requester", "submit-form"),
                    Map.of("variables", startForm(key, "sam.sponsor")));
            assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
            Partnership row = partnerships.findById(key).orElseThrow();
            assertThat(row.getState()).isEqualTo(LifecycleState.REQUESTED);
            assertThat(row.getRequestedBy()).isEqualTo("rita.requester");
        }
    }

    // =====================================================================================================
    // 8. Staff accounts renamed, or created again under an old name, by a Keycloak administrator
    // =====================================================================================================

    /**
     * Staff are compared by name. A requester renamed would no longer be "the requester" of her own request, and an
     * account created under a deleted sponsor's name would be "the sponsor"; each name stays pinned to the account it
     * stood for, so the other account is refused at every door and only its refusal is recorded.
     */
    @Nested
    class RenamedOrRecreatedAccounts {

        @ParameterizedTest
        @EnumSource(Via.class)
        void aRenamedRequesterCannotTakeTheSecurityOfficersApprovalOfHerOwnRequest(Via via) {
            String requester = KeycloakAdmin.createStaffUser("reva", "/requesters", "/security-officers");
            String key = awaitingApproval(requester, true);
            SponsorApproval.approve(tasks, identity, key);
            await().atMost(Duration.ofSeconds(30)).until(() -> task(key, ProcessIds.TASK_APPROVE_AS_SECURITY_OFFICER) != null);
            String officerTask = task(key, ProcessIds.TASK_APPROVE_AS_SECURITY_OFFICER).getId();
            String renamed = requester + "-renamed";
            KeycloakAdmin.renameStaffUser(requester, renamed);

            refusedAsAnotherAccount(via, renamed, officerTask, Map.of("variables", vars(
                    Variables.SECURITY_OFFICER_APPROVED, true, Variables.SECURITY_OFFICER_COMMENT, "fine")), key);
            assertThat(partnerships.findById(key).orElseThrow().getState()).isEqualTo(LifecycleState.REQUESTED);

            // under her own name the account is let in again: the refusal was the name, not the account
            KeycloakAdmin.renameStaffUser(renamed, requester);
            HttpResponse<String> read = engine(via, requester, "GET", "/task?processInstanceBusinessKey=" + key, null);
            assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        }

        @ParameterizedTest
        @EnumSource(Via.class)
        void anAccountCreatedUnderADeletedSponsorsNameIsNotThatSponsor(Via via) {
            String sponsor = KeycloakAdmin.createStaffUser("sana", "/sponsors");
            String key = newKey("pin");
            HttpResponse<String> created = api.post("rita.requester", "/api/partnerships", request(key, sponsor, false));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            await().atMost(Duration.ofSeconds(30)).until(() -> task(key, ProcessIds.TASK_APPROVE_AS_SPONSOR) != null);
            String sponsorTask = task(key, ProcessIds.TASK_APPROVE_AS_SPONSOR).getId();
            KeycloakAdmin.staffUser(sponsor).remove();
            KeycloakAdmin.createStaffUser(sponsor, List.of("/sponsors"));

            refusedAsAnotherAccount(via, sponsor, sponsorTask, Map.of("variables", vars(
                    Variables.SPONSOR_APPROVED, true, Variables.SPONSOR_COMMENT, "fine")), key);
            assertThat(partnerships.findById(key).orElseThrow().getApprovedBy()).isNull();
            HttpResponse<String> namedAgain = api.post("rita.requester", "/api/partnerships",
                    request(newKey("pin"), sponsor, false));
            assertThat(namedAgain.statusCode()).as("naming the new account as a sponsor: " + namedAgain.body())
                    .isEqualTo(400);
            assertThat(namedAgain.body()).contains("sponsor");
            assertThat(continuity.detect()).as("the owner-continuity check: the sponsor the name stood for is gone")
                    .contains(sponsor);
        }

        @Test
        void aRenamedAccountCannotOpenItsRequestsOnTheDashboard() {
            String requester = KeycloakAdmin.createStaffUser("rhea", "/requesters");
            assertThat(api.get(requester, "/api/partnerships?size=1").statusCode()).isEqualTo(200);
            String renamed = requester + "-renamed";
            KeycloakAdmin.renameStaffUser(requester, renamed);
            StaffBrowser browser = new StaffBrowser(fixtures.port());
            HttpResponse<String> signedIn = browser.signIn("/dashboard/requests", renamed, Tokens.DEMO_PASSWORD);
            assertThat(signedIn.uri().getPath() + "?" + signedIn.uri().getQuery()).as(signedIn.body())
                    .isEqualTo("/login?error");
            assertThat(browser.open("/dashboard/requests").statusCode()).as("still not signed in").isEqualTo(302);
            assertThat(refusalsOf(renamed)).isEqualTo(1);
        }

        /**
         * The other account tries the task through the door, and the API: refused as an invalid token, or a session
         * ended at its first call; nothing changes but one audit entry naming the refusal.
         */
        private void refusedAsAnotherAccount(Via via, String user, String task, Map<String, Object> decision, String key) {
            awaitQuiet();
            Map<String, Object> before = state(List.of(key));
            if (via == Via.ENGINE_REST) {
                for (Call call : List.of(new Call("POST", "/task/" + task + "/claim", Map.of("userId", user)),
                        new Call("POST", "/task/" + task + "/complete", decision))) {
                    HttpResponse<String> answer = engine(via, user, call.method(), call.path(), call.body());
                    log(via, user, call.toString(), answer);
                    assertThat(answer.statusCode()).as(call + ": " + answer.body()).isEqualTo(401);
                    assertThat(answer.headers().firstValue("WWW-Authenticate").orElse("")).contains("invalid_token");
                }
                assertThat(api.get(user, "/api/partnerships/" + key).statusCode()).as("the API").isEqualTo(401);
            } else {
                // refused at the sign-in the webapps share with the dashboard
                assertThatThrownBy(() -> doors.signIn(user)).as("the Tasklist session's sign-in")
                        .hasMessageContaining("cannot sign in").hasMessageContaining("/login?error");
            }
            awaitQuiet();
            Map<String, Object> after = state(List.of(key));
            long entriesBefore = (long) before.remove("audit entries");
            long entriesAfter = (long) after.remove("audit entries");
            before.remove("audit verification");
            String verification = (String) after.remove("audit verification");
            assertAll(
                    () -> assertThat(after).as("registry, Keycloak, mails and engine").isEqualTo(before),
                    () -> assertThat(verification).as("the audit chain").contains("status=200 intact=true"),
                    () -> assertThat(entriesAfter).as("audit entries: the refusal, once").isEqualTo(entriesBefore + 1),
                    () -> assertThat(refusalsOf(user)).isEqualTo(1));
        }

        private long refusalsOf(String user) {
            return jdbc.queryForObject("select count(*) from audit_event where action = 'STAFF_ACCOUNT_REFUSED' and actor = ?",
                    Long.class, user);
        }
    }

    // =====================================================================================================
    // parameters
    // =====================================================================================================

    static Stream<Arguments> viaAndPartnershipSteps() {
        return Stream.of(Via.values()).flatMap(via -> Stream.of("Task_RecordApproval", "Task_ActivatePartnership")
                .map(activity -> Arguments.of(via, activity)));
    }

    static Stream<Arguments> forgedApprovalVariables() {
        List<Arguments> forged = List.of(
                Arguments.of(Variables.SECURITY_OFFICER_APPROVAL, false),
                Arguments.of(Variables.SPONSOR_DECIDED_BY, "sofia.security"),
                Arguments.of(Variables.REQUESTER, "robert.requester"));
        return Stream.of(Via.values()).flatMap(via -> Stream.of("complete", "submit-form").flatMap(endpoint ->
                forged.stream().map(f -> Arguments.of(via, endpoint, f.get()[0], f.get()[1]))));
    }

    static Stream<Arguments> viaAndStartEndpoints() {
        return Stream.of(Via.values()).flatMap(via -> Stream.of("start", "submit-form").map(e -> Arguments.of(via, e)));
    }

    static Stream<Arguments> viaAndStaff() {
        return Stream.of(Via.values()).flatMap(via -> Stream.of("rita.requester", "sam.sponsor", "ian.owner",
                "paul.process", "alice.auditor").map(user -> Arguments.of(via, user)));
    }

    // =====================================================================================================
    // the attack harness: one call, before and after
    // =====================================================================================================

    record Call(String method, String path, Object body) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /**
     * Runs the attack between two snapshots of everything it could change: its answer must be a refusal and the
     * snapshots equal.
     */
    private HttpResponse<String> refused(String attack, Collection<String> keys, Supplier<HttpResponse<String>> call) {
        return refused(attack, keys, REFUSALS, call);
    }

    private HttpResponse<String> refused(String attack, Collection<String> keys, Set<Integer> refusals,
                                         Supplier<HttpResponse<String>> call) {
        awaitQuiet();
        Map<String, Object> before = state(keys);
        HttpResponse<String> answer = call.get();
        LOG.info("ATTACK {} -> {} {}", attack, answer.statusCode(), abbreviate(answer.body()));
        awaitQuiet();
        Map<String, Object> after = state(keys);
        assertAll(
                () -> assertThat(answer.statusCode()).as(attack + " answered " + answer.statusCode() + " "
                        + abbreviate(answer.body())).isIn(refusals),
                () -> assertThat(after).as(attack + ": registry, Keycloak, audit, mails and engine afterwards")
                        .isEqualTo(before),
                () -> assertThat((String) after.get("audit verification")).as("the audit chain afterwards")
                        .contains("status=200 intact=true"));
        return answer;
    }

    /** Each attacker makes each call in turn; every answer must be a refusal, and nothing may have changed after all. */
    private void allRefused(Via via, List<String> attackers, List<Call> calls, Collection<String> keys) {
        awaitQuiet();
        Map<String, Object> before = state(keys);
        List<String> wrong = new ArrayList<>();
        for (String attacker : attackers) {
            for (Call call : calls) {
                HttpResponse<String> answer = engine(via, attacker, call.method(), call.path(), call.body());
                log(via, attacker, call.toString(), answer);
                if (!REFUSALS.contains(answer.statusCode())) {
                    wrong.add(attacker + ": " + call + " answered " + answer.statusCode() + " " + abbreviate(answer.body()));
                }
            }
        }
        awaitQuiet();
        Map<String, Object> after = state(keys);
        assertAll(
                () -> assertThat(wrong).as("calls via " + via + " that were not refused").isEmpty(),
                () -> assertThat(after).as("registry, Keycloak, audit, mails and engine after the calls via " + via)
                        .isEqualTo(before),
                () -> assertThat((String) after.get("audit verification")).as("the audit chain afterwards")
                        .contains("status=200 intact=true"));
    }

    private void log(Via via, String user, String call, HttpResponse<String> answer) {
        LOG.info("ATTACK via {} as {}: {} -> {} {}", via, user, call, answer.statusCode(), abbreviate(answer.body()));
    }

    private static String abbreviate(String body) {
        String flat = body == null ? "" : body.replaceAll("\\s+", " ");
        return flat.length() > 300 ? flat.substring(0, 300) + "..." : flat;
    }

    /** Waits until no job is due: whatever an attack set off in the background has run (or is stuck and visible). */
    private void awaitQuiet() {
        fixtures.awaitReceiptsSent();
        try {
            await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                    .until(() -> management.createJobQuery().executable().count() == 0);
        } catch (ConditionTimeoutException e) {
            LOG.warn("Jobs still due after 30 s: {}", management.createJobQuery().executable().list().stream()
                    .map(job -> job.getProcessDefinitionKey() + "/" + job.getProcessInstanceId() + " " + job.getExceptionMessage())
                    .toList());
        }
    }

    /**
     * What an attack could change for these partnership keys or identity ids: the registry rows, the partner realm's
     * users and clients bound to them, the process instances under them and the mails naming them; and globally the
     * registry's size, the audit chain and the instances ever started of the three public processes.
     */
    private Map<String, Object> state(Collection<String> keys) {
        Map<String, Object> state = new TreeMap<>();
        Set<String> keycloakNames = new TreeSet<>();
        for (String key : keys) {
            Optional<Partnership> partnership = partnerships.findById(key);
            state.put("registry partnership " + key, partnership.map(GovernanceAttackIT::describe).orElse("absent"));
            Optional<PartnerIdentity> own = identities.findById(key);
            state.put("registry identity " + key, own.map(GovernanceAttackIT::describe).orElse("absent"));
            own.ifPresent(row -> keycloakNames.add(row.getKeycloakName()));
            List<PartnerIdentity> ofPartnership = identities.findByPartnershipKeyOrderById(key);
            state.put("registry identities of " + key, ofPartnership.stream().map(GovernanceAttackIT::describe).toList());
            ofPartnership.forEach(row -> keycloakNames.add(row.getKeycloakName()));
            state.put("engine " + key, instances(key));
            state.put("engine instances ever with business key " + key,
                    history.createHistoricProcessInstanceQuery().processInstanceBusinessKey(key).count());
        }
        state.put("keycloak users", partnerUsers.listUsers().stream()
                .filter(user -> boundTo(user.getAttributes(), keys) || keycloakNames.contains(user.getUsername()))
                .map(user -> user.getUsername() + " enabled=" + user.isEnabled() + " id=" + user.getId())
                .sorted().toList());
        state.put("keycloak clients", partnerClients.listClients().stream()
                .filter(client -> boundTo(client.getAttributes(), keys) || keycloakNames.contains(client.getClientId()))
                .map(client -> client.getClientId() + " enabled=" + client.isEnabled() + " id=" + client.getId())
                .sorted().toList());
        state.put("registry partnerships", partnerships.count());
        state.put("registry identities", identities.count());
        state.put("audit entries", jdbc.queryForObject("select count(*) from audit_event", Long.class));
        state.put("decision record", jdbc.queryForObject("select count(*) from decision", Long.class));
        state.put("audit verification", auditVerification());
        // Scoped, not counted: timers and sweeps of other tests mail in the background.
        state.put("mails naming these", mailsNaming(keys, keycloakNames));
        for (String definition : List.of(ProcessIds.PARTNERSHIP_PROCESS, ProcessIds.HUMAN_ACCESS_PROCESS,
                ProcessIds.MACHINE_ACCESS_PROCESS)) {
            state.put("instances ever started of " + definition,
                    history.createHistoricProcessInstanceQuery().processDefinitionKey(definition).count());
        }
        return state;
    }

    /** Whether a user's (lists) or client's (single values) registry attributes name one of the keys. */
    private static boolean boundTo(Map<String, ?> attributes, Collection<String> keys) {
        if (attributes == null) {
            return false;
        }
        return Stream.of(KeycloakAttributes.PARTNERSHIP, KeycloakAttributes.IDENTITY).map(attributes::get)
                .flatMap(value -> value instanceof Collection<?> values ? values.stream() : Stream.ofNullable(value))
                .anyMatch(keys::contains);
    }

    private static String describe(Partnership row) {
        return "state=" + row.getState() + " reason=" + row.getStateReason() + " approvedBy=" + row.getApprovedBy()
                + " approvedAt=" + row.getApprovedAt() + " requestedBy=" + row.getRequestedBy() + " sponsor="
                + row.getSponsor() + " risk=" + row.getRiskTier() + " scopes=" + new TreeSet<>(row.getClientScopes())
                + " endDate=" + row.getEndDate() + " updatedAt=" + row.getUpdatedAt();
    }

    private static String describe(PartnerIdentity row) {
        return row.getId() + " " + row.getKind() + " state=" + row.getState() + " reason=" + row.getStateReason()
                + " approvedBy=" + row.getApprovedBy() + " requestedBy=" + row.getRequestedBy() + " owner="
                + row.getOwner() + " keycloak=" + row.getKeycloakName() + "/" + row.getKeycloakId() + " scopes="
                + new TreeSet<>(row.getClientScopes()) + " revokedAt=" + row.getRevokedAt() + " updatedAt="
                + row.getUpdatedAt();
    }

    private List<String> instances(String businessKey) {
        List<String> described = new ArrayList<>();
        for (ProcessInstance instance : runtime.createProcessInstanceQuery().processInstanceBusinessKey(businessKey)
                .orderByProcessInstanceId().asc().list()) {
            String id = instance.getId();
            described.add(instance.getProcessDefinitionId().split(":")[0] + " " + id + " suspended="
                    + instance.isSuspended() + " activities=" + new TreeSet<>(runtime.getActiveActivityIds(id))
                    + " variables=" + new TreeMap<>(runtime.getVariables(id))
                    + " tasks=" + tasks.createTaskQuery().processInstanceId(id).orderByTaskId().asc().list().stream()
                    .map(task -> task.getTaskDefinitionKey() + " assignee=" + task.getAssignee() + " owner="
                            + task.getOwner() + " links=" + tasks.getIdentityLinksForTask(task.getId()).stream()
                            .map(link -> link.getType() + ":" + (link.getUserId() != null ? link.getUserId()
                                    : "group " + link.getGroupId())).sorted().toList()
                            + " local=" + new TreeMap<>(tasks.getVariablesLocal(task.getId())))
                    .toList()
                    + " jobs=" + management.createJobQuery().processInstanceId(id).orderByJobId().asc().list().stream()
                    .map(job -> job.getId() + " retries=" + job.getRetries() + " due=" + job.getDuedate()
                            + " suspended=" + job.isSuspended()).toList()
                    + " incidents=" + runtime.createIncidentQuery().processInstanceId(id).count());
        }
        return described;
    }

    private String auditVerification() {
        HttpResponse<String> answer = Tokens.send(http, HttpRequest.newBuilder(URI.create(base() + "/api/audit/verification"))
                .header("Authorization", "Bearer " + token("alice.auditor")).GET().build());
        try {
            JsonNode verification = JSON.readTree(answer.body());
            return "status=" + answer.statusCode() + " intact=" + verification.path("intact").asText()
                    + " entries=" + verification.path("entriesChecked").asText();
        } catch (JsonProcessingException e) {
            return "status=" + answer.statusCode() + " unreadable";
        }
    }

    private static List<String> mailsNaming(Collection<String> keys, Set<String> keycloakNames) {
        try {
            return Mailbox.naming(Stream.concat(keys.stream(), keycloakNames.stream())
                    .filter(Objects::nonNull).toArray(String[]::new));
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    // =====================================================================================================
    // the two doors
    // =====================================================================================================

    private HttpResponse<String> engine(Via via, String user, String method, String path, Object body) {
        return doors.call(via, user, method, path, body);
    }

    private String token(String user) {
        return doors.token(user);
    }

    private String base() {
        return fixtures.url("");
    }

    // =====================================================================================================
    // request bodies
    // =====================================================================================================

    /** Process variables as the engine's REST API takes them. */
    private static Map<String, Object> vars(Object... namesAndValues) {
        Map<String, Object> variables = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            variables.put((String) namesAndValues[i], Map.of("value", namesAndValues[i + 1]));
        }
        return variables;
    }

    /**
     * The variables an instance holds, as the engine's REST API takes them, with the attacker's forgeries on top: what
     * a process started in the middle needs to run on (timer dates, durations, ids).
     */
    private Map<String, Object> copiedVariables(String businessKey, Object... forged) {
        Map<String, Object> variables = new LinkedHashMap<>();
        runtime.getVariables(instanceOf(businessKey)).forEach((name, value) -> {
            if (value instanceof java.util.Date date) {
                variables.put(name, Map.of("value", new java.text.SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSSZ")
                        .format(date), "type", "Date"));
            } else if (value instanceof org.camunda.spin.json.SpinJsonNode json) {
                variables.put(name, Map.of("value", json.toString(), "type", "Json"));
            } else if (value instanceof String || value instanceof Boolean || value instanceof Number) {
                variables.put(name, Map.of("value", value));
            }
        });
        variables.putAll(vars(forged));
        return variables;
    }

    /** A modification that cancels the sponsor's task and starts the recording of an approval nobody gave. */
    private static Map<String, Object> pastTheSponsorsApproval() {
        return Map.of("skipCustomListeners", true, "instructions", List.of(
                withVariables(startBefore("Task_RecordApproval"), vars(Variables.SPONSOR_APPROVED, true,
                        Variables.SPONSOR_DECIDED_BY, "sam.sponsor")),
                cancel(ProcessIds.TASK_APPROVE_AS_SPONSOR)));
    }

    private static Map<String, Object> startBefore(String activityId) {
        return Map.of("type", "startBeforeActivity", "activityId", activityId);
    }

    private static Map<String, Object> withVariables(Map<String, Object> instruction, Map<String, Object> variables) {
        Map<String, Object> with = new LinkedHashMap<>(instruction);
        with.put("variables", variables);
        return with;
    }

    private static Map<String, Object> cancel(String activityId) {
        return Map.of("type", "cancel", "activityId", activityId);
    }

    /** Exactly the fields of the partnership's start form, as Tasklist sends them (checklists as JSON arrays). */
    private static Map<String, Object> startForm(String key, String sponsor) {
        Map<String, Object> form = new LinkedHashMap<>(vars(
                Variables.PARTNERSHIP_KEY, key, PartnershipVariables.LEGAL_NAME, "Globex Corp", Variables.SPONSOR, sponsor,
                PartnershipVariables.BUSINESS_OWNER, "ian.owner", PartnershipVariables.TECHNICAL_OWNER, "ian.owner",
                Variables.PURPOSE, "Globex reads invoices to reconcile payments for the EU market",
                Variables.END_DATE, LocalDate.now().plusDays(90).toString(),
                PartnershipVariables.CONTACT_EMAIL, key + "@globex.example.org",
                PartnershipVariables.CONTACT_FIRST_NAME, "Gina", PartnershipVariables.CONTACT_LAST_NAME, "Globex"));
        form.put(Variables.DATA_CLASSES, Map.of("value", "[\"internal\"]", "type", "Json"));
        form.put(PartnershipVariables.ENVIRONMENTS, Map.of("value", "[\"test\"]", "type", "Json"));
        form.put(Variables.CLIENT_SCOPES, Map.of("value", "[\"invoices.read\"]", "type", "Json"));
        return form;
    }

    /** Where a start goes: by key for {@code start}, by the latest definition's id for {@code submit-form}. */
    private String startPath(Via via, String user, String endpoint) {
        if (endpoint.equals("start")) {
            return "/process-definition/key/" + ProcessIds.PARTNERSHIP_PROCESS + "/start";
        }
        String definition = repository.createProcessDefinitionQuery().processDefinitionKey(ProcessIds.PARTNERSHIP_PROCESS)
                .latestVersion().singleResult().getId();
        return "/process-definition/" + definition + "/submit-form";
    }

    private static Map<String, Object> request(String key, String sponsor, boolean highRisk) {
        Map<String, Object> body = new LinkedHashMap<>(PartnerAccessClient.validRequest(key, key + "@partner.example.org"));
        body.put("sponsor", sponsor);
        if (highRisk) {
            // writing in production is HIGH: the policy asks a security officer after the sponsor
            body.put("environments", List.of("test", "production"));
            body.put("clientScopes", List.of("orders.read", "orders.write"));
            body.put("endDate", LocalDate.now().plusDays(60).toString());
        }
        return body;
    }

    private static String newKey(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    // =====================================================================================================
    // fixtures
    // =====================================================================================================

    /** A shared object in a given state; prepared again when an attack that got through has moved it on. */
    private final class Fixture {
        private final String name;
        private final Predicate<String> intact;
        private final Supplier<String> create;
        String key;

        Fixture(String name, Predicate<String> intact, Supplier<String> create) {
            this.name = name;
            this.intact = intact;
            this.create = create;
        }

        String get() {
            if (key == null || !intact.test(key)) {
                if (key != null) {
                    LOG.warn("The {} {} was changed by an attack that got through; preparing another", name, key);
                }
                key = create.get();
            }
            return key;
        }
    }

    /** A partnership requested through the REST API, waiting for its sponsor sam.sponsor. */
    private String awaitingApproval(String requester, boolean highRisk) {
        String key = newKey(highRisk ? "high" : "await");
        HttpResponse<String> created = api.post(requester, "/api/partnerships", request(key, "sam.sponsor", highRisk));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(30)).until(() -> tasks.createTaskQuery().processInstanceBusinessKey(key)
                .taskDefinitionKey(ProcessIds.TASK_APPROVE_AS_SPONSOR).count() == 1);
        if (highRisk) {
            assertThat(partnerships.findById(key).orElseThrow().getRiskTier()).as("the policy's risk tier").isEqualTo("HIGH");
        }
        return key;
    }

    private List<String> activePartnerships(int count) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            keys.add(awaitingApproval("rita.requester", false));
        }
        keys.forEach(key -> SponsorApproval.approve(tasks, identity, key));
        for (String key : keys) {
            await().atMost(Duration.ofSeconds(90)).until(() -> isActivePartnership(key));
        }
        return keys;
    }

    private boolean isActivePartnership(String key) {
        return partnerships.findById(key).map(row -> row.getState() == LifecycleState.ACTIVE).orElse(false)
                && runtime.createProcessInstanceQuery().processInstanceBusinessKey(key).count() == 1
                && runtime.createExecutionQuery().processInstanceBusinessKey(key)
                .activityId(ProcessIds.TIMER_RECERTIFICATION_DUE).count() == 1;
    }

    private String suspend(String key) {
        HttpResponse<String> suspension = api.post("sofia.security", "/api/partnerships/" + key + "/suspension",
                Map.of("reason", "contract under dispute"));
        assertThat(suspension.statusCode()).as(suspension.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> isSuspendedPartnership(key));
        return key;
    }

    private boolean isSuspendedPartnership(String key) {
        return partnerships.findById(key).map(row -> row.getState() == LifecycleState.SUSPENDED).orElse(false)
                && runtime.createProcessInstanceQuery().processInstanceBusinessKey(key).count() == 1
                && runtime.createExecutionQuery().processInstanceBusinessKey(key)
                .activityId(ProcessIds.RECEIVE_TASK_AWAIT_RESUMPTION).count() == 1;
    }

    /** Fires the recertification timer now: the sponsor's recertification task opens. */
    private String recertificationDue(String key) {
        Job timer = management.createJobQuery().processInstanceId(instanceOf(key))
                .activityId(ProcessIds.TIMER_RECERTIFICATION_DUE).singleResult();
        management.executeJob(timer.getId());
        await().atMost(Duration.ofSeconds(60)).until(() -> isUnderReview(key));
        return key;
    }

    private boolean isUnderReview(String key) {
        return partnerships.findById(key).map(row -> row.getState() == LifecycleState.UNDER_REVIEW).orElse(false)
                && runtime.createProcessInstanceQuery().processInstanceBusinessKey(key).count() == 1
                && tasks.createTaskQuery().processInstanceBusinessKey(key)
                .taskDefinitionKey(ProcessIds.TASK_RECERTIFY_AS_SPONSOR).count() == 1;
    }

    private String rejectedPartnership() {
        String key = awaitingApproval("rita.requester", false);
        MachineFixtures.complete(tasks, identity, key, ProcessIds.TASK_APPROVE_AS_SPONSOR, "sam.sponsor", "sponsors",
                Map.of(Variables.SPONSOR_APPROVED, false, Variables.SPONSOR_COMMENT, "not needed"));
        await().atMost(Duration.ofSeconds(60)).until(() -> isRejected(key));
        return key;
    }

    private boolean isRejected(String key) {
        return partnerships.findById(key).map(row -> row.getState() == LifecycleState.REJECTED).orElse(false)
                && runtime.createProcessInstanceQuery().processInstanceBusinessKey(key).count() == 0
                && history.createHistoricProcessInstanceQuery().processInstanceBusinessKey(key).count() == 1;
    }

    private JsonNode registerMachine(String machineKind) {
        Map<String, Object> body = MachineFixtures.registration("SIGNED_JWT", MachineFixtures.PartnerKey.generate());
        body.put("machineKind", machineKind);
        body.put("workloadName", "Attack " + machineKind.toLowerCase() + " " + UUID.randomUUID().toString().substring(0, 6));
        return fixtures.registerMachine(active.get(), body);
    }

    private String machineAwaitingOwner() {
        String id = registerMachine("AI_AGENT").get("id").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> isAwaitingMachine(id));
        return id;
    }

    private boolean isAwaitingMachine(String id) {
        return identities.findById(id).map(row -> row.getState() == LifecycleState.REQUESTED).orElse(false)
                && runtime.createProcessInstanceQuery().processInstanceBusinessKey(id).count() == 1
                && tasks.createTaskQuery().processInstanceBusinessKey(id)
                .taskDefinitionKey(ProcessIds.TASK_APPROVE_MACHINE_AS_OWNER).count() == 1;
    }

    private String revokedMachine() {
        String id = registerMachine("WORKLOAD").get("id").asText();
        fixtures.awaitState(id, LifecycleState.ACTIVE);
        awaitQuiet();
        HttpResponse<String> incident = api.post("sofia.security", "/api/identities/" + id + "/incidents",
                Map.of("reason", "private key published", "severity", "HIGH"));
        assertThat(incident.statusCode()).as(incident.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> isRevokedMachine(id));
        return id;
    }

    private boolean isRevokedMachine(String id) {
        Optional<PartnerIdentity> row = identities.findById(id);
        return row.map(machine -> machine.getState() == LifecycleState.REVOKED).orElse(false)
                && runtime.createExecutionQuery().processInstanceBusinessKey(id)
                .activityId(ProcessIds.GATEWAY_AWAIT_RETENTION).count() == 1
                && partnerClients.findClient(row.get().getKeycloakName()).map(client -> !client.isEnabled()).orElse(false);
    }

    private String humanAwaitingSponsor() {
        String email = "p-" + UUID.randomUUID().toString().substring(0, 8) + "@partner.example.org";
        String id = fixtures.requestPerson(active.get(), email);
        await().atMost(Duration.ofSeconds(30)).until(() -> isAwaitingHuman(id));
        return id;
    }

    private boolean isAwaitingHuman(String id) {
        return identities.findById(id).map(row -> row.getState() == LifecycleState.REQUESTED).orElse(false)
                && runtime.createProcessInstanceQuery().processInstanceBusinessKey(id).count() == 1
                && tasks.createTaskQuery().processInstanceBusinessKey(id)
                .taskDefinitionKey(ProcessIds.TASK_APPROVE_AS_SPONSOR).count() == 1;
    }

    private String instanceOf(String businessKey) {
        return runtime.createProcessInstanceQuery().processInstanceBusinessKey(businessKey).singleResult().getId();
    }

    private Task task(String businessKey, String taskKey) {
        return tasks.createTaskQuery().processInstanceBusinessKey(businessKey).taskDefinitionKey(taskKey).singleResult();
    }
}
