package org.partneraccess.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.partneraccess.LifecycleState;
import org.partneraccess.RegistryRecord.IllegalTransitionException;
import org.partneraccess.audit.AuditEvent;
import org.partneraccess.audit.AuditLog;
import org.partneraccess.decision.Decisions;
import org.partneraccess.human.HumanAccessRequest;
import org.partneraccess.human.HumanAccessService;
import org.partneraccess.inventory.IdentityStates;
import org.partneraccess.inventory.internal.PartnerIdentityRepository;
import org.partneraccess.keycloak.PartnerClients;
import org.partneraccess.keycloak.PartnerUsers;
import org.partneraccess.keycloak.TokenProbe;
import org.partneraccess.machine.MachineAccessService;
import org.partneraccess.machine.MachineRegistration;
import org.partneraccess.machine.MachineRegistrationService;
import org.partneraccess.support.ItFixtures;
import org.partneraccess.support.PartnerAccessTest;
import org.partneraccess.support.RecordedApprovals;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Steps that change what an identity holds are taken on its row as committed, before Keycloak: a secret rotation of a
 * machine cut off (before, or after the rotation loaded it) and a recertification of a suspended person are refused,
 * audited, and leave Keycloak as the cut-off or suspension left it, against the real Keycloak.
 */
@PartnerAccessTest
class IdentityStepRefusalsIT {

    @Autowired
    ItFixtures fixtures;
    @Autowired
    PartnerIdentityRepository identities;
    @Autowired
    MachineRegistrationService registrations;
    @Autowired
    MachineAccessService machines;
    @Autowired
    HumanAccessService humans;
    @Autowired
    Decisions decisions;
    @Autowired
    IncidentRevocation incidents;
    @Autowired
    IdentityStates states;
    @Autowired
    PartnerUsers partnerUsers;
    @Autowired
    PartnerClients partnerClients;
    @Autowired
    TokenProbe probe;
    @Autowired
    AuditLog audit;
    @Autowired
    PlatformTransactionManager transactions;

    private String key;

    @BeforeEach
    void activePartnership() {
        key = fixtures.activePartnership();
    }

    @Test
    void aRevokedMachinesRotationIsRefusedAndNeitherItsOldNorItsCurrentSecretWorks() {
        String id = provisionedMachine();
        String clientId = identities.findById(id).orElseThrow().getKeycloakName();
        String before = partnerClients.currentSecret(clientId).orElseThrow();
        assertThat(probe.clientCredentials(clientId, before)).as("the secret works before").isPresent();
        assertThat(incidents.cutOffWithoutProcess(id, "key leaked", "sofia.security")).hasValueSatisfying(outcome ->
                assertThat(outcome.revoked()).isTrue());
        String afterCutOff = partnerClients.currentSecret(clientId).orElseThrow();

        assertThatThrownBy(() -> machines.rotateSecret(id)).isInstanceOf(IllegalTransitionException.class)
                .hasMessageContaining("REVOKED: no secret rotation");

        assertRefusedAndUntouched(id, clientId, before, afterCutOff);
    }

    /**
     * The rotation's transaction loads the machine while it is ACTIVE; the cut-off then runs to its end, committed, on
     * another thread; only then does the rotation go on. As loaded the row still says ACTIVE: the rotation must ask
     * the registry, not its loaded row, before it touches Keycloak.
     */
    @Test
    void aRotationWhoseMachineIsCutOffBetweenItsLoadAndItsKeycloakCallLeavesNoWorkingSecret() {
        String id = provisionedMachine();
        String clientId = identities.findById(id).orElseThrow().getKeycloakName();
        String before = partnerClients.currentSecret(clientId).orElseThrow();
        String[] afterCutOff = new String[1];

        TransactionTemplate rotation = new TransactionTemplate(transactions);
        assertThatThrownBy(() -> rotation.executeWithoutResult(status -> {
            assertThat(registrations.machine(id).getState()).as("as the rotation loads it").isEqualTo(LifecycleState.ACTIVE);
            registrations.profile(id);
            CompletableFuture.runAsync(() -> assertThat(incidents.cutOffWithoutProcess(id, "key leaked", "sofia.security"))
                    .hasValueSatisfying(outcome -> assertThat(outcome.revoked()).isTrue())).join();
            afterCutOff[0] = partnerClients.currentSecret(clientId).orElseThrow();
            assertThat(registrations.machine(id).getState()).as("the rotation's loaded row").isEqualTo(LifecycleState.ACTIVE);
            machines.rotateSecret(id);
        })).isInstanceOf(IllegalTransitionException.class).hasMessageContaining("REVOKED: no secret rotation");

        assertRefusedAndUntouched(id, clientId, before, afterCutOff[0]);
    }

    /** A suspended person's review cannot make them ACTIVE again, nor narrow their roles in Keycloak while suspended. */
    @Test
    void aSuspendedPersonsRecertificationIsRefusedAndChangesNothing() {
        String email = "rex." + UUID.randomUUID().toString().substring(0, 8) + "@partner.example.org";
        String id = humans.register(key, new HumanAccessRequest("Rex", "Partner", email, Set.of("orders.read"),
                "Plans shipments from open orders for the EU warehouses", LocalDate.now().plusDays(30)), "rita.requester");
        RecordedApprovals.approvePerson(humans, decisions, id, "sam.sponsor");
        humans.provision(id);
        String userId = identities.findById(id).orElseThrow().getKeycloakId();
        assertThat(states.move(id, LifecycleState.SUSPENDED, "partnership suspended")).isEqualTo(IdentityStates.Step.MOVED);

        assertThatThrownBy(() -> humans.recertify(id, "sam.sponsor", Set.of(), "keep without roles"))
                .isInstanceOf(IllegalTransitionException.class).hasMessageContaining("SUSPENDED and cannot become ACTIVE");

        assertThat(identities.findById(id).orElseThrow().getState()).isEqualTo(LifecycleState.SUSPENDED);
        assertThat(partnerUsers.partnerRolesOfUser(userId)).containsExactly("orders.read");
        List<AuditEvent> trail = audit.ofIdentity(id);
        assertThat(trail).extracting(AuditEvent::getAction).contains(IdentityStates.TRANSITION_REFUSED)
                .doesNotContain("IDENTITY_RECERTIFIED");
        assertThat(trail).filteredOn(event -> event.getAction().equals(IdentityStates.TRANSITION_REFUSED))
                .extracting(AuditEvent::getDetail).anySatisfy(detail -> assertThat(detail).contains("recertification"));
    }

    private void assertRefusedAndUntouched(String id, String clientId, String before, String afterCutOff) {
        assertThat(partnerClients.currentSecret(clientId)).as("the rotation wrote nothing to Keycloak").contains(afterCutOff);
        assertThat(afterCutOff).as("the cut-off replaced the secret").isNotEqualTo(before);
        assertThat(partnerClients.findClient(clientId).orElseThrow().isEnabled()).isFalse();
        assertThat(probe.clientCredentials(clientId, before)).as("the old secret").isEmpty();
        assertThat(probe.clientCredentials(clientId, afterCutOff)).as("the secret Keycloak holds now").isEmpty();
        assertThat(identities.findById(id).orElseThrow().getState()).isEqualTo(LifecycleState.REVOKED);
        List<AuditEvent> trail = audit.ofIdentity(id);
        assertThat(trail).extracting(AuditEvent::getAction).contains("IDENTITY_CUT_OFF", IdentityStates.TRANSITION_REFUSED)
                .doesNotContain("MACHINE_SECRET_ROTATED");
        assertThat(trail).filteredOn(event -> event.getAction().equals(IdentityStates.TRANSITION_REFUSED))
                .extracting(AuditEvent::getDetail).anySatisfy(detail -> assertThat(detail).contains("secret rotation"));
    }

    /** An ACTIVE machine with a shared secret, registered, approved and provisioned as its process does it. */
    private String provisionedMachine() {
        String id = UUID.randomUUID().toString();
        registrations.register(id, key, new MachineRegistration("Acme order sync", "WORKLOAD", "ian.owner",
                "Reads open orders every five minutes to plan shipments for the EU warehouses", "test",
                Set.of("orders.read"), null, 45, LocalDate.now().plusMonths(3), "CLIENT_SECRET", null, null),
                "rita.requester");
        RecordedApprovals.approveMachineByPolicy(registrations, id);
        machines.provision(id);
        return id;
    }
}
