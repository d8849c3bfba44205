package org.partneraccess.human;

import org.partneraccess.audit.AuditLog;
import org.partneraccess.inventory.PartnerIdentity;
import org.partneraccess.inventory.PartnerIdentityRepository;
import org.partneraccess.keycloak.KeycloakGateway;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creates a partner person in the partner realm and marks the registry row active. Safe to repeat. */
@Service
public class HumanProvisioningService {

    private final PartnerIdentityRepository identities;
    private final KeycloakGateway keycloak;
    private final AuditLog audit;

    HumanProvisioningService(PartnerIdentityRepository identities, KeycloakGateway keycloak, AuditLog audit) {
        this.identities = identities;
        this.keycloak = keycloak;
        this.audit = audit;
    }

    @Transactional
    public String provision(String identityId) {
        PartnerIdentity identity = identities.findById(identityId)
                .orElseThrow(() -> new IllegalStateException("No partner identity " + identityId));
        String[] names = identity.getDisplayName().split(" ", 2);
        String keycloakId = keycloak.ensureUser(new KeycloakGateway.PartnerUser(identity.getKeycloakName(),
                identity.getEmail(), names[0], names.length > 1 ? names[1] : "", identity.getPartnershipKey(),
                identity.getId()));
        keycloak.addUserToGroup(keycloakId, keycloak.ensurePartnershipGroup(identity.getPartnershipKey()));
        identity.provisioned(keycloakId);
        audit.record("system", "IDENTITY_PROVISIONED", identity.getPartnershipKey(), identity.getId(),
                "keycloak user " + identity.getKeycloakName());
        return keycloakId;
    }
}
