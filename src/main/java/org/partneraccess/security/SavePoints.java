package org.partneraccess.security;

import java.util.Set;

/**
 * The delegates that call Keycloak or send mail, in one place: a task naming one must be a save point
 * ({@code asyncBefore} with a retry cycle), so a failure there is a retried job and then an incident, never a
 * rolled-back approval or a half-done revocation. Listed here for the deployment checks; a test follows each
 * delegate's calls through the services and fails when one that changes Keycloak or sends mail is missing.
 */
public final class SavePoints {

    public static final Set<String> DELEGATES = Set.of(
            // Keycloak
            "provisionPartnerContactDelegate", "provisionHumanAccessDelegate", "inviteHumanDelegate",
            "revokeHumanAccessDelegate", "recordHumanRecertificationDelegate", "grantElevationDelegate", "endElevationDelegate",
            "provisionMachineClientDelegate", "rotateClientSecretDelegate", "checkMachineLastUseDelegate",
            "grantMachineElevationDelegate", "removeMachineElevationDelegate", "suspendMachineClientDelegate",
            "resumeMachineClientDelegate", "revokeMachineAccessDelegate", "deleteMachineClientDelegate",
            "revokeForIncidentDelegate", "verifyRevocationDelegate", "suspendPartnershipDelegate",
            "resumePartnershipDelegate", "revokePartnershipDelegate", "correctDriftDelegate", "provisionWorkloadTrustDelegate",
            // mail
            "notifyHumanAccessGrantedDelegate", "notifyHumanExpiryWarningDelegate", "notifyHumanAccessRevokedDelegate",
            "notifyMachineActiveDelegate", "notifySecretRotatedDelegate", "notifyMachineRevokedDelegate",
            "notifyPartnershipActiveDelegate", "notifySuspensionDelegate", "notifyPartnershipRevokedDelegate",
            "notifyOwnerlessAccessSuspendedDelegate", "notifyPartnershipRejectedDelegate",
            "notifyHumanAccessRejectedDelegate", "notifyMachineRejectedDelegate", "notifyApprovalOverdueDelegate");

    private SavePoints() {
    }
}
