package org.partneraccess.inventory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.persistence.criteria.Predicate;
import org.partneraccess.LifecycleState;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Which partner identities exist, why, who owns and approved them, and when each expires. */
@RestController
@PreAuthorize("hasAnyAuthority('GROUP_auditors', 'GROUP_security-officers', 'GROUP_identity-owners', 'GROUP_sponsors')")
public class InventoryController {

    static final int MAX_PAGE_SIZE = 500;

    private final PartnerIdentityRepository identities;

    InventoryController(PartnerIdentityRepository identities) {
        this.identities = identities;
    }

    public record IdentityView(String id, String partnershipKey, IdentityKind kind, LifecycleState state,
                               String stateReason, String displayName, String keycloakName, String owner,
                               String purpose, Set<String> clientScopes, Instant endDate, String requestedBy,
                               String approvedBy, Instant approvedAt, Instant nextReviewAt, Instant lastUsedAt,
                               Instant revokedAt) {

        static IdentityView of(PartnerIdentity i) {
            return new IdentityView(i.getId(), i.getPartnershipKey(), i.getKind(), i.getState(), i.getStateReason(),
                    i.getDisplayName(), i.getKeycloakName(), i.getOwner(), i.getPurpose(), i.getClientScopes(),
                    i.getEndDate(), i.getRequestedBy(), i.getApprovedBy(), i.getApprovedAt(), i.getNextReviewAt(),
                    i.getLastUsedAt(), i.getRevokedAt());
        }
    }

    public record IdentityPage(List<IdentityView> items, int page, int size, long total) {
    }

    @GetMapping("/api/identities")
    @Transactional(readOnly = true)
    public IdentityPage list(@RequestParam(required = false) LifecycleState state,
                             @RequestParam(required = false) IdentityKind kind,
                             @RequestParam(required = false) String partnership,
                             @RequestParam(required = false) String owner,
                             @RequestParam(required = false) Instant expiringBefore,
                             @RequestParam(defaultValue = "0") int page,
                             @RequestParam(defaultValue = "50") int size) {
        Specification<PartnerIdentity> filter = (root, query, cb) -> {
            List<Predicate> where = new ArrayList<>();
            if (state != null) {
                where.add(cb.equal(root.get("state"), state));
            }
            if (kind != null) {
                where.add(cb.equal(root.get("kind"), kind));
            }
            if (partnership != null) {
                where.add(cb.equal(root.get("partnershipKey"), partnership));
            }
            if (owner != null) {
                where.add(cb.equal(root.get("owner"), owner));
            }
            if (expiringBefore != null) {
                where.add(cb.lessThan(root.get("endDate"), expiringBefore));
            }
            return cb.and(where.toArray(Predicate[]::new));
        };
        PageRequest request = PageRequest.of(Math.max(page, 0), Math.min(Math.max(size, 1), MAX_PAGE_SIZE),
                Sort.by("endDate", "id"));
        Page<PartnerIdentity> found = identities.findAll(filter, request);
        return new IdentityPage(found.map(IdentityView::of).getContent(), found.getNumber(), found.getSize(),
                found.getTotalElements());
    }
}
