package org.partneraccess.partnership;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.partneraccess.keycloak.PartnerRealm;
import org.partneraccess.policy.AccessPolicy;
import org.partneraccess.policy.PolicyDecision;
import org.partneraccess.policy.PolicyInput;
import org.partneraccess.policy.SubjectKind;
import org.springframework.stereotype.Component;

/** The access policy as it applies to a partnership: scope classes come from the partner realm itself. */
@Component
class PartnershipPolicy {

    private final AccessPolicy policy;
    private final PartnerRealm partnerRealm;

    PartnershipPolicy(AccessPolicy policy, PartnerRealm partnerRealm) {
        this.policy = policy;
        this.partnerRealm = partnerRealm;
    }

    /** The partner realm's permission scopes with their access; read once per check, it is a call to Keycloak. */
    Map<String, String> permissionScopes() {
        return partnerRealm.permissionScopes();
    }

    PolicyInput inputFor(Set<String> dataClasses, Set<String> environments, Set<String> scopes) {
        return inputFor(dataClasses, environments, scopes, permissionScopes());
    }

    PolicyInput inputFor(Set<String> dataClasses, Set<String> environments, Set<String> scopes,
                         Map<String, String> permissionScopes) {
        return PolicyInput.of(SubjectKind.PARTNERSHIP, null, dataClasses, environments, scopes, permissionScopes);
    }

    PolicyDecision decide(PolicyInput input) {
        return policy.decide(input);
    }

    static Set<String> unknownScopes(Set<String> scopes, Map<String, String> permissionScopes) {
        Set<String> unknown = new TreeSet<>(scopes);
        unknown.removeAll(permissionScopes.keySet());
        return unknown;
    }
}
