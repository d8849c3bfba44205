package org.partneraccess.machine;

import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

import org.partneraccess.inventory.PartnerIdentity;
import org.partneraccess.keycloak.PartnerClients.AuthMethod;
import org.partneraccess.mail.MailNotifier;
import org.partneraccess.mail.PublicLinks;
import org.partneraccess.security.StaffDirectory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.partneraccess.keycloak.PartnerClients;

/**
 * The mails a machine's owner receives. A mail that opens a secret hand-over carries the one-time token, never the
 * secret; if sending fails, the hand-over is rolled back with it and opened afresh when the job is retried.
 */
@Service
public class MachineNotices {

    private final MachineRegistrationService registrations;
    private final SecretHandoverService handovers;
    private final StaffDirectory staff;
    private final MailNotifier mail;
    private final MachineProperties properties;
    private final PublicLinks links;

    MachineNotices(MachineRegistrationService registrations, SecretHandoverService handovers, StaffDirectory staff,
                   MailNotifier mail, MachineProperties properties, PublicLinks links) {
        this.registrations = registrations;
        this.handovers = handovers;
        this.staff = staff;
        this.mail = mail;
        this.properties = properties;
        this.links = links;
    }

    @Transactional
    public void active(String identityId) {
        PartnerIdentity machine = registrations.machine(identityId);
        MachineProfile profile = registrations.profile(identityId);
        String credential = switch (profile.getAuthMethod()) {
            case CLIENT_SECRET -> collect(identityId, SecretTicket.Purpose.ISSUED);
            case SIGNED_JWT -> """
                  The client authenticates with a JWT signed by the partner's own key (private_key_jwt): there is no
                  shared secret to hand over. Keys: %s
                  """.formatted(profile.getJwksUrl() != null ? profile.getJwksUrl() : "registered with the request");
            case FEDERATED -> """
                  The client authenticates with its workload's own token, issued by the partnership's trusted workload
                  issuer for the subject %s (federated client authentication): there is no key or secret to hand
                  over. The token's audience must be the partner realm's issuer URL.
                  """.formatted(profile.getWorkloadSubject());
        };
        mail.send(to(machine), "Machine " + machine.getKeycloakName() + " is active",
                """
                The partner machine %s (%s) of partnership %s is active.
                Purpose: %s
                Client id: %s
                Client scopes: %s
                Access token lifespan: %d s
                Access ends on %s (its last day).
                Approved by: %s

                %s
                """.formatted(machine.getDisplayName(), profile.getMachineKind(), machine.getPartnershipKey(),
                        machine.getPurpose(), machine.getKeycloakName(), String.join(", ", new TreeSet<>(machine.getClientScopes())),
                        profile.getTokenLifespanSeconds(), machine.getLastDay(), machine.getApprovedBy(), credential));
    }

    /** A new secret, on the rotation schedule or because the owner asked for one. */
    @Transactional
    public void rotated(String identityId, boolean onRequest) {
        PartnerIdentity machine = registrations.machine(identityId);
        String why = onRequest ? "at your request"
                : "on its rotation schedule (every " + registrations.profile(identityId).getRotationDays() + " days)";
        mail.send(to(machine), "Machine " + machine.getKeycloakName() + (onRequest ? ": new client secret" : ": client secret rotated"),
                """
                The client secret of %s (%s) was replaced %s.
                The previous secret no longer works.

                %s
                """.formatted(machine.getKeycloakName(), machine.getDisplayName(), why,
                        collect(identityId, onRequest ? SecretTicket.Purpose.RENEWED : SecretTicket.Purpose.ROTATED)));
    }

    @Transactional
    public void revoked(String identityId) {
        PartnerIdentity machine = registrations.machine(identityId);
        mail.send(to(machine), "Machine " + machine.getKeycloakName() + " is revoked",
                """
                The partner machine %s (%s) of partnership %s can no longer obtain tokens.
                Reason: %s
                Its client is kept disabled for %s and then deleted.
                """.formatted(machine.getKeycloakName(), machine.getDisplayName(), machine.getPartnershipKey(),
                        machine.getStateReason(), properties.retention()));
    }

    /** The requester and the owner learn the decision and its reason. */
    public void rejected(String identityId) {
        PartnerIdentity machine = registrations.machine(identityId);
        List<String> to = new java.util.ArrayList<>(to(machine));
        staff.email(machine.getRequestedBy()).filter(email -> !to.contains(email)).ifPresent(to::add);
        mail.send(to, "Machine registration " + machine.getDisplayName() + " (" + machine.getPartnershipKey()
                        + ") is rejected",
                """
                The registration of the partner machine %s in partnership %s is rejected; no client was created.
                Reason: %s
                """.formatted(machine.getDisplayName(), machine.getPartnershipKey(), machine.getStateReason()));
    }

    private String collect(String identityId, SecretTicket.Purpose purpose) {
        String token = handovers.open(identityId, purpose);
        return """
               Collect the client secret once, within %s, signed in as yourself, on the machine's page:
                 %s
               with this one-time token: %s
               or through the API with your staff bearer token:
                 POST /api/machines/%s/secret  {"token": "%s"}
               Only you can collect it, only once; it is stored nowhere else.
               """.formatted(properties.secretRetrievalValidity(), links.to("/dashboard/my-machines/" + identityId), token,
                identityId, token);
    }

    private List<String> to(PartnerIdentity machine) {
        Optional<String> owner = staff.email(machine.getOwner());
        return owner.stream().toList();
    }
}
