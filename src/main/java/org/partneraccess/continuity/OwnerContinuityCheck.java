package org.partneraccess.continuity;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Asks the staff realm every {@code partner-access.owner-continuity.check-interval} who of the people named on partner
 * access has left. Polling, not Keycloak's admin events: the stock server keeps admin events only for reading back
 * (no push without a custom event listener provider deployed into Keycloak), and a deleted user's or an
 * LDAP-synchronised change leaves no reliable event; the account's state itself is what matters. A Spring schedule
 * rather than a timer start event: the interval is configuration, and a timer start event's cycle is fixed when the
 * model is deployed. The business decision (who takes over, or suspension) is the reassignment process's.
 */
@Component
class OwnerContinuityCheck {

    private static final Logger log = LoggerFactory.getLogger(OwnerContinuityCheck.class);

    private final OwnerContinuity continuity;

    OwnerContinuityCheck(OwnerContinuity continuity) {
        this.continuity = continuity;
    }

    @Scheduled(initialDelayString = "${partner-access.owner-continuity.check-interval:PT1H}",
            fixedDelayString = "${partner-access.owner-continuity.check-interval:PT1H}")
    void scheduled() {
        try {
            List<String> opened = continuity.detect();
            if (!opened.isEmpty()) {
                log.info("Reassignment opened for staff users who left: {}", opened);
            }
        } catch (RuntimeException e) {
            // Keycloak or the database unavailable: nothing was started, the next run asks again
            log.warn("Could not check the staff realm for people who left: {}", e.getMessage());
        }
    }
}
