package org.partneraccess.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import org.partneraccess.support.InputTargets;
import org.partneraccess.support.ValidBodies;

/**
 * One valid call of every body-taking operation under {@code /api}, keyed as the OpenAPI document names it: who may make
 * it and a body that passes every check against the targets (an active partnership, its person, a machine). A new
 * operation without an entry here fails {@code ApiFuzzIT}. The order is the order of the fuzz: calls that end or
 * cut off the targets come last, so the others still meet a live partnership.
 */
final class ValidExamples {

    /** The real objects the paths name. */
    /** The path with its variables filled in: {@code key} a partnership, {@code id} the identity the path is about. */
    static String path(InputTargets targets, String template) {
        String id = template.startsWith("/api/machines/") ? targets.machine() : targets.person();
        return template.replace("{key}", targets.partnership()).replace("{id}", id);
    }

    /** A user allowed to make the call, and a fresh valid body (null for an operation that takes none). */
    record Example(String user, Function<InputTargets, Map<String, Object>> body) {
    }

    static final Map<String, Example> BY_OPERATION = new LinkedHashMap<>();

    static {
        BY_OPERATION.put("POST /api/partnerships", new Example("rita.requester", t -> ValidBodies.partnership()));
        BY_OPERATION.put("POST /api/partnerships/{key}/humans", new Example("rita.requester", t -> ValidBodies.person()));
        BY_OPERATION.put("POST /api/partnerships/{key}/machines", new Example("rita.requester",
                t -> ValidBodies.machine(t.machineKey())));
        BY_OPERATION.put("POST /api/partnerships/{key}/scope-changes", new Example("rita.requester",
                t -> ValidBodies.scopeChange()));
        BY_OPERATION.put("POST /api/partnerships/{key}/workload-trust", new Example("rita.requester",
                t -> new LinkedHashMap<>(Map.of("kind", "KUBERNETES", "issuer", "https://k8s.partner.example.org"))));
        BY_OPERATION.put("POST /api/identities/{id}/elevations", new Example("rita.requester",
                t -> ValidBodies.elevation()));
        BY_OPERATION.put("POST /api/machines/{id}/elevations", new Example("rita.requester",
                t -> ValidBodies.machineElevation()));
        BY_OPERATION.put("POST /api/machines/{id}/secret", new Example("ian.owner",
                t -> Map.of("token", "not-the-token")));
        BY_OPERATION.put("POST /api/machines/{id}/secret-renewal", new Example("ian.owner", t -> null));
        BY_OPERATION.put("POST /api/drift/reconciliations", new Example("sofia.security", t -> null));
        BY_OPERATION.put("POST /api/partnerships/{key}/risk-downgrades", new Example("sofia.security",
                t -> ValidBodies.reason("the vendor's rating fell to C")));
        BY_OPERATION.put("POST /api/partnerships/{key}/suspension", new Example("sofia.security",
                t -> ValidBodies.reason("the vendor's audit is overdue")));
        BY_OPERATION.put("POST /api/partnerships/{key}/resumption", new Example("sofia.security",
                t -> ValidBodies.reason("the vendor's audit arrived")));
        BY_OPERATION.put("POST /api/identities/{id}/incidents", new Example("sofia.security",
                t -> ValidBodies.incident()));
        BY_OPERATION.put("POST /api/partnerships/{key}/incidents", new Example("sofia.security",
                t -> ValidBodies.incident()));
        BY_OPERATION.put("POST /api/partnerships/{key}/termination", new Example("sofia.security",
                t -> ValidBodies.reason("the contract ends with the quarter")));
    }

    private ValidExamples() {
    }
}
