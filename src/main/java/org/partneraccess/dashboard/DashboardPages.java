package org.partneraccess.dashboard;

import org.partneraccess.security.StaffLoginConfiguration;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** What the header of every dashboard page needs: who is signed in, and which pages to link for them. */
@ControllerAdvice(assignableTypes = {DashboardController.class, RequestsController.class,
        PartnershipActionsController.class})
class DashboardPages {

    @ModelAttribute("user")
    String user(Authentication user) {
        return user == null ? null : user.getName();
    }

    /** A requester may open their requests only; links to pages that would refuse them are left out. */
    @ModelAttribute("mayOpenOverview")
    boolean mayOpenOverview(Authentication user) {
        return StaffLoginConfiguration.mayOpenOverview(user);
    }

    @ModelAttribute("mayOpenDetails")
    boolean mayOpenDetails(Authentication user) {
        return StaffLoginConfiguration.mayOpenDetails(user);
    }
}
