package org.partneraccess.partnership;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.partneraccess.keycloak.KeycloakAttributes;
import org.partneraccess.keycloak.KeycloakGateway;
import org.partneraccess.policy.AccessPolicy;
import org.partneraccess.policy.PolicyDecision;
import org.partneraccess.policy.PolicyInput;
import org.partneraccess.policy.SubjectKind;
import org.springframework.stereotype.Component;

/** The access policy as it applies to a partnership: scope classes come from the partner realm itself. */
@Component
class PartnershipPolicy {

    static final String PRODUCTION = "production";

    private final AccessPolicy policy;
    private final KeycloakGateway keycloak;

    PartnershipPolicy(AccessPolicy policy, KeycloakGateway keycloak) {
        this.policy = policy;
        this.keycloak = keycloak;
    }

    PolicyInput inputFor(Set<String> dataClasses, Set<String> environments, Set<String> scopes) {
        Map<String, String> known = keycloak.permissionScopes();
        boolean write = scopes.stream().anyMatch(scope -> KeycloakAttributes.WRITE_ACCESS.equals(known.get(scope)));
        return new PolicyInput(SubjectKind.PARTNERSHIP, null, dataClasses, write, environments.contains(PRODUCTION));
    }

    PolicyDecision decide(PolicyInput input) {
        return policy.decide(input);
    }

    Set<String> unknownScopes(Set<String> scopes) {
        Set<String> unknown = new TreeSet<>(scopes);
        unknown.removeAll(keycloak.permissionScopes().keySet());
        return unknown;
    }
}
