package org.partneraccess.support;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.partneraccess.machine.MachineFixtures;

/**
 * One valid body of each kind the API takes, fresh on every call (unique keys and addresses), valid against the
 * targets the input tests create: an active partnership of {@code MachineFixtures.activePartnership}, its person, a
 * machine. The hostile corpus and the fuzz both start from these, so a rule that tightens is met in one place.
 */
public final class ValidBodies {

    private ValidBodies() {
    }

    public static Map<String, Object> partnership() {
        String unique = unique();
        return PartnerAccessClient.validRequest("valid-" + unique, "contact." + unique + "@partner.example.org");
    }

    public static Map<String, Object> person() {
        return body("firstName", "Ada", "lastName", "Partner", "email", "ada." + unique() + "@partner.example.org",
                "roles", List.of("orders.read"), "purpose", "Plans shipments from open orders for the EU warehouses",
                "endDate", LocalDate.now().plusDays(30).toString());
    }

    public static Map<String, Object> machine(MachineFixtures.PartnerKey key) {
        return new LinkedHashMap<>(MachineFixtures.registration("SIGNED_JWT", key));
    }

    public static Map<String, Object> scopeChange() {
        return body("clientScopes", List.of("invoices.approve"), "dataClasses", List.of("internal"),
                "environments", List.of("test"), "reason", "invoices are reconciled against payments from next month");
    }

    public static Map<String, Object> elevation() {
        return body("role", "invoices.read", "reason", "quarter-end reconciliation of invoices", "hours", 2);
    }

    public static Map<String, Object> machineElevation() {
        return body("clientScopes", List.of("invoices.read"), "reason", "re-run of last night's invoice batch",
                "durationMinutes", 60);
    }

    public static Map<String, Object> incident() {
        return body("reason", "partner laptop stolen", "severity", "HIGH", "reporterReference", "SOC-4711");
    }

    /** Suspension, resumption, termination and a risk downgrade take a reason only. */
    public static Map<String, Object> reason(String reason) {
        return body("reason", reason);
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
