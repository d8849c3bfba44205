package org.partneraccess.security;

import java.util.Set;

/**
 * The delegates that call Keycloak or send mail, in one place: a task naming one must be a save point
 * ({@code asyncBefore} with a retry cycle), so a failure there is a retried job and then an incident, never a
 * rolled-back approval or a half-done revocation. Listed by hand: no type tells them apart (they call services).
 */
public final class SavePoints {

    public static final Set<String> DELEGATES = Set.of(
            // Keycloak
            "provisionPartnerContactDelegate", "provisionHumanAccessDelegate", "inviteHumanDelegate",
            "revokeHumanAccessDelegate", "grantElevationDelegate", "endElevationDelegate",
            "provisionMachineClientDelegate", "rotateClientSecretDelegate", "checkMachineLastUseDelegate",
            "grantMachineElevationDelegate", "removeMachineElevationDelegate", "suspendMachineClientDelegate",
            "resumeMachineClientDelegate", "revokeMachineAccessDelegate", "deleteMachineClientDelegate",
            "revokeForIncidentDelegate", "verifyRevocationDelegate", "suspendPartnershipDelegate",
            "resumePartnershipDelegate", "revokePartnershipDelegate", "correctDriftDelegate",
            // mail
            "notifyHumanAccessGrantedDelegate", "notifyHumanExpiryWarningDelegate", "notifyHumanAccessRevokedDelegate",
            "notifyMachineActiveDelegate", "notifySecretRotatedDelegate", "notifyMachineRevokedDelegate",
            "notifyPartnershipActiveDelegate", "notifySuspensionDelegate", "notifyPartnershipRevokedDelegate",
            "notifyOwnerlessAccessSuspendedDelegate", "notifyPartnershipRejectedDelegate",
            "notifyHumanAccessRejectedDelegate", "notifyMachineRejectedDelegate", "notifyApprovalOverdueDelegate");

    private SavePoints() {
    }
}
