package org.partneraccess.decision;

import java.time.Instant;
import java.util.Map;

import io.swagger.v3.oas.annotations.Operation;
import org.partneraccess.policy.AccessPolicy;
import org.partneraccess.policy.PolicyDecision;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The decision record for auditors and security officers: who or what decided, on what. A policy decision is replayed
 * on the exact version of the table that took it, so "why was this provisioned without a person?" has an answer that
 * does not depend on today's table.
 */
@RestController
@PreAuthorize("hasAnyAuthority('GROUP_auditors', 'GROUP_security-officers')")
class DecisionController {

    private final Decisions decisions;
    private final AccessPolicy policy;

    DecisionController(Decisions decisions, AccessPolicy policy) {
        this.decisions = decisions;
        this.policy = policy;
    }

    record DecisionView(long id, String subject, String step, String processInstanceId, String decidedBy,
                        Instant decidedAt, Map<String, Object> outcome, Replay replay) {
    }

    /** The recorded outcome against what the same table version decides for the recorded input today. */
    record Replay(String definitionId, Map<String, Object> outcome, boolean sameOutcome) {
    }

    @Operation(summary = "One recorded decision; a policy decision replayed on the table version that took it")
    @GetMapping("/api/decisions/{id}")
    DecisionView decision(@PathVariable long id) {
        Decision decision = decisions.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                "No decision " + id));
        return new DecisionView(decision.getId(), decision.getSubject(), decision.getStep(),
                decision.getProcessInstanceId(), decision.getDecidedBy(), decision.getDecidedAt(),
                Decisions.outcome(decision), replay(Decisions.policyRecord(decision)));
    }

    private Replay replay(Decisions.PolicyRecord recorded) {
        if (!recorded.replayable() || recorded.definitionId() == null) {
            return null;
        }
        PolicyDecision replayed = policy.replay(recorded.definitionId(), recorded.input());
        return new Replay(recorded.definitionId(), replayed.toVariables(),
                replayed.toVariables().equals(recorded.outputs()));
    }
}
