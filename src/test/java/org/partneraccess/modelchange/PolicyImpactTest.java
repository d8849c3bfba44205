package org.partneraccess.modelchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.partneraccess.decision.Decisions.PolicyRecord;
import org.partneraccess.policy.AccessPolicy.Trial;
import org.partneraccess.policy.PolicyDecision;
import org.partneraccess.policy.PolicyInput;
import org.partneraccess.policy.SubjectKind;

/** The reviewer's account of a changed policy: recorded decisions against the new table's, counted per group. */
class PolicyImpactTest {

    private static final Duration WINDOW = Duration.ofDays(90);
    private static final PolicyDecision LOW_MACHINE = new PolicyDecision("LOW", true, false, false, 365, 180, 60, 30, true);
    private static final PolicyDecision MEDIUM_MACHINE = new PolicyDecision("MEDIUM", false, false, true, 365, 180, 60, 30, true);
    private static final PolicyDecision LOW_PERSON = new PolicyDecision("LOW", false, false, false, 365, 180, 60, 30, true);
    private static final PolicyDecision LOW_PERSON_REVIEWED = new PolicyDecision("LOW", false, true, false, 365, 180, 60, 30, true);
    private static final Map<String, Object> WORKLOAD = new PolicyInput(SubjectKind.MACHINE, "WORKLOAD", Set.of("internal"),
            false, false).toVariables();
    private static final Map<String, Object> PERSON = new PolicyInput(SubjectKind.HUMAN, null, Set.of("public"),
            false, false).toVariables();

    private final List<PolicyRecord> recorded = new ArrayList<>();
    private final List<Trial> trials = new ArrayList<>();
    private long nextId = 1000;

    @Test
    void countsEachGroupOfChangedOutputsAndNamesFailures() {
        // 14 machine registrations LOW → MEDIUM: no longer auto-approved, now with their owner's approval
        seed(14, "MACHINE_POLICY_DECIDED", WORKLOAD, LOW_MACHINE, new Trial(MEDIUM_MACHINE, null));
        // 2 people now need a security officer
        seed(2, "POLICY_DECIDED", PERSON, LOW_PERSON, new Trial(LOW_PERSON_REVIEWED, null));
        // 1 elevation of a person the new table fails on
        seed(1, "ELEVATION_POLICY_DECIDED", PERSON, LOW_PERSON, new Trial(null, "no rule matches"));
        // 5 unchanged
        seed(5, "MACHINE_POLICY_DECIDED", WORKLOAD, LOW_MACHINE, new Trial(LOW_MACHINE, null));
        // 3 recorded before inputs were kept
        for (int i = 0; i < 3; i++) {
            recorded.add(new PolicyRecord(nextId++, "old-" + i, "POLICY_DECIDED", Instant.now(), LOW_PERSON.toVariables(),
                    null, null));
        }

        List<String> lines = PolicyImpact.summary("PartnerAccessPolicy.dmn", WINDOW, 10_000, recorded, trials);

        assertThat(lines).hasSize(6);
        assertThat(lines.get(0)).isEqualTo("Policy impact of PartnerAccessPolicy.dmn, before it is deployed: 22 recorded "
                + "policy decisions of the last 90 days replayed: 16 would come out differently, 1 would fail, 5 unchanged; "
                + "3 recorded without their inputs, not replayed.");
        assertThat(lines.get(1)).isEqualTo("  1 elevation of a person would fail on the new table: no rule matches — "
                + "/api/decisions/1016");
        assertThat(lines.get(2)).isEqualTo("  14 machine registrations: risk LOW → MEDIUM — /api/decisions/1000, "
                + "/api/decisions/1001, /api/decisions/1002, …");
        assertThat(lines.get(3)).startsWith("  14 machine registrations would no longer be auto-approved — ");
        assertThat(lines.get(4)).isEqualTo("  2 people would now need a security officer — /api/decisions/1014, "
                + "/api/decisions/1015");
        assertThat(lines.get(5)).startsWith("  14 machine registrations would now need their owner's approval — ");
    }

    @Test
    void anOutputRecordedDecisionsDidNotHaveYetIsNoChangeButAChangeOfItIsNamed() {
        PolicyDecision highMachine = new PolicyDecision("HIGH", false, true, true, 90, 30, 30, 7, false, true);
        Map<String, Object> beforeDpop = new java.util.LinkedHashMap<>(highMachine.toVariables());
        beforeDpop.remove(PolicyDecision.DPOP_REQUIRED);
        // recorded before the table had the output: nothing to compare it with
        for (int i = 0; i < 2; i++) {
            recorded.add(new PolicyRecord(nextId++, "old-" + i, "MACHINE_POLICY_DECIDED", Instant.now(), beforeDpop,
                    WORKLOAD, "PartnerAccessPolicy:1:x"));
            trials.add(new Trial(highMachine, null));
        }
        // recorded with it: a table that drops the binding says so
        seed(3, "MACHINE_POLICY_DECIDED", WORKLOAD, highMachine, new Trial(new PolicyDecision("HIGH", false, true, true,
                90, 30, 30, 7, false, false), null));

        List<String> lines = PolicyImpact.summary("p.dmn", WINDOW, 10_000, recorded, trials);

        assertThat(lines.get(0)).contains("5 recorded policy decisions", "3 would come out differently", "2 unchanged");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).startsWith("  3 machine registrations would no longer need DPoP-bound tokens — ");
    }

    @Test
    void saysSoWhenTheLimitCutTheWindowAndWhenNothingWasRecorded() {
        seed(2, "MACHINE_ELEVATION_POLICY_DECIDED", WORKLOAD, LOW_MACHINE, new Trial(LOW_MACHINE, null));

        assertThat(PolicyImpact.summary("p.dmn", WINDOW, 2, recorded, trials)).containsExactly("Policy impact of p.dmn, "
                + "before it is deployed: 2 recorded policy decisions of the last 90 days, the newest 2 replayed: "
                + "0 would come out differently, 0 would fail, 2 unchanged.");
        assertThat(PolicyImpact.summary("p.dmn", Duration.ofDays(30), 10_000, List.of(), List.of()))
                .containsExactly("Policy impact of p.dmn: no policy decisions recorded of the last 30 days.");
        assertThatThrownBy(() -> PolicyImpact.summary("p.dmn", WINDOW, 10_000, recorded, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void kindsOfRequestFollowTheSubjectAndTheStep() {
        Map<String, Object> partnership = new PolicyInput(SubjectKind.PARTNERSHIP, null, Set.of(), false, false).toVariables();
        assertThat(PolicyImpact.kind(record("POLICY_DECIDED", partnership)).many()).isEqualTo("partnerships");
        assertThat(PolicyImpact.kind(record("SCOPE_CHANGE_POLICY_DECIDED", partnership)).many())
                .isEqualTo("partnership scope changes");
        assertThat(PolicyImpact.kind(record("POLICY_DECIDED", PERSON)).one()).isEqualTo("person");
        assertThat(PolicyImpact.kind(record("ELEVATION_POLICY_DECIDED", PERSON)).many()).isEqualTo("elevations of people");
        assertThat(PolicyImpact.kind(record("MACHINE_POLICY_DECIDED", WORKLOAD)).many()).isEqualTo("machine registrations");
        assertThat(PolicyImpact.kind(record("MACHINE_ELEVATION_POLICY_DECIDED", WORKLOAD)).many())
                .isEqualTo("machine elevations");
    }

    private void seed(int count, String step, Map<String, Object> input, PolicyDecision decided, Trial trial) {
        for (int i = 0; i < count; i++) {
            recorded.add(new PolicyRecord(nextId++, "subject-" + nextId, step, Instant.now(), decided.toVariables(), input,
                    "PartnerAccessPolicy:1:x"));
            trials.add(trial);
        }
    }

    private static PolicyRecord record(String step, Map<String, Object> input) {
        return new PolicyRecord(1, "s", step, Instant.now(), Map.of(), input, null);
    }
}
