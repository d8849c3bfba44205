package org.partneraccess.api;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import org.partneraccess.machine.MachineFixtures;
import org.partneraccess.support.PartnerAccessClient;

/**
 * One valid call of every body-taking operation under {@code /api}, keyed as the OpenAPI document names it: who may make
 * it and a body that passes every check against the targets (an active partnership, its person, a machine). A new
 * operation without an entry here fails {@code ApiFuzzIT}. The order is the order of the fuzz: calls that end or
 * cut off the targets come last, so the others still meet a live partnership.
 */
final class ValidExamples {

    /** The real objects the paths name. */
    record Targets(String partnership, String person, String machine, MachineFixtures.PartnerKey machineKey) {

        /** The path with its variables filled in: {@code key} a partnership, {@code id} the identity the path is about. */
        String path(String template) {
            String id = template.startsWith("/api/machines/") ? machine : person;
            return template.replace("{key}", partnership).replace("{id}", id);
        }
    }

    /** A user allowed to make the call, and a fresh valid body (null for an operation that takes none). */
    record Example(String user, Function<Targets, Map<String, Object>> body) {
    }

    static final Map<String, Example> BY_OPERATION = new LinkedHashMap<>();

    static {
        BY_OPERATION.put("POST /api/partnerships", new Example("rita.requester", t -> {
            String unique = unique();
            return PartnerAccessClient.validRequest("fuzz-" + unique, "contact." + unique + "@partner.example.org");
        }));
        BY_OPERATION.put("POST /api/partnerships/{key}/humans", new Example("rita.requester", t -> body(
                "firstName", "Ada", "lastName", "Partner", "email", "ada." + unique() + "@partner.example.org",
                "roles", List.of("orders.read"), "purpose", "Plans shipments from open orders for the EU warehouses",
                "endDate", LocalDate.now().plusDays(30).toString())));
        BY_OPERATION.put("POST /api/partnerships/{key}/machines", new Example("rita.requester",
                t -> new LinkedHashMap<>(MachineFixtures.registration("SIGNED_JWT", t.machineKey()))));
        BY_OPERATION.put("POST /api/partnerships/{key}/scope-changes", new Example("rita.requester", t -> body(
                "clientScopes", List.of("invoices.approve"), "dataClasses", List.of("internal"),
                "environments", List.of("test"), "reason", "invoices are reconciled against payments from next month")));
        BY_OPERATION.put("POST /api/identities/{id}/elevations", new Example("rita.requester", t -> body(
                "role", "invoices.read", "reason", "quarter-end reconciliation of invoices", "hours", 2)));
        BY_OPERATION.put("POST /api/machines/{id}/elevations", new Example("rita.requester", t -> body(
                "clientScopes", List.of("invoices.read"), "reason", "re-run of last night's invoice batch",
                "durationMinutes", 60)));
        BY_OPERATION.put("POST /api/machines/{id}/secret", new Example("ian.owner", t -> body("token", "not-the-token")));
        BY_OPERATION.put("POST /api/machines/{id}/secret-renewal", new Example("ian.owner", t -> null));
        BY_OPERATION.put("POST /api/drift/reconciliations", new Example("sofia.security", t -> null));
        BY_OPERATION.put("POST /api/partnerships/{key}/risk-downgrades", new Example("sofia.security",
                t -> body("reason", "the vendor's rating fell to C")));
        BY_OPERATION.put("POST /api/partnerships/{key}/suspension", new Example("sofia.security",
                t -> body("reason", "the vendor's audit is overdue")));
        BY_OPERATION.put("POST /api/partnerships/{key}/resumption", new Example("sofia.security",
                t -> body("reason", "the vendor's audit arrived")));
        BY_OPERATION.put("POST /api/identities/{id}/incidents", new Example("sofia.security", t -> body(
                "reason", "partner laptop stolen", "severity", "HIGH", "reporterReference", "SOC-4711")));
        BY_OPERATION.put("POST /api/partnerships/{key}/incidents", new Example("sofia.security", t -> body(
                "reason", "partner credentials found in a paste", "severity", "HIGH", "reporterReference", "SOC-4712")));
        BY_OPERATION.put("POST /api/partnerships/{key}/termination", new Example("sofia.security",
                t -> body("reason", "the contract ends with the quarter")));
    }

    private ValidExamples() {
    }

    private static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static Map<String, Object> body(Object... pairs) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            body.put((String) pairs[i], pairs[i + 1]);
        }
        return body;
    }
}
