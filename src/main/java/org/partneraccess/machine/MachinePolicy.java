package org.partneraccess.machine;

import java.util.Map;
import java.util.Set;

import org.partneraccess.keycloak.PartnerRealm;
import org.partneraccess.trust.WorkloadTrusts;
import org.partneraccess.policy.AccessPolicy;
import org.partneraccess.policy.PolicyDecision;
import org.partneraccess.policy.PolicyInput;
import org.partneraccess.policy.SubjectKind;
import org.springframework.stereotype.Component;

/** The access policy as it applies to a machine: which scopes write comes from the partner realm itself. */
@Component
class MachinePolicy {

    static final String PRODUCTION = "production";

    private final AccessPolicy policy;
    private final PartnerRealm partnerRealm;
    private final WorkloadTrusts trusts;

    MachinePolicy(AccessPolicy policy, PartnerRealm partnerRealm, WorkloadTrusts trusts) {
        this.policy = policy;
        this.partnerRealm = partnerRealm;
        this.trusts = trusts;
    }

    /**
     * The partner realm's permission scopes with their access ({@code read} or {@code write}); a Keycloak call, made
     * once per HTTP request.
     */
    Map<String, String> permissionScopes() {
        return partnerRealm.permissionScopes();
    }

    PolicyInput inputFor(String partnershipKey, String machineKind, Set<String> dataClasses, String environment,
                         Set<String> scopes, Map<String, String> permissionScopes) {
        // anything not marked read counts as write: a scope someone forgot to classify must not pass as harmless
        boolean write = scopes.stream()
                .anyMatch(scope -> !"read".equals(permissionScopes.get(scope)));
        // with the partnership's workload issuer trusted, the machine can federate: the policy allows it no secret
        return new PolicyInput(SubjectKind.MACHINE, machineKind, dataClasses, write, PRODUCTION.equals(environment),
                trusts.activeFor(partnershipKey).isPresent());
    }

    PolicyDecision decide(PolicyInput input) {
        return policy.decide(input);
    }
}
