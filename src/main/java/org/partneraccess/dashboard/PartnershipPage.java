package org.partneraccess.dashboard;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.partneraccess.LifecycleState;
import org.partneraccess.inventory.IdentityFilter;
import org.partneraccess.inventory.IdentityInventory;
import org.partneraccess.inventory.IdentityKind;
import org.partneraccess.inventory.IdentityPage;
import org.partneraccess.inventory.IdentityQuery;
import org.partneraccess.inventory.IdentityView;
import org.partneraccess.keycloak.PartnerClients;
import org.partneraccess.machine.MachineRegistrationService;
import org.partneraccess.partnership.PartnershipController;
import org.partneraccess.partnership.PartnershipService;
import org.partneraccess.receipt.RevocationProof;
import org.partneraccess.revocation.IncidentRequest;
import org.partneraccess.security.StaffGroups;
import org.partneraccess.trust.WorkloadTrusts;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;
import org.springframework.ui.Model;

/**
 * What a partnership's page shows: the registry row, its identities by state, its workload trust with the federated
 * machines bound to it, the proof of the last incident's revocation, and, for security officers, what they may do to
 * it.
 */
@Component
class PartnershipPage {

    static final String VIEW = "dashboard/partnership";

    private final PartnershipService partnerships;
    private final IdentityInventory identities;
    private final RevocationProof proofs;
    private final WorkloadTrusts trusts;
    private final MachineRegistrationService machines;

    PartnershipPage(PartnershipService partnerships, IdentityInventory identities, RevocationProof proofs,
                    WorkloadTrusts trusts, MachineRegistrationService machines) {
        this.partnerships = partnerships;
        this.identities = identities;
        this.proofs = proofs;
        this.trusts = trusts;
        this.machines = machines;
    }

    /** A machine authenticating through the partnership's workload trust, as the trust's section lists it. */
    record FederatedMachine(String id, String displayName, String clientId, String workloadSubject,
                            LifecycleState state) {
    }

    /** Whether the caller may act on a partnership from its page: security officers only, as in the API. */
    static boolean mayAct(Authentication caller) {
        return caller != null && StaffGroups.groupsOf(caller).contains(StaffGroups.SECURITY_OFFICERS);
    }

    String fill(String key, Model model, Authentication caller) {
        PartnershipController.PartnershipView partnership = partnerships.view(key);
        model.addAttribute("partnership", partnership);
        IdentityPage found = identities.page(IdentityQuery.of(new IdentityFilter(null, null, key, null, null, null),
                List.of("kind", "state", "displayName")), 0, IdentityInventory.MAX_PAGE_SIZE);
        model.addAttribute("identities", found);
        List<DashboardQueries.StateCount> counts = new ArrayList<>();
        for (LifecycleState state : LifecycleState.values()) {
            long human = found.items().stream().filter(i -> i.state() == state && i.kind() == IdentityKind.HUMAN).count();
            long machine = found.items().stream().filter(i -> i.state() == state && i.kind() == IdentityKind.MACHINE)
                    .count();
            if (human + machine > 0) {
                counts.add(new DashboardQueries.StateCount(state, human, machine));
            }
        }
        model.addAttribute("counts", counts);
        Map<String, IdentityView> byId = new HashMap<>();
        found.items().forEach(identity -> byId.put(identity.id(), identity));
        model.addAttribute("proof", proofs.of(key, byId));
        // the partnership's workload trust (its latest, ended ones too) and the federated machines bound to it
        model.addAttribute("trust", trusts.latestFor(key).orElse(null));
        model.addAttribute("federated", found.items().stream().filter(identity -> identity.kind() == IdentityKind.MACHINE)
                .flatMap(identity -> machines.findProfile(identity.id())
                        .filter(profile -> profile.getAuthMethod() == PartnerClients.AuthMethod.FEDERATED)
                        .map(profile -> new FederatedMachine(identity.id(), identity.displayName(),
                                identity.keycloakName(), profile.getWorkloadSubject(), identity.state())).stream())
                .toList());
        boolean mayAct = mayAct(caller);
        model.addAttribute("mayAct", mayAct);
        LifecycleState state = partnership.state();
        model.addAttribute("mayReportIncident", mayAct && state != LifecycleState.REVOKED
                && state != LifecycleState.REJECTED && state != LifecycleState.REQUESTED);
        model.addAttribute("maySuspend", mayAct && (state == LifecycleState.ACTIVE
                || state == LifecycleState.UNDER_REVIEW));
        model.addAttribute("mayResume", mayAct && state == LifecycleState.SUSPENDED);
        model.addAttribute("mayTerminate", mayAct && (state == LifecycleState.ACTIVE
                || state == LifecycleState.UNDER_REVIEW || state == LifecycleState.SUSPENDED));
        model.addAttribute("severities", IncidentRequest.Severity.values());
        // what an identity's incident report can still cut off
        model.addAttribute("holdingAccess", mayAct ? found.items().stream().filter(identity -> EnumSet.of(
                LifecycleState.ACTIVE, LifecycleState.UNDER_REVIEW, LifecycleState.SUSPENDED)
                .contains(identity.state())).toList() : List.of());
        if (!model.containsAttribute("errors")) {
            model.addAttribute("errors", Map.of());
            model.addAttribute("form", "");
            model.addAttribute("values", Map.of());
        }
        return VIEW;
    }
}
