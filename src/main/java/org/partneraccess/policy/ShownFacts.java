package org.partneraccess.policy;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.partneraccess.Variables;

/**
 * What an approval or review form shows of the access it decides on, as plain text: a form's text field renders
 * neither a list nor JSON. Built from the registry and the policy's decision, never from what a requester sent, and
 * set as variables for the forms alone: a display cache that no gateway, delegate or grant reads.
 */
public final class ShownFacts {

    private final Map<String, Object> variables = new LinkedHashMap<>();

    public static ShownFacts of() {
        return new ShownFacts();
    }

    public ShownFacts scopes(Collection<String> scopes) {
        return put(ShownVariables.SHOWN_SCOPES, list(scopes));
    }

    public ShownFacts roles(Collection<String> roles) {
        return put(ShownVariables.SHOWN_ROLES, list(roles));
    }

    public ShownFacts dataClasses(Collection<String> dataClasses) {
        return put(ShownVariables.SHOWN_DATA_CLASSES, list(dataClasses));
    }

    public ShownFacts environments(Collection<String> environments) {
        return put(ShownVariables.SHOWN_ENVIRONMENTS, list(environments));
    }

    /** Who answers for the access, as role and staff user pairs: "sponsor", "alice", "technical owner", "bob". */
    public ShownFacts owners(String... rolesAndUsers) {
        StringBuilder owners = new StringBuilder();
        for (int i = 0; i + 1 < rolesAndUsers.length; i += 2) {
            owners.append(owners.isEmpty() ? "" : "; ").append(rolesAndUsers[i]).append(": ")
                    .append(rolesAndUsers[i + 1] == null ? "none" : rolesAndUsers[i + 1]);
        }
        return put(ShownVariables.SHOWN_OWNERS, owners.toString());
    }

    public ShownFacts contact(String name, String email) {
        return put(ShownVariables.SHOWN_CONTACT, name + " <" + email + ">");
    }

    /** The partnership a person or machine joins: its partner's name, key, and what it may reach. */
    public ShownFacts partnership(String legalName, String key, String riskTier) {
        return put(ShownVariables.SHOWN_PARTNERSHIP, legalName + " (" + key + ")"
                + (riskTier == null ? "" : ", risk tier " + riskTier));
    }

    /** The policy's risk tier and why: the table row that decided it; and how long access lasts against its limit. */
    public ShownFacts policy(PolicyDecision decision, LocalDate lastDay) {
        put(Variables.RISK_TIER, decision.riskTier());
        put(ShownVariables.RISK_RULE, rule(decision));
        long days = ChronoUnit.DAYS.between(LocalDate.now(ZoneOffset.UTC), lastDay) + 1;
        return put(ShownVariables.SHOWN_LIFESPAN, days + " days, through " + lastDay + " (the policy allows at most "
                + decision.maxAccessDays() + " days for risk tier " + decision.riskTier() + ")");
    }

    /** The policy's decision on a requested change: the risk tier with the change, and why. */
    public ShownFacts change(PolicyDecision decision) {
        put(ShownVariables.CHANGE_RISK_TIER, decision.riskTier());
        return put(ShownVariables.CHANGE_RISK_RULE, rule(decision));
    }

    public Map<String, Object> toVariables() {
        return Map.copyOf(variables);
    }

    /** Names sorted and comma separated; "none" for none. */
    public static String list(Collection<String> names) {
        return names == null || names.isEmpty() ? "none" : new TreeSet<>(names).stream().collect(Collectors.joining(", "));
    }

    private static String rule(PolicyDecision decision) {
        return decision.rule() == null ? "not recorded" : decision.rule();
    }

    private ShownFacts put(String name, Object value) {
        variables.put(name, value);
        return this;
    }
}
