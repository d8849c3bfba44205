package org.partneraccess.dashboard;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.IdentityLink;
import org.camunda.bpm.engine.task.IdentityLinkType;
import org.camunda.bpm.engine.task.Task;
import org.partneraccess.LifecycleState;
import org.partneraccess.ProcessIds;
import org.partneraccess.decision.Decision;
import org.partneraccess.decision.Decisions;
import org.partneraccess.human.HumanAccessService;
import org.partneraccess.inventory.IdentityInventory;
import org.partneraccess.inventory.IdentityKind;
import org.partneraccess.inventory.IdentityView;
import org.partneraccess.machine.MachineRegistrationService;
import org.partneraccess.partnership.PartnershipController.PartnershipView;
import org.partneraccess.partnership.PartnershipListing;
import org.partneraccess.partnership.PartnershipService;
import org.partneraccess.policy.PolicyDecision;
import org.partneraccess.security.EngineCaller;
import org.partneraccess.security.FormFields;
import org.partneraccess.security.StaffDirectory;
import org.partneraccess.trust.WorkloadTrust;
import org.partneraccess.trust.WorkloadTrusts;
import org.springframework.stereotype.Service;

/**
 * What a staff user asked for and where each request stands: partnerships, people, machines and workload trusts from
 * the registry
 * (requested by them), scope changes and elevations from the decision record (asked by them); who must decide next
 * from the engine's open tasks, and what was decided, by whom and why, from the decision record. Only the user's own
 * requests, compared by the user name the staff realm keeps.
 */
@Service
class MyRequests {

    static final int CHANGE_LIMIT = 500;

    /** A kind of request: the process that decides it, and the decision-record steps of its approval. */
    enum Kind {
        PARTNERSHIP("Partnership", ProcessIds.PARTNERSHIP_PROCESS, null, PartnershipService.APPROVALS),
        PERSON("Partner person", ProcessIds.HUMAN_ACCESS_PROCESS, null, HumanAccessService.APPROVALS),
        MACHINE("Machine", ProcessIds.MACHINE_ACCESS_PROCESS, null, MachineRegistrationService.APPROVALS),
        WORKLOAD_TRUST("Workload trust", ProcessIds.WORKLOAD_TRUST_PROCESS, null, WorkloadTrusts.APPROVALS),
        SCOPE_CHANGE("Scope change", ProcessIds.PARTNERSHIP_PROCESS, PartnershipService.SCOPE_CHANGE_REQUESTED,
                PartnershipService.SCOPE_CHANGE_APPROVALS),
        ELEVATION("Elevation", ProcessIds.HUMAN_ACCESS_PROCESS, HumanAccessService.ELEVATION_REQUESTED,
                HumanAccessService.ELEVATION_APPROVALS),
        MACHINE_ELEVATION("Machine elevation", ProcessIds.MACHINE_ACCESS_PROCESS,
                MachineRegistrationService.ELEVATION_REQUESTED, MachineRegistrationService.ELEVATION_APPROVALS);

        final String label;
        final String process;
        /** The step under which the request itself is recorded; null for a registry row. */
        final String requestStep;
        final Set<String> tasks;
        final String policyStep;

        Kind(String label, String process, String requestStep, Decisions.ApprovalSteps steps) {
            this.label = label;
            this.process = process;
            this.requestStep = requestStep;
            this.tasks = new LinkedHashSet<>(List.of(steps.namedTask(), steps.securityOfficerTask()));
            this.policyStep = steps.policyStep();
        }

        public String label() {
            return label;
        }

        static List<String> requestSteps() {
            return Stream.of(values()).map(kind -> kind.requestStep).filter(Objects::nonNull).toList();
        }

        static Kind ofRequestStep(String step) {
            return Stream.of(values()).filter(kind -> step.equals(kind.requestStep)).findFirst().orElseThrow();
        }
    }

    /** Who must decide: the open task's name and its assignee, or else its candidate users and groups. */
    record Decider(String task, String assignee, List<String> users, List<String> groups, Instant since) {

        public String who() {
            if (assignee != null) {
                return assignee;
            }
            List<String> who = new ArrayList<>(users);
            groups.forEach(group -> who.add("group " + group));
            return who.isEmpty() ? "nobody yet" : String.join(", ", who);
        }
    }

    /** A decision taken on the request: by a person (approved or rejected, and why) or by the access policy. */
    record Taken(Instant at, String step, String decidedBy, String outcome, String reason) {

        public boolean rejected() {
            return REJECTED.equals(outcome);
        }
    }

    record Request(Kind kind, String subject, String title, Instant requestedAt, String asked, String state,
                   List<Decider> next, List<Taken> decisions) {

        public String href() {
            return "/dashboard/requests/" + subject;
        }
    }

    static final String APPROVED = "approved";
    static final String REJECTED = "rejected";
    /** A change request's state: derived from its decisions, since the registry row is the subject's, not its. */
    static final String AWAITING_DECISION = "AWAITING DECISION";

    private final PartnershipListing partnerships;
    private final IdentityInventory identities;
    private final Decisions decisions;
    private final TaskService tasks;
    private final RuntimeService runtime;
    private final IdentityService engineIdentity;
    private final WorkloadTrusts trusts;
    private final Map<String, String> reasons = FormFields.shipped().rejectionReasons();

    MyRequests(PartnershipListing partnerships, IdentityInventory identities, Decisions decisions, TaskService tasks,
               RuntimeService runtime, IdentityService engineIdentity, WorkloadTrusts trusts) {
        this.runtime = runtime;
        this.trusts = trusts;
        this.partnerships = partnerships;
        this.identities = identities;
        this.decisions = decisions;
        this.tasks = tasks;
        this.engineIdentity = engineIdentity;
    }

    /** Every request of {@code user}, newest first. */
    List<Request> of(String user) {
        String me = StaffDirectory.canonical(user);
        return requests(partnerships.requestedBy(me), identities.requestedBy(me), trusts.requestedBy(me),
                decisions.requestsBy(me, Kind.requestSteps(), CHANGE_LIMIT));
    }

    /**
     * The requests of {@code user} on one partnership or identity; empty when none is theirs. Only that subject's rows
     * are read: a receipt costs the same however many requests its requester made before.
     */
    List<Request> on(String user, String subject) {
        String me = StaffDirectory.canonical(user);
        return requests(partnerships.requestedBy(me, subject).stream().toList(),
                identities.requestedBy(me, subject).stream().toList(),
                trusts.requestedBy(me, subject).stream().toList(),
                decisions.requestsBy(me, Kind.requestSteps(), subject, CHANGE_LIMIT));
    }

    /**
     * The requests found in these rows, each with its decisions and who must decide next. The decision records and
     * open tasks are read for all of them at once: a page of many requests costs a few queries.
     */
    private List<Request> requests(List<PartnershipView> partnershipRows,
                                   List<IdentityInventory.Requested> identityRows, List<WorkloadTrust> trustRows,
                                   List<Decision> changeRows) {
        List<Asked> asked = new ArrayList<>();
        for (PartnershipView partnership : partnershipRows) {
            asked.add(new Asked(Kind.PARTNERSHIP, partnership.key(), "Partnership " + partnership.key() + ": "
                    + partnership.legalName(), partnership.createdAt(), state(partnership.state(),
                    partnership.stateReason(), false), null));
        }
        for (IdentityInventory.Requested requested : identityRows) {
            IdentityView identity = requested.identity();
            asked.add(new Asked(identity.kind() == IdentityKind.HUMAN ? Kind.PERSON : Kind.MACHINE, identity.id(),
                    name(identity), requested.requestedAt(), state(identity.state(), identity.stateReason(),
                    identity.invitationPending()), null));
        }
        for (WorkloadTrust trust : trustRows) {
            asked.add(new Asked(Kind.WORKLOAD_TRUST, trust.getId(), "Workload trust of partnership "
                    + trust.getPartnershipKey() + ": " + trust.getKind() + " issuer " + trust.getIssuer(),
                    trust.getCreatedAt(), state(trust.getState(), trust.getStateReason(), false), null));
        }
        for (Decision request : changeRows) {
            Kind kind = Kind.ofRequestStep(request.getStep());
            asked.add(new Asked(kind, request.getSubject(), null, request.getDecidedAt(), null, request));
        }
        Map<String, List<Decision>> records = decisions.ofAll(asked.stream().map(Asked::subject).toList());
        Map<Kind, Map<String, List<Decider>>> open = openTasks(asked);
        List<Request> found = new ArrayList<>();
        for (Asked request : asked) {
            List<Decision> record = records.getOrDefault(request.subject(), List.of());
            Map<String, List<Decider>> openOfKind = open.getOrDefault(request.kind(), Map.of());
            found.add(request.change() == null ? registryRequest(request, record, openOfKind)
                    : changeRequest(request.kind(), request.change(), record, openOfKind));
        }
        found.sort(Comparator.comparing(Request::requestedAt, Comparator.nullsLast(Comparator.reverseOrder())));
        return found;
    }

    /** A request as found, before its decisions and open tasks are read; {@code change} set for a change request. */
    private record Asked(Kind kind, String subject, String title, Instant requestedAt, String state, Decision change) {
    }

    private Request registryRequest(Asked request, List<Decision> record, Map<String, List<Decider>> open) {
        List<Taken> taken = record.stream().filter(decision -> belongsTo(request.kind(), decision))
                .map(this::taken).toList();
        return new Request(request.kind(), request.subject(), request.title(), request.requestedAt(), null,
                request.state(), open.getOrDefault(request.subject(), List.of()), taken);
    }

    /**
     * A scope change or an elevation: its decisions are those of its steps recorded after it and before the next
     * request of its kind on the same subject; only the latest request of its kind can still wait for a decision.
     */
    private Request changeRequest(Kind kind, Decision request, List<Decision> record, Map<String, List<Decider>> open) {
        String subject = request.getSubject();
        long until = record.stream().filter(later -> later.getId() > request.getId()
                && kind.requestStep.equals(later.getStep())).mapToLong(Decision::getId).min().orElse(Long.MAX_VALUE);
        List<Taken> taken = record.stream().filter(decision -> decision.getId() > request.getId()
                && decision.getId() < until && belongsTo(kind, decision)).map(this::taken).toList();
        List<Decider> next = until == Long.MAX_VALUE ? open.getOrDefault(subject, List.of()) : List.of();
        String state = taken.stream().anyMatch(Taken::rejected) ? LifecycleState.REJECTED.name()
                : !next.isEmpty() ? AWAITING_DECISION
                : taken.stream().anyMatch(decision -> APPROVED.equals(decision.outcome()))
                ? LifecycleState.APPROVED.name()
                : "IN PROGRESS";
        return new Request(kind, subject, kind.label + " of " + subjectName(kind, subject), request.getDecidedAt(),
                describe(Decisions.fields(request)), state, next, taken);
    }

    private static boolean belongsTo(Kind kind, Decision decision) {
        return decision.byPolicy() ? kind.policyStep.equals(decision.getStep())
                : decision.getProcessInstanceId() != null && kind.tasks.contains(decision.getStep());
    }

    /** A person's decision reads through its form's approve checkbox and reason; the policy's through its outputs. */
    private Taken taken(Decision decision) {
        Map<String, Object> fields = Decisions.fields(decision);
        if (decision.byPolicy()) {
            List<String> outcome = new ArrayList<>();
            outcome.add("risk tier " + fields.get(PolicyDecision.RISK_TIER));
            if (Boolean.TRUE.equals(fields.get(PolicyDecision.AUTO_APPROVE))) {
                outcome.add(APPROVED + " by the policy");
            }
            if (Boolean.TRUE.equals(fields.get(PolicyDecision.SECURITY_OFFICER_APPROVAL))) {
                outcome.add("a security officer must approve");
            }
            return new Taken(decision.getDecidedAt(), "Access policy", decision.getDecidedBy(),
                    String.join(", ", outcome), null);
        }
        String checkbox = reasons.keySet().stream().filter(fields::containsKey).findFirst().orElse(null);
        if (checkbox == null) {
            return new Taken(decision.getDecidedAt(), taskName(decision.getStep()), decision.getDecidedBy(),
                    describe(fields), null);
        }
        boolean approved = Boolean.TRUE.equals(fields.get(checkbox));
        Object reason = fields.get(reasons.get(checkbox));
        return new Taken(decision.getDecidedAt(), taskName(decision.getStep()), decision.getDecidedBy(),
                approved ? APPROVED : REJECTED, reason instanceof String text && !text.isBlank() ? text.strip() : null);
    }

    /**
     * The open approval tasks of the requests' processes by kind and subject, read by the application itself, not as
     * the user: one task query per kind, one to know each task's subject, and each open task's candidates.
     */
    private Map<Kind, Map<String, List<Decider>>> openTasks(List<Asked> asked) {
        Map<Kind, Set<String>> subjectsByKind = new LinkedHashMap<>();
        asked.forEach(request -> subjectsByKind.computeIfAbsent(request.kind(), kind -> new LinkedHashSet<>())
                .add(request.subject()));
        return EngineCaller.withoutAuthentication(engineIdentity, () -> {
            Map<Kind, List<Task>> found = new LinkedHashMap<>();
            subjectsByKind.forEach((kind, subjects) -> {
                List<String> all = List.copyOf(subjects);
                for (int from = 0; from < all.size(); from += Decisions.SUBJECTS_PER_QUERY) {
                    String[] chunk = all.subList(from, Math.min(all.size(), from + Decisions.SUBJECTS_PER_QUERY))
                            .toArray(String[]::new);
                    found.computeIfAbsent(kind, key -> new ArrayList<>()).addAll(tasks.createTaskQuery()
                            .processDefinitionKey(kind.process).processInstanceBusinessKeyIn(chunk)
                            .taskDefinitionKeyIn(kind.tasks.toArray(String[]::new)).orderByTaskCreateTime().asc()
                            .list());
                }
            });
            Set<String> instances = new LinkedHashSet<>();
            found.values().forEach(list -> list.forEach(task -> instances.add(task.getProcessInstanceId())));
            Map<String, String> subjectOf = new HashMap<>();
            if (!instances.isEmpty()) {
                runtime.createProcessInstanceQuery().processInstanceIds(instances).list()
                        .forEach(instance -> subjectOf.put(instance.getId(), instance.getBusinessKey()));
            }
            Map<Kind, Map<String, List<Decider>>> open = new LinkedHashMap<>();
            found.forEach((kind, list) -> list.forEach(task -> open.computeIfAbsent(kind, key -> new HashMap<>())
                    .computeIfAbsent(subjectOf.get(task.getProcessInstanceId()), key -> new ArrayList<>())
                    .add(decider(task))));
            return open;
        });
    }

    private Decider decider(Task task) {
        List<String> users = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        for (IdentityLink link : tasks.getIdentityLinksForTask(task.getId())) {
            if (IdentityLinkType.CANDIDATE.equals(link.getType())) {
                if (link.getUserId() != null) {
                    users.add(link.getUserId());
                }
                if (link.getGroupId() != null) {
                    groups.add(link.getGroupId());
                }
            }
        }
        return new Decider(task.getName(), task.getAssignee(), users, groups,
                task.getCreateTime() == null ? null : task.getCreateTime().toInstant());
    }

    private String subjectName(Kind kind, String subject) {
        if (kind == Kind.SCOPE_CHANGE) {
            return "partnership " + subject;
        }
        return identities.find(subject).map(identity -> identity.displayName() + " (" + identity.partnershipKey()
                + ")").orElse(subject);
    }

    private static String name(IdentityView identity) {
        return (identity.kind() == IdentityKind.HUMAN ? "Person " : "Machine ") + identity.displayName() + " ("
                + identity.partnershipKey() + ")";
    }

    private static String state(LifecycleState state, String reason, boolean invitationPending) {
        return state + (reason == null ? "" : ": " + reason) + (invitationPending ? " · invitation pending" : "");
    }

    private static String describe(Map<String, Object> fields) {
        List<String> parts = new ArrayList<>();
        new LinkedHashMap<>(fields).forEach((key, value) -> parts.add(key + ": " + value));
        return String.join("; ", parts);
    }

    /** {@code Task_ApproveAsSponsor} reads "Approve as sponsor". */
    static String taskName(String taskKey) {
        String name = taskKey.substring(taskKey.indexOf('_') + 1).replaceAll("(?<=[a-z])(?=[A-Z])", " ");
        return name.isEmpty() ? taskKey : name.charAt(0) + name.substring(1).toLowerCase(Locale.ROOT);
    }
}
