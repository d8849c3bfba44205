package org.partneraccess.decision;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.partneraccess.ProcessIds;
import org.partneraccess.Variables;
import org.partneraccess.policy.PolicyDecision;
import org.partneraccess.security.StaffDirectory;
import org.partneraccess.security.StaffGroups;
import org.partneraccess.security.TaskDecisionLog;
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The decision record: what the access policy required and what each approver decided, appended by the application
 * itself (the policy service, the segregation-of-duties listener on every user task), never written by a user. A grant
 * asks it which approvals it rests on, so neither a process variable nor a changed flow can stand in for an approval.
 */
@Service
public class Decisions implements TaskDecisionLog {

    static final String POLICY = "policy";
    /** Where a policy decision keeps what it was taken on, and the exact table version that took it. */
    static final String INPUT = "input";
    static final String DEFINITION = "definitionId";
    /** The key under which {@link #latest} gives who decided. */
    public static final String DECIDED_BY = "decidedBy";
    /** Below every database's limit on the values of one {@code in} list. */
    public static final int SUBJECTS_PER_QUERY = 500;

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final DecisionRepository decisions;
    private final StaffDirectory staff;

    Decisions(DecisionRepository decisions, StaffDirectory staff) {
        this.decisions = decisions;
        this.staff = staff;
    }

    /**
     * The approval steps of a request: the policy step whose decision says what is needed, the task a person the
     * registry names decides, the security officers' task, and whether the policy may approve on its own. Each task's
     * field is its form's approve checkbox, its reason the form's field that says why it rejects. Where one task is
     * both, the policy decides who takes it (a security officer where it requires one).
     */
    public record ApprovalSteps(String policyStep, String namedTask, String namedField, String namedReason,
                                String securityOfficerTask, String securityOfficerField, String securityOfficerReason,
                                boolean policyMayApprove) {

        /** A request the sponsor approves, then a security officer where the policy says so (partnerships, people). */
        public static ApprovalSteps sponsorThenSecurityOfficer(String policyStep) {
            return new ApprovalSteps(policyStep, ProcessIds.TASK_APPROVE_AS_SPONSOR, Variables.SPONSOR_APPROVED,
                    Variables.SPONSOR_COMMENT, ProcessIds.TASK_APPROVE_AS_SECURITY_OFFICER,
                    Variables.SECURITY_OFFICER_APPROVED, Variables.SECURITY_OFFICER_COMMENT, false);
        }

        /** A request one task decides, by the named approver or a security officer as the policy says. */
        public static ApprovalSteps oneTask(String policyStep, String task, String field, String reason) {
            return new ApprovalSteps(policyStep, task, field, reason, task, field, reason, false);
        }
    }

    /** Who rejected a request and why, as the decision record has it. */
    public record Rejection(String decidedBy, String reason) {
    }

    /**
     * A policy decision as the record keeps it: the table's outputs ({@link PolicyDecision#toVariables()} keys), the
     * inputs it was taken on and the exact table version; the last two are null on a row recorded without them.
     */
    public record PolicyRecord(long id, String subject, String step, Instant decidedAt, Map<String, Object> outputs,
                               Map<String, Object> input, String definitionId) {

        /** Whether it can be evaluated again: only with its inputs. */
        public boolean replayable() {
            return input != null;
        }
    }

    @Override
    @Transactional
    public void append(String subject, String processInstanceId, String taskKey, String decidedBy,
                       Map<String, Object> fields) {
        decisions.save(new Decision(required(subject, "subject"), processInstanceId, taskKey, decidedBy,
                json(fields), Instant.now()));
    }

    @Override
    @Transactional(readOnly = true)
    public String lastDecider(String processInstanceId, String otherwise) {
        return decisions.findFirstByProcessInstanceIdOrderByIdDesc(processInstanceId).map(Decision::getDecidedBy)
                .orElse(otherwise);
    }

    @Override
    @Transactional(readOnly = true)
    public Optional<String> deciderSince(String processInstanceId, String earlierTask, String task) {
        Optional<Decision> since = decisions.findFirstByProcessInstanceIdAndStepOrderByIdDesc(processInstanceId, task);
        return decisions.findFirstByProcessInstanceIdAndStepOrderByIdDesc(processInstanceId, earlierTask)
                .filter(earlier -> since.map(last -> earlier.getId() > last.getId()).orElse(true))
                .map(Decision::getDecidedBy);
    }

    /** The policy's decision on a subject, kept with the inputs it was taken on, under the step that asked for it. */
    @Transactional
    public void recordPolicy(String subject, String step, Map<String, Object> input, PolicyDecision decision) {
        Map<String, Object> outcome = new LinkedHashMap<>(decision.toVariables());
        outcome.put(INPUT, input);
        outcome.put(DEFINITION, decision.definitionId());
        decisions.save(new Decision(required(subject, "subject"), null, step, POLICY, json(outcome), Instant.now()));
    }

    /** A request on a subject (what is asked for and by whom), which the grant later applies from here. */
    @Transactional
    public void recordRequest(String subject, String step, String requester, Map<String, Object> requested) {
        decisions.save(new Decision(required(subject, "subject"), null, step, required(requester, "requester"),
                json(requested), Instant.now()));
    }

    /**
     * The latest request of {@code requestStep} on the subject with who asked ({@link #DECIDED_BY}), provided the
     * latest policy decision of {@code policyStep} was taken on it: a grant applies exactly what the policy decided.
     *
     * @throws MissingApprovalException when no such request or no policy decision after it is on record
     */
    @Transactional(readOnly = true)
    public Map<String, Object> request(String subject, String requestStep, String policyStep) {
        Decision request = decisions.findFirstBySubjectAndStepOrderByIdDesc(subject, requestStep)
                .orElseThrow(() -> new MissingApprovalException(subject, "no " + requestStep + " is on record"));
        if (policy(subject, policyStep).getId() < request.getId()) {
            throw new MissingApprovalException(subject, "the policy has not decided the latest " + requestStep);
        }
        Map<String, Object> fields = new LinkedHashMap<>(outcome(request));
        fields.put(DECIDED_BY, request.getDecidedBy());
        return fields;
    }

    @Transactional(readOnly = true)
    public List<Decision> of(String subject) {
        return decisions.findBySubjectOrderById(subject);
    }

    /** The decision records of many subjects, read in one query per {@value #SUBJECTS_PER_QUERY} subjects. */
    @Transactional(readOnly = true)
    public Map<String, List<Decision>> ofAll(Collection<String> subjects) {
        Map<String, List<Decision>> bySubject = new HashMap<>();
        List<String> all = List.copyOf(new LinkedHashSet<>(subjects));
        for (int from = 0; from < all.size(); from += SUBJECTS_PER_QUERY) {
            decisions.findBySubjectInOrderById(all.subList(from, Math.min(all.size(), from + SUBJECTS_PER_QUERY)))
                    .forEach(decision -> bySubject.computeIfAbsent(decision.getSubject(), key -> new ArrayList<>())
                            .add(decision));
        }
        return bySubject;
    }

    /**
     * The requests of these steps ({@link #recordRequest}) that {@code requester} made, newest first, at most
     * {@code limit}; user names compare as the staff realm keeps them, whatever the case they were recorded in.
     */
    @Transactional(readOnly = true)
    public List<Decision> requestsBy(String requester, Collection<String> steps, int limit) {
        return requester == null || steps.isEmpty() ? List.of()
                : decisions.findByDecidedByIgnoreCaseAndStepInOrderByIdDesc(StaffDirectory.canonical(requester), steps,
                Limit.of(limit));
    }

    /** {@link #requestsBy(String, Collection, int)} on one subject only. */
    @Transactional(readOnly = true)
    public List<Decision> requestsBy(String requester, Collection<String> steps, String subject, int limit) {
        return requester == null || steps.isEmpty() ? List.of()
                : decisions.findByDecidedByIgnoreCaseAndStepInAndSubjectOrderByIdDesc(
                StaffDirectory.canonical(requester), steps, subject, Limit.of(limit));
    }

    /** What a recorded decision holds: the form's fields, a request's content, or the policy's outputs. */
    public static Map<String, Object> fields(Decision decision) {
        return outcome(decision);
    }

    /** One recorded decision, by its id in the record. */
    @Transactional(readOnly = true)
    public Optional<Decision> find(long id) {
        return decisions.findById(id);
    }

    /** The policy's decisions taken after {@code after}, newest first, at most {@code limit} of them. */
    @Transactional(readOnly = true)
    public List<PolicyRecord> policyDecisions(Instant after, int limit) {
        return decisions.findByDecidedByAndDecidedAtAfterOrderByIdDesc(POLICY, after, Limit.of(limit)).stream()
                .map(Decisions::policyRecord).toList();
    }

    /** A row of the record read as a policy decision; a person's decision has neither inputs nor a table version. */
    @SuppressWarnings("unchecked")
    static PolicyRecord policyRecord(Decision decision) {
        Map<String, Object> outputs = new LinkedHashMap<>(outcome(decision));
        Object input = outputs.remove(INPUT);
        Object definitionId = outputs.remove(DEFINITION);
        return new PolicyRecord(decision.getId(), decision.getSubject(), decision.getStep(), decision.getDecidedAt(),
                outputs, input instanceof Map<?, ?> map ? (Map<String, Object>) map : null,
                definitionId instanceof String id ? id : null);
    }

    /**
     * Who approved a request, as the registry records it ({@code policy}, or the approvers in order), from the decision
     * record alone: the latest policy decision on the subject says which approvals are needed; each must be a
     * recorded approval taken after it, the named one by one of {@code namedApprovers}, the security officer's by a
     * member of that group who is neither the named approver nor the requester.
     *
     * @throws MissingApprovalException when an approval the policy requires is not on record
     */
    @Transactional(readOnly = true)
    public String approvers(String subject, ApprovalSteps steps, Collection<String> namedApprovers, String requester) {
        Decision policy = policy(subject, steps.policyStep());
        Map<String, Object> required = outcome(policy);
        if (steps.policyMayApprove() && Boolean.TRUE.equals(required.get(PolicyDecision.AUTO_APPROVE))) {
            return POLICY;
        }
        String named = named(subject, approval(subject, policy, steps.namedTask(), steps.namedField()), namedApprovers,
                requester);
        if (!requiresSecurityOfficer(policy)) {
            return named;
        }
        return named + "," + officer(subject, approval(subject, policy, steps.securityOfficerTask(),
                steps.securityOfficerField()), named, requester);
    }

    /**
     * Who approved a request that one task decides ({@link ApprovalSteps#oneTask}): a security officer where the latest
     * policy decision requires one, else one of {@code namedApprovers}; never the requester.
     */
    @Transactional(readOnly = true)
    public String approver(String subject, ApprovalSteps steps, Collection<String> namedApprovers, String requester) {
        Decision policy = policy(subject, steps.policyStep());
        Optional<Decision> approval = approval(subject, policy, steps.namedTask(), steps.namedField());
        return requiresSecurityOfficer(policy)
                ? officer(subject, approval, null, requester)
                : named(subject, approval, namedApprovers, requester);
    }

    /**
     * The rejection a request's process instance ends with, from the decision record alone: the instance's latest
     * decision must be one of the request's approval tasks, taken after the latest policy decision, not approving,
     * with a reason, by whom that task belongs to (one of {@code namedApprovers}, or a security officer; never the
     * requester). A flow driven into its rejection step without that decision rejects nothing.
     *
     * @throws MissingApprovalException when no such rejection is on record
     */
    @Transactional(readOnly = true)
    public Rejection rejection(String subject, String processInstanceId, ApprovalSteps steps,
                               Collection<String> namedApprovers, String requester) {
        Decision policy = policy(subject, steps.policyStep());
        Decision decision = decisions.findFirstByProcessInstanceIdOrderByIdDesc(processInstanceId)
                .filter(latest -> latest.getId() > policy.getId() && subject.equals(latest.getSubject()))
                .filter(latest -> latest.getStep().equals(steps.namedTask())
                        || latest.getStep().equals(steps.securityOfficerTask()))
                .orElseThrow(() -> new MissingApprovalException(subject, "no rejection of this request is on record"));
        boolean byOfficer = decision.getStep().equals(steps.securityOfficerTask())
                && (!decision.getStep().equals(steps.namedTask()) || requiresSecurityOfficer(policy));
        Map<String, Object> fields = outcome(decision);
        if (!Boolean.FALSE.equals(fields.get(byOfficer ? steps.securityOfficerField() : steps.namedField()))) {
            throw new MissingApprovalException(subject, "no rejection of this request is on record: "
                    + decision.getStep() + " did not reject it");
        }
        Object reason = fields.get(byOfficer ? steps.securityOfficerReason() : steps.namedReason());
        if (!(reason instanceof String text) || text.isBlank()) {
            throw new MissingApprovalException(subject, "a rejection needs a reason; " + decision.getStep()
                    + " recorded none");
        }
        String decidedBy = byOfficer ? officer(subject, Optional.of(decision), null, requester)
                : named(subject, Optional.of(decision), namedApprovers, requester);
        return new Rejection(decidedBy, text.strip());
    }

    /**
     * Records that the request the latest policy decision of {@code policyStep} decided was granted, and what was
     * granted; a second grant on the same policy decision (a grant step run again) is refused, so one approval grants
     * once.
     *
     * @throws MissingApprovalException when that request was granted already
     */
    @Transactional
    public void recordGrant(String subject, String grantStep, String policyStep, String grantedBy,
                            Map<String, Object> granted) {
        Decision policy = policy(subject, policyStep);
        if (decisions.findFirstBySubjectAndStepAndIdGreaterThanOrderByIdDesc(subject, grantStep, policy.getId())
                .isPresent()) {
            throw new MissingApprovalException(subject, "this request was granted already; another grant needs a new "
                    + "request and its own approval");
        }
        decisions.save(new Decision(subject, null, grantStep, required(grantedBy, "grantor"), json(granted),
                Instant.now()));
    }

    /**
     * Who approved a change that a security officer alone decides: the latest recorded decision of {@code task} on
     * the subject, ticked, by a member of that group who is not {@code requester}.
     */
    @Transactional(readOnly = true)
    public String securityOfficerApproval(String subject, String task, String field, String requester) {
        return officer(subject, decisions.findFirstBySubjectAndStepOrderByIdDesc(subject, task)
                .filter(decision -> Boolean.TRUE.equals(outcome(decision).get(field))), null, requester);
    }

    /** Whether the record holds a decision of this step on the subject (a person's own policy decision, say). */
    @Transactional(readOnly = true)
    public boolean recorded(String subject, String step) {
        return decisions.findFirstBySubjectAndStepOrderByIdDesc(subject, step).isPresent();
    }

    /** When the subject is next reviewed, counted from {@code from} by the review cadence of its latest policy decision. */
    @Transactional(readOnly = true)
    public Optional<Instant> nextReview(String subject, String policyStep, Instant from) {
        return decisions.findFirstBySubjectAndStepOrderByIdDesc(subject, policyStep)
                .map(policy -> outcome(policy).get(PolicyDecision.REVIEW_CADENCE_DAYS))
                .filter(Number.class::isInstance)
                .map(days -> from.plus(java.time.Duration.ofDays(((Number) days).longValue())));
    }

    /** The latest recorded decision of a task on a subject: who took it and the form's fields. */
    @Transactional(readOnly = true)
    public Optional<Map<String, Object>> latest(String subject, String task) {
        return decisions.findFirstBySubjectAndStepOrderByIdDesc(subject, task).map(decision -> {
            Map<String, Object> fields = new LinkedHashMap<>(outcome(decision));
            fields.put(DECIDED_BY, decision.getDecidedBy());
            return fields;
        });
    }

    private static boolean requiresSecurityOfficer(Decision policy) {
        return Boolean.TRUE.equals(outcome(policy).get(PolicyDecision.SECURITY_OFFICER_APPROVAL));
    }

    private Decision policy(String subject, String step) {
        return decisions.findFirstBySubjectAndStepOrderByIdDesc(subject, step)
                .orElseThrow(() -> new MissingApprovalException(subject, "no " + step + " decision of the policy is on record"));
    }

    private static String named(String subject, Optional<Decision> approval, Collection<String> namedApprovers,
                                String requester) {
        Decision decision = approval.orElseThrow(() -> new MissingApprovalException(subject,
                "no approval by the approver the registry names is on record"));
        Set<String> named = namedApprovers.stream().filter(Objects::nonNull).map(StaffDirectory::canonical)
                .filter(name -> !name.equals(StaffDirectory.canonical(requester))).collect(Collectors.toSet());
        if (!named.contains(decision.getDecidedBy())) {
            throw new MissingApprovalException(subject, decision.getStep() + " was approved by "
                    + decision.getDecidedBy() + ", whom the registry does not name as its approver");
        }
        return decision.getDecidedBy();
    }

    private String officer(String subject, Optional<Decision> approval, String namedApprover, String requester) {
        String officer = approval.orElseThrow(() -> new MissingApprovalException(subject,
                "the policy requires a security officer's approval; none is on record")).getDecidedBy();
        if (officer.equals(namedApprover) || officer.equals(StaffDirectory.canonical(requester))
                || !staff.isMember(officer, StaffGroups.SECURITY_OFFICERS)) {
            throw new MissingApprovalException(subject, "the security officer's approval by " + officer
                    + " does not count: a second person from " + StaffGroups.SECURITY_OFFICERS + " must decide");
        }
        return officer;
    }

    private Optional<Decision> approval(String subject, Decision policy, String task, String field) {
        return decisions.findFirstBySubjectAndStepAndIdGreaterThanOrderByIdDesc(subject, task, policy.getId())
                .filter(decision -> Boolean.TRUE.equals(outcome(decision).get(field)));
    }

    static Map<String, Object> outcome(Decision decision) {
        try {
            return JSON.readValue(decision.getOutcome(), new TypeReference<>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("decision " + decision.getId() + " holds no readable outcome", e);
        }
    }

    private static String json(Map<String, Object> fields) {
        try {
            return JSON.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a decision's fields cannot be written: " + e.getOriginalMessage(), e);
        }
    }

    private static String required(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("a decision needs a " + name);
        }
        return value;
    }
}
