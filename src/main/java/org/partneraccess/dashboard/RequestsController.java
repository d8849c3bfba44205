package org.partneraccess.dashboard;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.server.ResponseStatusException;

/** "My requests": the signed-in user's own requests, where each stands and what was decided on it. */
@Controller
class RequestsController {

    private final MyRequests requests;

    RequestsController(MyRequests requests) {
        this.requests = requests;
    }

    @GetMapping("/dashboard/requests")
    String requests(Authentication user, Model model) {
        model.addAttribute("requests", requests.of(user.getName()));
        return "dashboard/requests";
    }

    /** One partnership or identity: the user's requests on it; another user's answers as if it did not exist. */
    @GetMapping("/dashboard/requests/{subject}")
    String request(@PathVariable String subject, Authentication user, Model model) {
        List<MyRequests.Request> found = requests.on(user.getName(), subject);
        if (found.isEmpty()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }
        model.addAttribute("subject", subject);
        model.addAttribute("requests", found);
        return "dashboard/request";
    }
}
