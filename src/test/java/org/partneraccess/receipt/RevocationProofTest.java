package org.partneraccess.receipt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.mockito.Mockito;
import org.partneraccess.audit.AuditEvent;
import org.partneraccess.audit.IdentityAction;
import org.partneraccess.audit.PartnershipAction;

/** The proof of the last incident, read from the trail: its report, the cut-offs that belong to it, the verdict. */
class RevocationProofTest {

    private final List<AuditEvent> trail = new ArrayList<>();

    private void entry(String actor, String action, String identity, String detail) {
        // real methods where not stubbed: the proof asks the entry whether it records an action
        AuditEvent event = mock(AuditEvent.class, Mockito.CALLS_REAL_METHODS);
        when(event.getOccurredAt()).thenReturn(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(trail.size()));
        when(event.getActor()).thenReturn(actor);
        when(event.getAction()).thenReturn(action);
        when(event.getIdentityId()).thenReturn(identity);
        when(event.getDetail()).thenReturn(detail);
        trail.add(event);
    }

    @Test
    void noIncidentNoProof() {
        entry("system", "PARTNERSHIP_ACTIVATED", null, null);
        assertThat(RevocationProof.of(trail, Map.of())).isNull();
    }

    @Test
    void theLastIncidentOnlyWithACutOffRecordedJustBeforeItsReport() {
        entry("ann", PartnershipAction.INCIDENT_REPORTED.name(), null, "LOW: first");
        entry("ann", IdentityAction.IDENTITY_CUT_OFF.name(), "i1", "first");
        entry("system", PartnershipAction.INCIDENT_VERIFIED.name(), null, "verified: first");
        entry("bob", "PARTNERSHIP_ACTIVE", null, "resumed");
        entry("sofia", IdentityAction.IDENTITY_CUT_OFF.name(), "i2", "second"); // the job committed before the report
        entry("sofia", PartnershipAction.INCIDENT_REPORTED.name(), null, "HIGH: second");
        entry("sofia", IdentityAction.IDENTITY_CUT_OFF.name(), "i3", "second");

        RevocationProof.Proof proof = RevocationProof.of(trail, Map.of());
        assertThat(proof.reportedBy()).isEqualTo("sofia");
        assertThat(proof.report()).isEqualTo("HIGH: second");
        assertThat(proof.identities()).extracting(RevocationProof.CutOff::identityId).containsExactly("i2", "i3");
        assertThat(proof.verifiedAt()).isNull();
        assertThat(proof.verified()).isFalse();

        entry("system", PartnershipAction.INCIDENT_VERIFIED.name(), null, "verified: second");
        proof = RevocationProof.of(trail, Map.of());
        assertThat(proof.verified()).isTrue();
        assertThat(proof.verification()).isEqualTo("verified: second");
    }

    @Test
    void theTrustsCutOffBeforeTheReportIsPartOfTheProofAndItsBasis() {
        entry("ann", PartnershipAction.WORKLOAD_TRUST_REVOKED.name(), "t0", "an earlier termination");
        entry("bob", "PARTNERSHIP_ACTIVE", null, "resumed");
        entry("sofia", PartnershipAction.WORKLOAD_TRUST_REVOKED.name(), "t1",
                "HIGH: leak; identity provider pa-t-acme disabled"); // the provider goes first, before the report
        entry("sofia", IdentityAction.IDENTITY_CUT_OFF.name(), "i1", "cut off");
        entry("sofia", PartnershipAction.INCIDENT_REPORTED.name(), null, "HIGH: leak");
        entry("system", PartnershipAction.INCIDENT_VERIFIED.name(), null,
                "verified: users=0 ...; identity provider=pa-t-acme (disabled)");

        RevocationProof.Proof proof = RevocationProof.of(trail, Map.of());
        assertThat(proof.trust()).extracting(RevocationProof.TrustCutOff::trustId).containsExactly("t1");
        assertThat(proof.trust().get(0).detail()).endsWith("identity provider pa-t-acme disabled");
        assertThat(proof.basis()).contains(trail.get(2)).doesNotContain(trail.get(0));
        assertThat(proof.verified()).isTrue();
    }
}
