package org.partneraccess.machine;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Set;

import org.partneraccess.LifecycleState;
import org.partneraccess.inventory.PartnerIdentity;
import org.partneraccess.keycloak.PartnerClients.AuthMethod;
import org.partneraccess.keycloak.PartnerClients;

/**
 * A partner machine as the API shows it: registry row and policy limits, never a credential. {@code endDate} is the
 * last day of access, as requested; access stops at {@code accessEndsAt}. {@code dpopBoundTokens}: its access tokens
 * are sender-constrained, Keycloak issues them only with a DPoP proof of a key the machine holds.
 */
public record MachineView(String id, String partnershipKey, String workloadName, String machineKind,
                          LifecycleState state, String stateReason, String owner, String purpose, String clientId,
                          String environment, Set<String> clientScopes, Set<String> elevatedScopes,
                          AuthMethod authMethod, boolean dpopBoundTokens, int tokenLifespanSeconds,
                          int rotationDays, String riskTier, LocalDate endDate, String requestedBy,
                          String approvedBy, Instant approvedAt,
                          Instant lastUsedAt, Instant lastRotatedAt, Instant revokedAt, Instant accessEndsAt) {

    static MachineView of(PartnerIdentity identity, MachineProfile profile) {
        return new MachineView(identity.getId(), identity.getPartnershipKey(), identity.getDisplayName(),
                profile.getMachineKind(), identity.getState(), identity.getStateReason(), identity.getOwner(),
                identity.getPurpose(), identity.getKeycloakName(), identity.getEnvironment(), identity.getClientScopes(),
                profile.getElevatedScopes(), profile.getAuthMethod(), profile.isDpopBoundTokens(),
                profile.getTokenLifespanSeconds(),
                profile.getRotationDays(), profile.getRiskTier(), identity.getLastDay(), identity.getRequestedBy(),
                identity.getApprovedBy(), identity.getApprovedAt(), identity.getLastUsedAt(),
                profile.getLastRotatedAt(), identity.getRevokedAt(), identity.getEndDate());
    }
}
