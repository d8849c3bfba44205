package org.partneraccess.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The trail stores each action's name and each entry's hash covers it: the vocabulary's strings are fixed, and each
 * names one action only.
 */
class AuditActionTest {

    private static List<String> stored() {
        return Stream.of(IdentityAction.values(), PartnershipAction.values(), PolicyAction.values(),
                GovernanceAction.values()).flatMap(Stream::of).map(AuditAction::name).toList();
    }

    @Test
    void eachStoredStringNamesOneAction() {
        assertThat(stored()).doesNotHaveDuplicates();
    }

    @Test
    void theStoredStringsAreTheOnesEntriesWereWrittenWith() {
        assertThat(stored()).containsExactlyInAnyOrder(
                // a partner identity's
                "ACCESS_APPROVED", "ACCESS_REJECTED", "ACCESS_REQUESTED", "ELEVATION_ENDED", "ELEVATION_GRANTED",
                "ELEVATION_REJECTED", "IDENTITY_CUT_OFF", "IDENTITY_FIRST_USED", "IDENTITY_PROVISIONED",
                "IDENTITY_RECERTIFIED", "IDENTITY_RESUMED", "IDENTITY_REVOKED", "IDENTITY_SUSPENDED",
                "IDENTITY_TRANSITION_REFUSED", "IDENTITY_UNDER_REVIEW", "INVITATION_SENT", "MACHINE_APPROVED",
                "MACHINE_CLIENT_DELETED", "MACHINE_CLIENT_PROVISIONED", "MACHINE_ELEVATION_GRANTED",
                "MACHINE_ELEVATION_REJECTED", "MACHINE_ELEVATION_REMOVED", "MACHINE_REGISTRATION_REQUESTED",
                "MACHINE_REJECTED", "MACHINE_RESUMED", "MACHINE_REVOKED", "MACHINE_SECRET_HANDOVER_OPENED",
                "MACHINE_SECRET_RENEWAL_REQUESTED", "MACHINE_SECRET_RETRIEVAL_REFUSED", "MACHINE_SECRET_RETRIEVED",
                "MACHINE_SECRET_ROTATED", "MACHINE_SUSPENDED", "MACHINE_UNUSED", "MACHINE_USE_CONFIRMED",
                // a partnership's
                "INCIDENT_PROCESS_UNAVAILABLE", "INCIDENT_REPORTED", "INCIDENT_VERIFIED", "PARTNERSHIP_ACTIVATED",
                "PARTNERSHIP_ACTIVE", "PARTNERSHIP_APPROVED", "PARTNERSHIP_RECERTIFIED", "PARTNERSHIP_REJECTED",
                "PARTNERSHIP_REQUESTED", "PARTNERSHIP_REVOKED", "PARTNERSHIP_SCOPES_REDUCED", "PARTNERSHIP_SUSPENDED",
                "PARTNERSHIP_UNDER_REVIEW", "RESUMPTION_PROCESS_UNAVAILABLE", "SCOPE_CHANGE_APPLIED",
                "SCOPE_CHANGE_REJECTED", "SUSPENSION_PROCESS_CAUGHT_UP", "TERMINATION_PROCESS_UNAVAILABLE",
                "WORKLOAD_TRUST_APPROVED", "WORKLOAD_TRUST_CUT_OFF_FAILED", "WORKLOAD_TRUST_REJECTED",
                "WORKLOAD_TRUST_REQUESTED", "WORKLOAD_TRUST_RESUMED", "WORKLOAD_TRUST_REVOKED",
                "WORKLOAD_TRUST_SUSPENDED",
                // the policy's
                "ELEVATION_POLICY_DECIDED", "MACHINE_ELEVATION_POLICY_DECIDED", "MACHINE_POLICY_DECIDED",
                "POLICY_DECIDED", "SCOPE_CHANGE_POLICY_DECIDED",
                // the service's own controls
                "DRIFT_ACCEPTED", "DRIFT_CORRECTED", "DRIFT_CORRECTION_REFUSED", "DRIFT_GONE", "DRIFT_REVIEW_DECIDED",
                "DRIFT_REVIEW_OPENED", "MODEL_CHANGE_APPROVED", "MODEL_CHANGE_EXPIRED", "MODEL_CHANGE_REJECTED",
                "MODEL_CHANGE_SUBMITTED", "OWNERLESS_ACCESS_LEFT", "OWNERLESS_ACCESS_SUSPENDED", "OWNERSHIP_TRANSFERRED",
                "OWNER_DEPARTED", "REVOCATION_DRILL_CLEANED_UP", "REVOCATION_DRILL_FAILED", "REVOCATION_DRILL_STARTED",
                "REVOCATION_DRILL_VERIFIED", "STAFF_ACCOUNT_REFUSED");
    }
}
