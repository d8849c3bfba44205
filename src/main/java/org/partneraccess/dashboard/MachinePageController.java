package org.partneraccess.dashboard;

import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;
import org.partneraccess.LifecycleState;
import org.partneraccess.keycloak.PartnerClients;
import org.partneraccess.machine.MachineNotFoundException;
import org.partneraccess.machine.MachineRegistrationService;
import org.partneraccess.machine.MachineView;
import org.partneraccess.machine.SecretHandoverService;
import org.partneraccess.security.StaffLoginConfiguration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

/**
 * A machine's page for its owner and requester: how the partner reaches it (client id, token endpoint, auth method,
 * lifespan, end date) and, for a secret client, the one-time collection of its secret with the token from the owner's
 * mail, through the same hand-over as {@code POST /api/machines/{id}/secret}.
 */
@Controller
class MachinePageController {

    static final String PAGE = "/dashboard/my-machines/{id}";

    private final MachineRegistrationService registrations;
    private final SecretHandoverService handovers;

    MachinePageController(MachineRegistrationService registrations, SecretHandoverService handovers) {
        this.registrations = registrations;
        this.handovers = handovers;
    }

    @GetMapping(PAGE)
    String page(@PathVariable String id, Authentication caller, Model model) {
        return show(visible(id, caller), caller, model);
    }

    @PostMapping(PAGE + "/secret")
    String collect(@PathVariable String id, @RequestParam(required = false) String token, Authentication caller,
                   Model model, HttpServletResponse response) {
        MachineView machine = visible(id, caller);
        // the answer may hold the secret: no cache keeps it, in the browser or on the way
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        response.setHeader(HttpHeaders.PRAGMA, "no-cache");
        if (token == null || token.isBlank()) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            model.addAttribute("errors", Map.of("token", "required: the token from your mail"));
            return show(machine, caller, model);
        }
        try {
            model.addAttribute("handover", handovers.retrieve(id, token.trim(), caller.getName()));
        } catch (SecretHandoverService.HandoverRefusedException refused) {
            response.setStatus(refused.status().value());
            model.addAttribute("errors", Map.of("token", refused.getMessage()));
        }
        return show(machine, caller, model);
    }

    private String show(MachineView machine, Authentication caller, Model model) {
        model.addAttribute("machine", machine);
        model.addAttribute("tokenEndpoint", handovers.tokenEndpoint());
        model.addAttribute("form", "secret");
        if (!model.containsAttribute("errors")) {
            model.addAttribute("errors", Map.of());
        }
        boolean secretClient = machine.authMethod() == PartnerClients.AuthMethod.CLIENT_SECRET;
        model.addAttribute("secretClient", secretClient);
        model.addAttribute("mayCollect", secretClient && machine.state() == LifecycleState.ACTIVE
                && caller.getName().equals(machine.owner()));
        return "dashboard/machine";
    }

    /** Its owner's, its requester's, or a reader's; to anyone else it answers as if it did not exist. */
    private MachineView visible(String id, Authentication caller) {
        MachineView machine;
        try {
            machine = registrations.view(id);
        } catch (MachineNotFoundException e) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }
        if (!caller.getName().equals(machine.owner()) && !caller.getName().equals(machine.requestedBy())
                && !StaffLoginConfiguration.mayOpenDetails(caller)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }
        return machine;
    }
}
