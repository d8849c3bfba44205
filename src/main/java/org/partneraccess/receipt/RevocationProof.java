package org.partneraccess.receipt;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.partneraccess.audit.AuditEvent;
import org.partneraccess.audit.AuditAction;
import org.partneraccess.audit.AuditLog;
import org.partneraccess.audit.IdentityAction;
import org.partneraccess.audit.PartnershipAction;
import org.partneraccess.inventory.IdentityView;
import org.springframework.stereotype.Component;

/**
 * The proof that the partnership's last incident took effect, read from the audit trail: who reported it and when
 * ({@code INCIDENT_REPORTED}), when the workload trust's identity provider was cut off ({@code WORKLOAD_TRUST_REVOKED},
 * or its failure), when each identity was cut off and by whose report ({@code IDENTITY_CUT_OFF}), and what Keycloak
 * showed when the cut-off was verified ({@code INCIDENT_VERIFIED}).
 */
@Component
public class RevocationProof {

    /** What a cut-off writes, and may write before its report is recorded. */
    private static final AuditAction[] CUT_OFF_ENTRIES = {IdentityAction.IDENTITY_CUT_OFF,
            PartnershipAction.INCIDENT_PROCESS_UNAVAILABLE, PartnershipAction.PARTNERSHIP_SUSPENDED,
            PartnershipAction.WORKLOAD_TRUST_REVOKED, PartnershipAction.WORKLOAD_TRUST_CUT_OFF_FAILED};
    /** The workload trust's part of a cut-off: its provider disabled first, or the attempt failed. */
    private static final AuditAction[] TRUST_ENTRIES = {PartnershipAction.WORKLOAD_TRUST_REVOKED,
            PartnershipAction.WORKLOAD_TRUST_CUT_OFF_FAILED};

    /** One identity's cut-off; {@code detail} holds the reason and, for a machine, what the old secret got. */
    public record CutOff(String identityId, String name, String kind, Instant cutOffAt, String by, String detail) {
    }

    /**
     * The last incident: {@code reportedAt} and {@code reportedBy} are null for an incident reported before reports
     * were audited; {@code verifiedAt} is null until the verification ran, {@code verified} says whether it held.
     * {@code basis}: the audit entries it is read from (report, cut-offs, verification), in the trail's order.
     */
    public record Proof(Instant reportedAt, String reportedBy, String report, List<CutOff> identities, Instant verifiedAt,
                        boolean verified, String verification, List<AuditEvent> basis, List<TrustCutOff> trust) {
    }

    /**
     * The workload trust's cut-off: {@code action} says whether its identity provider was disabled
     * ({@code WORKLOAD_TRUST_REVOKED}, its {@code detail} naming the provider) or the attempt failed.
     */
    public record TrustCutOff(String trustId, String action, Instant at, String by, String detail) {
    }

    private final AuditLog audit;

    RevocationProof(AuditLog audit) {
        this.audit = audit;
    }

    /** The last incident's proof, or null when no incident was ever reported or cut anything off. */
    public Proof of(String partnershipKey, Map<String, IdentityView> identities) {
        return of(audit.ofPartnership(partnershipKey), identities);
    }

    /**
     * The last report and everything after it belong to the last incident, and so do the cut-off entries just before
     * it: the report is recorded once it was accepted, so the cut-off it set off may come first in the trail.
     */
    static Proof of(List<AuditEvent> trail, Map<String, IdentityView> identities) {
        int last = -1;
        for (int i = 0; i < trail.size(); i++) {
            if (trail.get(i).is(PartnershipAction.INCIDENT_REPORTED)) {
                last = i;
            }
        }
        int start = Math.max(last, 0);
        while (last > 0 && start > 0 && trail.get(start - 1).is(CUT_OFF_ENTRIES)) {
            start--;
        }
        AuditEvent report = last < 0 ? null : trail.get(last);
        List<CutOff> cutOffs = new ArrayList<>();
        List<AuditEvent> basis = new ArrayList<>();
        List<TrustCutOff> trust = new ArrayList<>();
        AuditEvent verification = null;
        for (AuditEvent event : trail.subList(start, trail.size())) {
            if (event == report || event.is(IdentityAction.IDENTITY_CUT_OFF, PartnershipAction.INCIDENT_VERIFIED)
                    || event.is(TRUST_ENTRIES)) {
                basis.add(event);
            }
            if (event.is(TRUST_ENTRIES)) {
                trust.add(new TrustCutOff(event.getIdentityId(), event.getAction(), event.getOccurredAt(),
                        event.getActor(), event.getDetail()));
            }
            if (event.is(IdentityAction.IDENTITY_CUT_OFF)) {
                IdentityView identity = identities.get(event.getIdentityId());
                cutOffs.add(new CutOff(event.getIdentityId(), identity == null ? null : identity.displayName(),
                        identity == null ? null : identity.kind().name(), event.getOccurredAt(), event.getActor(),
                        event.getDetail()));
            } else if (event.is(PartnershipAction.INCIDENT_VERIFIED)) {
                verification = event;
            }
        }
        if (report == null && cutOffs.isEmpty()) {
            return null;
        }
        return new Proof(report == null ? null : report.getOccurredAt(), report == null ? null : report.getActor(),
                report == null ? null : report.getDetail(), cutOffs,
                verification == null ? null : verification.getOccurredAt(),
                verification != null && verification.getDetail() != null
                        && verification.getDetail().startsWith("verified"),
                verification == null ? null : verification.getDetail(), List.copyOf(basis), List.copyOf(trust));
    }
}
