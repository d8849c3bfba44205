package org.partneraccess.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.partneraccess.LifecycleState;
import org.partneraccess.inventory.IdentityKind;
import org.partneraccess.inventory.PartnerIdentity;
import org.partneraccess.inventory.internal.PartnerIdentityRepository;
import org.partneraccess.machine.MachineFixtures;
import org.partneraccess.partnership.PartnershipService;

/**
 * What the input tests aim their requests at: an active partnership, its contact person, and an active signed-JWT
 * machine with the partner's key (for a valid registration body).
 */
public record InputTargets(String partnership, String person, String machine, MachineFixtures.PartnerKey machineKey) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Creates the targets through the API and waits until the person and the machine are active. */
    public static InputTargets create(PartnerAccessClient client, TaskService tasks, IdentityService identity,
                                      PartnershipService partnerships, PartnerIdentityRepository identities)
            throws Exception {
        String partnership = MachineFixtures.activePartnership(client, tasks, identity, partnerships, false);
        MachineFixtures.PartnerKey key = MachineFixtures.PartnerKey.generate();
        HttpResponse<String> machine = client.post("rita.requester", "/api/partnerships/" + partnership + "/machines",
                MachineFixtures.registration("SIGNED_JWT", key));
        assertThat(machine.statusCode()).as(machine.body()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(90)).until(() -> identities.findByPartnershipKeyOrderById(partnership).stream()
                .filter(i -> i.getState() == LifecycleState.ACTIVE).count() == 2);
        String person = identities.findByPartnershipKeyOrderById(partnership).stream()
                .filter(i -> i.getKind() == IdentityKind.HUMAN).map(PartnerIdentity::getId).findFirst().orElseThrow();
        return new InputTargets(partnership, person, JSON.readTree(machine.body()).get("id").asText(), key);
    }
}
