package org.partneraccess.audit;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Audit evidence for auditors and security officers: what happened to an identity, and whether the trail is intact. */
@RestController
@PreAuthorize("hasAnyAuthority('GROUP_auditors', 'GROUP_security-officers')")
public class AuditController {

    private final AuditLog audit;

    AuditController(AuditLog audit) {
        this.audit = audit;
    }

    public record Evidence(Long id, Instant occurredAt, String actor, String action, String partnershipKey,
                           String identityId, String detail, String hash) {

        static Evidence of(AuditEvent event) {
            return new Evidence(event.getId(), event.getOccurredAt(), event.getActor(), event.getAction(),
                    event.getPartnershipKey(), event.getIdentityId(), event.getDetail(), event.getHash());
        }
    }

    @GetMapping("/api/identities/{id}/evidence")
    public List<Evidence> evidenceOf(@PathVariable String id) {
        return audit.ofIdentity(id).stream().map(Evidence::of).toList();
    }

    /** Recomputes the whole hash chain; names the first entry that was changed, or whose predecessor is gone. */
    @GetMapping("/api/audit/verification")
    public Map<String, Object> verify() {
        Long broken = audit.firstBrokenEntry();
        return broken == null ? Map.of("intact", true) : Map.of("intact", false, "firstBrokenEntry", broken);
    }
}
