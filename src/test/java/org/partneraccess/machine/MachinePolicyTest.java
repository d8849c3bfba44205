package org.partneraccess.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.partneraccess.keycloak.PartnerRealm;
import org.partneraccess.policy.AccessPolicy;
import org.partneraccess.policy.PolicyInput;
import org.partneraccess.trust.WorkloadTrust;
import org.partneraccess.trust.WorkloadTrusts;

/** What the machine track sends to the access policy. */
class MachinePolicyTest {

    private final WorkloadTrusts trusts = mock(WorkloadTrusts.class);
    private final MachinePolicy policy = new MachinePolicy(mock(AccessPolicy.class), mock(PartnerRealm.class), trusts);
    private final Map<String, String> realm = Map.of("orders.read", "read", "orders.write", "write", "reports.export", "");

    @Test
    void writeIsAnyScopeNotMarkedReadAndProductionIsTheEnvironment() {
        PolicyInput readOnly = policy.inputFor("acme", "WORKLOAD", Set.of("internal"), "test", Set.of("orders.read"), realm);
        assertThat(readOnly.toVariables()).containsEntry("subjectKind", "MACHINE").containsEntry("machineKind", "WORKLOAD")
                .containsEntry("writeScopes", false).containsEntry("production", false);

        assertThat(policy.inputFor("acme", "WORKLOAD", Set.of("internal"), "production", Set.of("orders.read", "orders.write"), realm)
                .toVariables()).containsEntry("writeScopes", true).containsEntry("production", true);
        // a scope nobody classified must not pass as harmless
        assertThat(policy.inputFor("acme", "WORKLOAD", Set.of("internal"), "test", Set.of("reports.export"), realm).writeScopes())
                .isTrue();
    }

    @Test
    void aPartnershipWithAnApprovedWorkloadTrustIsSaidSoToThePolicy() {
        assertThat(policy.inputFor("acme", "WORKLOAD", Set.of("internal"), "test", Set.of("orders.read"), realm)
                .workloadTrust()).isFalse();
        when(trusts.activeFor("acme")).thenReturn(Optional.of(mock(WorkloadTrust.class)));
        assertThat(policy.inputFor("acme", "WORKLOAD", Set.of("internal"), "test", Set.of("orders.read"), realm)
                .toVariables()).containsEntry("workloadTrust", true);
        assertThat(policy.inputFor("other", "WORKLOAD", Set.of("internal"), "test", Set.of("orders.read"), realm)
                .workloadTrust()).isFalse();
    }

    @Test
    void theJwksCheckRefusesPrivateKeysAndAcceptsPublicRsaSigningKeys() {
        assertThat(MachineRegistrationService.jwksProblem("{\"keys\":[{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\",\"use\":\"sig\"}]}"))
                .isEmpty();
        assertThat(MachineRegistrationService.jwksProblem("{\"keys\":[{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\",\"d\":\"x\"}]}"))
                .hasValueSatisfying(problem -> assertThat(problem).contains("private key"));
        assertThat(MachineRegistrationService.jwksProblem("{\"keys\":[]}")).isPresent();
        assertThat(MachineRegistrationService.jwksProblem("[]")).isPresent();
        assertThat(MachineRegistrationService.jwksProblem("{")).isPresent();
    }
}
