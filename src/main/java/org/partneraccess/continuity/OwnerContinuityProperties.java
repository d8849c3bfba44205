package org.partneraccess.continuity;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param checkInterval        how often the staff realm is asked who of the people named on partner access has left
 * @param reassignmentDeadline the security officers' time to name a successor before the ownerless access is suspended
 */
@ConfigurationProperties(prefix = "partner-access.owner-continuity")
public record OwnerContinuityProperties(
        @DefaultValue("PT1H") Duration checkInterval,
        @DefaultValue("P7D") Duration reassignmentDeadline) {
}
