package org.partneraccess.dashboard;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Validator;
import org.partneraccess.inventory.IdentityRegistry;
import org.partneraccess.partnership.LifecycleRequest;
import org.partneraccess.partnership.LifecycleTriggers;
import org.partneraccess.partnership.TriggerNotAcceptedException;
import org.partneraccess.revocation.IncidentReports;
import org.partneraccess.revocation.IncidentRequest;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriUtils;

/**
 * What a security officer does from a partnership's page: report an incident of the partnership or of one identity,
 * suspend, resume, terminate. Each is a form post
 * with the session's CSRF token and a ticked confirmation, handled by the same services as the API; the caller's role
 * is checked here, whatever the page offered. Bad input shows the page again with the field's message and changes
 * nothing; otherwise the page is shown again with the outcome.
 */
@Controller
class PartnershipActionsController {

    static final String INCIDENT = "incident";
    static final String SUSPENSION = "suspension";
    static final String RESUMPTION = "resumption";
    static final String TERMINATION = "termination";
    static final String IDENTITY_INCIDENT = "identity-incident";

    private final PartnershipPage page;
    private final IncidentReports incidents;
    private final LifecycleTriggers triggers;
    private final Validator validator;
    private final IdentityRegistry identities;

    PartnershipActionsController(PartnershipPage page, IncidentReports incidents, LifecycleTriggers triggers,
                                 Validator validator, IdentityRegistry identities) {
        this.identities = identities;
        this.page = page;
        this.incidents = incidents;
        this.triggers = triggers;
        this.validator = validator;
    }

    @PostMapping("/dashboard/partnerships/{key}/incidents")
    String reportIncident(@PathVariable String key, @RequestParam(required = false) String reason,
                          @RequestParam(required = false) String severity,
                          @RequestParam(required = false) String confirm, Authentication caller, Model model,
                          RedirectAttributes redirect, HttpServletResponse response) {
        requireSecurityOfficer(caller);
        IncidentRequest incident = new IncidentRequest(reason, severity(severity), null, false);
        Map<String, String> errors = errors(incident, severity, confirm);
        if (!errors.isEmpty()) {
            return again(key, INCIDENT, errors, Map.of("reason", nonNull(reason), "severity", nonNull(severity)),
                    caller, model, response);
        }
        return act(key, redirect, "Incident reported by " + caller.getName()
                        + ": every person and machine of the partnership is being cut off.",
                () -> incidents.reportForPartnership(key, incident, caller));
    }

    /** One identity of this partnership cut off; an identity of another partnership is not found here. */
    @PostMapping("/dashboard/partnerships/{key}/identity-incidents")
    String reportIdentityIncident(@PathVariable String key, @RequestParam(required = false) String identityId,
                                  @RequestParam(required = false) String reason,
                                  @RequestParam(required = false) String severity,
                                  @RequestParam(required = false) String confirm, Authentication caller, Model model,
                                  RedirectAttributes redirect, HttpServletResponse response) {
        requireSecurityOfficer(caller);
        IncidentRequest incident = new IncidentRequest(reason, severity(severity), null, false);
        Map<String, String> errors = errors(incident, severity, confirm);
        if (identityId == null || identities.find(identityId)
                .filter(identity -> identity.getPartnershipKey().equals(key)).isEmpty()) {
            errors.put("identityId", "not an identity of this partnership");
        }
        if (!errors.isEmpty()) {
            return again(key, IDENTITY_INCIDENT, errors, Map.of("identityId", nonNull(identityId), "reason",
                    nonNull(reason), "severity", nonNull(severity)), caller, model, response);
        }
        return act(key, redirect, "Incident of " + identityId + " reported by " + caller.getName()
                        + ": the identity is being cut off.",
                () -> incidents.reportForIdentity(identityId, incident, caller));
    }

    @PostMapping("/dashboard/partnerships/{key}/suspension")
    String suspend(@PathVariable String key, @RequestParam(required = false) String reason,
                   @RequestParam(required = false) String confirm, Authentication caller, Model model,
                   RedirectAttributes redirect, HttpServletResponse response) {
        return withReason(key, SUSPENSION, reason, confirm, caller, model, redirect, response,
                "Suspension requested by " + caller.getName() + ": the partnership's identities are being disabled.",
                () -> triggers.suspend(key, reason, caller.getName()));
    }

    @PostMapping("/dashboard/partnerships/{key}/resumption")
    String resume(@PathVariable String key, @RequestParam(required = false) String reason,
                  @RequestParam(required = false) String confirm, Authentication caller, Model model,
                  RedirectAttributes redirect, HttpServletResponse response) {
        return withReason(key, RESUMPTION, reason, confirm, caller, model, redirect, response,
                "Resumption requested by " + caller.getName()
                        + ": the partnership's identities are being enabled again.",
                () -> triggers.resume(key, reason, caller.getName()));
    }

    @PostMapping("/dashboard/partnerships/{key}/termination")
    String terminate(@PathVariable String key, @RequestParam(required = false) String reason,
                     @RequestParam(required = false) String confirm, Authentication caller, Model model,
                     RedirectAttributes redirect, HttpServletResponse response) {
        return withReason(key, TERMINATION, reason, confirm, caller, model, redirect, response,
                "Termination requested by " + caller.getName()
                        + ": every person and machine of the partnership is being revoked.",
                () -> triggers.terminate(key, reason, caller.getName()));
    }

    /**
     * A lifecycle action that takes only a reason, as the API's {@link LifecycleRequest}: the caller's role first, then
     * the reason and the confirmation, then the action with its outcome.
     */
    private String withReason(String key, String form, String reason, String confirm, Authentication caller,
                              Model model, RedirectAttributes redirect, HttpServletResponse response, String done,
                              Runnable action) {
        requireSecurityOfficer(caller);
        Map<String, String> errors = errors(new LifecycleRequest(reason), confirm);
        if (!errors.isEmpty()) {
            return again(key, form, errors, Map.of("reason", nonNull(reason)), caller, model, response);
        }
        return act(key, redirect, done, action);
    }

    /** The role, checked by the handler: a page that showed no button is no protection. */
    private static void requireSecurityOfficer(Authentication caller) {
        if (!PartnershipPage.mayAct(caller)) {
            throw new AccessDeniedException("Only security officers act on a partnership");
        }
    }

    private String act(String key, RedirectAttributes redirect, String done, Runnable action) {
        try {
            action.run();
            redirect.addFlashAttribute("outcome", done);
        } catch (TriggerNotAcceptedException refused) {
            redirect.addFlashAttribute("refusal", "Not accepted: " + refused.getMessage());
        }
        return "redirect:/dashboard/partnerships/" + UriUtils.encodePathSegment(key, StandardCharsets.UTF_8);
    }

    private String again(String key, String form, Map<String, String> errors, Map<String, String> values,
                         Authentication caller, Model model, HttpServletResponse response) {
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        model.addAttribute("values", values);
        response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
        return page.fill(key, model, caller);
    }

    /** The request's invalid fields, as the API names them, and the confirmation when it was not ticked. */
    private Map<String, String> errors(Object request, String confirm) {
        Map<String, String> errors = new LinkedHashMap<>();
        validator.validate(request).forEach(violation -> errors.merge(violation.getPropertyPath().toString(),
                violation.getMessage(), (a, b) -> a + "; " + b));
        if (!"yes".equals(confirm)) {
            errors.put("confirm", "tick the box to confirm");
        }
        return errors;
    }

    /** An incident report's invalid fields: the request's, a severity that is not one, and the confirmation. */
    private Map<String, String> errors(IncidentRequest incident, String severity, String confirm) {
        Map<String, String> errors = errors(incident, confirm);
        if (severity != null && !severity.isBlank() && incident.severity() == null) {
            errors.put("severity", "not a known severity");
        }
        return errors;
    }

    private static IncidentRequest.Severity severity(String value) {
        if (value == null) {
            return null;
        }
        for (IncidentRequest.Severity severity : IncidentRequest.Severity.values()) {
            if (severity.name().equals(value)) {
                return severity;
            }
        }
        return null;
    }

    private static String nonNull(String value) {
        return value == null ? "" : value;
    }
}
