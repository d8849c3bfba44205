package org.partneraccess.modelchange;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.camunda.bpm.dmn.engine.DmnDecision;
import org.partneraccess.decision.Decisions;
import org.partneraccess.decision.Decisions.PolicyRecord;
import org.partneraccess.policy.AccessPolicy;
import org.partneraccess.policy.AccessPolicy.Trial;
import org.partneraccess.policy.PolicyDecision;
import org.partneraccess.policy.PolicyInput;
import org.partneraccess.policy.SubjectKind;
import org.springframework.stereotype.Component;

/**
 * What a changed access policy would have decided, before it is deployed: the recorded policy decisions of the
 * configured window (the newest, up to the configured number) are evaluated again on the proposed table and compared
 * with what was decided, grouped by kind of request and output, with a few decision ids per group. Nothing is
 * deployed or recorded.
 */
@Component
public class PolicyImpact {

    private static final int IDS_SHOWN = 3;
    private static final List<String> DMN_SUFFIXES = List.of(".dmn", ".dmn11.xml");

    private final Decisions decisions;
    private final AccessPolicy policy;
    private final ModelChangeProperties properties;

    PolicyImpact(Decisions decisions, AccessPolicy policy, ModelChangeProperties properties) {
        this.decisions = decisions;
        this.policy = policy;
        this.properties = properties;
    }

    /** The impact lines of the proposed files: none unless one of them changes the access policy's table. */
    public List<String> of(Map<String, String> proposed, Map<String, String> live) {
        for (Map.Entry<String, String> file : proposed.entrySet()) {
            if (DMN_SUFFIXES.stream().noneMatch(file.getKey()::endsWith) || file.getValue().equals(live.get(file.getKey()))) {
                continue;
            }
            Optional<DmnDecision> table = policy.parseProposed(file.getValue());
            if (table.isPresent()) {
                List<PolicyRecord> recorded = decisions.policyDecisions(
                        Instant.now().minus(properties.impactWindow()), properties.impactLimit());
                List<Trial> trials = policy.trial(table.get(),
                        recorded.stream().filter(PolicyRecord::replayable).map(PolicyRecord::input).toList());
                return summary(file.getKey(), properties.impactWindow(), properties.impactLimit(), recorded, trials);
            }
        }
        return List.of();
    }

    /** A kind of request, as the reviewer counts it. */
    record Kind(String one, String many) {
    }

    /** Decisions of one kind that change one output the same way (or fail the same way); {@code rank} orders them. */
    private record Group(int rank, Kind kind, String change) {
    }

    /**
     * The headline and one line per group: failures first, then the outputs in the table's order, the larger groups
     * first. {@code trials} are the outcomes of the replayable ones of {@code recorded}, in order.
     */
    public static List<String> summary(String resource, Duration window, int limit, List<PolicyRecord> recorded,
                                       List<Trial> trials) {
        List<PolicyRecord> replayed = recorded.stream().filter(PolicyRecord::replayable).toList();
        if (replayed.size() != trials.size()) {
            throw new IllegalArgumentException(trials.size() + " outcomes for " + replayed.size() + " decisions");
        }
        String scope = "of the last " + days(window) + (recorded.size() >= limit ? ", the newest " + number(limit) : "");
        if (recorded.isEmpty()) {
            return List.of("Policy impact of " + resource + ": no policy decisions recorded " + scope + ".");
        }
        Map<Group, List<Long>> groups = new LinkedHashMap<>();
        int changed = 0;
        int failed = 0;
        for (int i = 0; i < replayed.size(); i++) {
            PolicyRecord decision = replayed.get(i);
            Trial trial = trials.get(i);
            Kind kind = kind(decision);
            if (trial.failure() != null) {
                failed++;
                groups.computeIfAbsent(new Group(-1, kind, " would fail on the new table: " + trial.failure()),
                        group -> new ArrayList<>()).add(decision.id());
                continue;
            }
            boolean differs = false;
            int rank = 0;
            for (Map.Entry<String, Object> output : trial.decision().toVariables().entrySet()) {
                Object was = decision.outputs().get(output.getKey());
                // an output the table did not have when this was decided (dpopRequired) has nothing to differ from
                if (decision.outputs().containsKey(output.getKey()) && !Objects.equals(was, output.getValue())) {
                    differs = true;
                    groups.computeIfAbsent(new Group(rank, kind, change(output.getKey(), was, output.getValue())),
                            group -> new ArrayList<>()).add(decision.id());
                }
                rank++;
            }
            changed += differs ? 1 : 0;
        }
        int skipped = recorded.size() - replayed.size();
        List<String> lines = new ArrayList<>();
        lines.add("Policy impact of " + resource + ", before it is deployed: " + number(replayed.size())
                + " recorded policy decisions " + scope + " replayed: " + number(changed)
                + " would come out differently, " + number(failed) + " would fail, "
                + number(replayed.size() - changed - failed) + " unchanged"
                + (skipped > 0 ? "; " + number(skipped) + " recorded without their inputs, not replayed" : "") + ".");
        groups.entrySet().stream()
                .sorted(Comparator.<Map.Entry<Group, List<Long>>>comparingInt(group -> group.getKey().rank())
                        .thenComparing(group -> -group.getValue().size())
                        .thenComparing(group -> group.getKey().kind().many())
                        .thenComparing(group -> group.getKey().change()))
                .forEach(group -> lines.add(line(group.getKey(), group.getValue())));
        return lines;
    }

    private static String line(Group group, List<Long> ids) {
        List<String> links = ids.stream().limit(IDS_SHOWN).map(id -> "/api/decisions/" + id).toList();
        return "  " + number(ids.size()) + " " + (ids.size() == 1 ? group.kind().one() : group.kind().many())
                + group.change() + " — " + String.join(", ", links) + (ids.size() > IDS_SHOWN ? ", …" : "");
    }

    /** The kind from the subject the input names and the step that asked (elevations and scope changes say so). */
    static Kind kind(PolicyRecord decision) {
        String subject = String.valueOf(decision.input().get(PolicyInput.SUBJECT_KIND));
        boolean machine = SubjectKind.MACHINE.name().equals(subject);
        if (decision.step().contains("ELEVATION")) {
            return machine ? new Kind("machine elevation", "machine elevations")
                    : new Kind("elevation of a person", "elevations of people");
        }
        if (decision.step().contains("SCOPE_CHANGE")) {
            return new Kind("partnership scope change", "partnership scope changes");
        }
        if (machine) {
            return new Kind("machine registration", "machine registrations");
        }
        if (SubjectKind.HUMAN.name().equals(subject)) {
            return new Kind("person", "people");
        }
        if (SubjectKind.PARTNERSHIP.name().equals(subject)) {
            return new Kind("partnership", "partnerships");
        }
        if (SubjectKind.WORKLOAD_TRUST.name().equals(subject)) {
            return new Kind("workload trust", "workload trusts");
        }
        return new Kind(decision.step() + " decision", decision.step() + " decisions");
    }

    /** One output's change in words; it reads after a count and a kind ("3 machine registrations …"). */
    private static String change(String output, Object was, Object now) {
        boolean gained = Boolean.TRUE.equals(now);
        return switch (output) {
            case PolicyDecision.RISK_TIER -> ": risk " + was + " → " + now;
            case PolicyDecision.AUTO_APPROVE -> gained ? " would now be auto-approved" : " would no longer be auto-approved";
            case PolicyDecision.SECURITY_OFFICER_APPROVAL -> gained ? " would now need a security officer"
                    : " would no longer need a security officer";
            case PolicyDecision.OWNER_APPROVAL -> gained ? " would now need their owner's approval"
                    : " would no longer need their owner's approval";
            case PolicyDecision.CLIENT_SECRET_ALLOWED -> gained ? " would now be allowed a client secret"
                    : " would no longer be allowed a client secret";
            case PolicyDecision.DPOP_REQUIRED -> gained ? " would now need DPoP-bound tokens"
                    : " would no longer need DPoP-bound tokens";
            case PolicyDecision.MAX_ACCESS_DAYS -> ": access for at most " + was + " → " + now + " days";
            case PolicyDecision.REVIEW_CADENCE_DAYS -> ": reviewed every " + was + " → " + now + " days";
            case PolicyDecision.MAX_TOKEN_LIFESPAN_SECONDS -> ": tokens live " + was + " → " + now + " s";
            case PolicyDecision.ROTATION_DAYS -> ": credentials rotated every " + was + " → " + now + " days";
            default -> ": " + output + " " + was + " → " + now;
        };
    }

    private static String days(Duration window) {
        return window.toHours() % 24 == 0 ? window.toDays() + " days" : window.toString();
    }

    private static String number(long value) {
        return String.format(Locale.ENGLISH, "%,d", value);
    }
}
