package org.partneraccess.policy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the access policy decides on. Unknown data classes and machine kinds are rejected here: a misspelt value
 * must fail loudly rather than slip past a rule such as the one for AI agents.
 *
 * @param workloadTrust whether the partnership has an approved workload trust: its machines can authenticate with
 *                      their own workload's token, so the policy allows them no shared secret
 */
public record PolicyInput(SubjectKind subjectKind, String machineKind, Set<String> dataClasses,
                          boolean writeScopes, boolean production, boolean workloadTrust) {

    /** Least to most sensitive; the policy sees only the highest requested. */
    public static final List<String> DATA_CLASS_ORDER = List.of("public", "internal", "confidential", "regulated");
    public static final String PRODUCTION = "production";
    /** The access attribute value of a write or decision-impacting permission scope in the partner realm. */
    public static final String WRITE_ACCESS = "write";
    public static final Set<String> MACHINE_KINDS = Set.of("SERVICE_ACCOUNT", "WORKLOAD", "AI_AGENT");
    /** The input naming the {@link SubjectKind}. */
    public static final String SUBJECT_KIND = "subjectKind";
    /** The input saying whether the partnership has an approved workload trust. */
    public static final String WORKLOAD_TRUST = "workloadTrust";

    public PolicyInput {
        Objects.requireNonNull(subjectKind, "subjectKind");
        machineKind = machineKind == null || machineKind.isBlank() ? null : machineKind.trim();
        if (machineKind != null && subjectKind != SubjectKind.MACHINE) {
            throw new IllegalArgumentException("only a machine has a machine kind, not a " + subjectKind);
        }
        if (machineKind != null && !MACHINE_KINDS.contains(machineKind)) {
            throw new IllegalArgumentException("unknown machine kind: " + machineKind);
        }
        dataClasses = dataClasses == null ? Set.of() : dataClasses.stream()
                .map(dataClass -> Objects.requireNonNull(dataClass, "data class").trim().toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
        for (String dataClass : dataClasses) {
            if (!DATA_CLASS_ORDER.contains(dataClass)) {
                throw new IllegalArgumentException("unknown data class: " + dataClass);
            }
        }
    }

    /** An input for a partnership without an approved workload trust. */
    public PolicyInput(SubjectKind subjectKind, String machineKind, Set<String> dataClasses, boolean writeScopes,
                       boolean production) {
        this(subjectKind, machineKind, dataClasses, writeScopes, production, false);
    }

    /**
     * The input for scopes (or roles of the same names) given the partner realm's permission scopes and their
     * access; any write scope makes the request decision-impacting.
     */
    public static PolicyInput of(SubjectKind subjectKind, String machineKind, Set<String> dataClasses,
                                 Set<String> environments, Set<String> scopes, Map<String, String> permissionScopes) {
        boolean write = scopes.stream().anyMatch(scope -> WRITE_ACCESS.equals(permissionScopes.get(scope)));
        return new PolicyInput(subjectKind, machineKind, dataClasses, write, environments.contains(PRODUCTION));
    }

    /** The highest requested data class; nothing requested counts as public. */
    public String highestDataClass() {
        return dataClasses.stream().max((a, b) -> DATA_CLASS_ORDER.indexOf(a) - DATA_CLASS_ORDER.indexOf(b))
                .orElse("public");
    }

    /** The decision's input variables. */
    public Map<String, Object> toVariables() {
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put(SUBJECT_KIND, subjectKind.name());
        variables.put("machineKind", machineKind == null ? "" : machineKind);
        variables.put("highestDataClass", highestDataClass());
        variables.put("writeScopes", writeScopes);
        variables.put("production", production);
        variables.put(WORKLOAD_TRUST, workloadTrust);
        return variables;
    }
}
