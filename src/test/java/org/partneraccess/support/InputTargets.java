package org.partneraccess.support;

import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.partneraccess.LifecycleState;
import org.partneraccess.inventory.IdentityKind;
import org.partneraccess.inventory.PartnerIdentity;
import org.partneraccess.inventory.internal.PartnerIdentityRepository;
import org.partneraccess.machine.MachineFixtures;

/**
 * What the input tests aim their requests at: an active partnership, its contact person, and an active signed-JWT
 * machine with the partner's key (for a valid registration body).
 */
public record InputTargets(String partnership, String person, String machine, MachineFixtures.PartnerKey machineKey) {

    /** Creates the targets through the API and waits until the person and the machine are active. */
    public static InputTargets create(ItFixtures fixtures, PartnerIdentityRepository identities) {
        String partnership = fixtures.activePartnership();
        MachineFixtures.PartnerKey key = MachineFixtures.PartnerKey.generate();
        String machine = fixtures.registerMachine(partnership, MachineFixtures.registration("SIGNED_JWT", key))
                .get("id").asText();
        await().atMost(Duration.ofSeconds(90)).until(() -> identities.findByPartnershipKeyOrderById(partnership).stream()
                .filter(i -> i.getState() == LifecycleState.ACTIVE).count() == 2);
        String person = identities.findByPartnershipKeyOrderById(partnership).stream()
                .filter(i -> i.getKind() == IdentityKind.HUMAN).map(PartnerIdentity::getId).findFirst().orElseThrow();
        return new InputTargets(partnership, person, machine, key);
    }
}
