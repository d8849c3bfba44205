package org.partneraccess.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import jakarta.validation.Validation;
import org.junit.jupiter.api.Test;
import org.partneraccess.partnership.LifecycleTriggers;
import org.partneraccess.partnership.TriggerNotAcceptedException;
import org.partneraccess.revocation.IncidentReports;
import org.partneraccess.revocation.IncidentRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.ui.ExtendedModelMap;
import org.springframework.web.servlet.mvc.support.RedirectAttributesModelMap;

/** The handler decides who may act, whatever the page showed; bad input reaches no service. */
class PartnershipActionsControllerTest {

    private final PartnershipPage page = mock(PartnershipPage.class);
    private final IncidentReports incidents = mock(IncidentReports.class);
    private final LifecycleTriggers triggers = mock(LifecycleTriggers.class);
    private final PartnershipActionsController controller = new PartnershipActionsController(page, incidents, triggers,
            Validation.buildDefaultValidatorFactory().getValidator(),
            mock(org.partneraccess.inventory.IdentityRegistry.class));

    private static Authentication user(String name, String... groups) {
        return new TestingAuthenticationToken(name, null, Arrays.stream(groups)
                .map(group -> "GROUP_" + group).toArray(String[]::new));
    }

    @Test
    void anyoneButASecurityOfficerIsRefusedByTheHandlerAndNothingIsCalled() {
        for (Authentication caller : List.of(user("alice.auditor", "auditors"), user("sam.sponsor", "sponsors"),
                user("siem", "incident-reporters"))) {
            assertThatThrownBy(() -> controller.reportIncident("p1", "leak", "HIGH", "yes", caller,
                    new ExtendedModelMap(), new RedirectAttributesModelMap(), new MockHttpServletResponse()))
                    .isInstanceOf(AccessDeniedException.class);
            assertThatThrownBy(() -> controller.suspend("p1", "why", "yes", caller, new ExtendedModelMap(),
                    new RedirectAttributesModelMap(), new MockHttpServletResponse()))
                    .isInstanceOf(AccessDeniedException.class);
            assertThatThrownBy(() -> controller.resume("p1", "why", "yes", caller, new ExtendedModelMap(),
                    new RedirectAttributesModelMap(), new MockHttpServletResponse()))
                    .isInstanceOf(AccessDeniedException.class);
        }
        verifyNoInteractions(incidents, triggers, page);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aBlankReasonAnUnknownSeverityOrNoConfirmationShowTheFormAgainWithTheirMessages() {
        Authentication sofia = user("sofia.security", "security-officers");
        when(page.fill(eq("p1"), any(), eq(sofia))).thenReturn(PartnershipPage.VIEW);
        ExtendedModelMap model = new ExtendedModelMap();
        MockHttpServletResponse response = new MockHttpServletResponse();
        assertThat(controller.reportIncident("p1", " ", "SEVERE", null, sofia, model, new RedirectAttributesModelMap(),
                response)).isEqualTo(PartnershipPage.VIEW);
        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(model.get("form")).isEqualTo(PartnershipActionsController.INCIDENT);
        assertThat((Map<String, String>) model.get("errors")).containsOnlyKeys("reason", "severity", "confirm");

        ExtendedModelMap suspension = new ExtendedModelMap();
        controller.suspend("p1", "", "yes", sofia, suspension, new RedirectAttributesModelMap(),
                new MockHttpServletResponse());
        assertThat((Map<String, String>) suspension.get("errors")).containsOnlyKeys("reason");
        verifyNoInteractions(incidents, triggers);
    }

    @Test
    void aConfirmedReportGoesThroughTheSharedServiceAndARefusalIsShown() {
        Authentication sofia = user("sofia.security", "security-officers");
        RedirectAttributesModelMap redirect = new RedirectAttributesModelMap();
        assertThat(controller.reportIncident("p1", "leak", "CRITICAL", "yes", sofia, new ExtendedModelMap(), redirect,
                new MockHttpServletResponse())).isEqualTo("redirect:/dashboard/partnerships/p1");
        verify(incidents).reportForPartnership("p1", new IncidentRequest("leak", IncidentRequest.Severity.CRITICAL,
                null, false), sofia);
        assertThat(redirect.getFlashAttributes().get("outcome").toString()).contains("sofia.security");

        doThrow(new TriggerNotAcceptedException("Partnership p1 is SUSPENDED",
                "PartnershipSuspended")).when(triggers).suspend(eq("p1"), anyString(), eq("sofia.security"));
        RedirectAttributesModelMap refused = new RedirectAttributesModelMap();
        controller.suspend("p1", "why", "yes", sofia, new ExtendedModelMap(), refused, new MockHttpServletResponse());
        assertThat(refused.getFlashAttributes().get("refusal").toString()).contains("SUSPENDED");
    }
}
