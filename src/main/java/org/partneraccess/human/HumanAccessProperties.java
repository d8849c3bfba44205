package org.partneraccess.human;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param firstExpiryWarning how long before the access end the sponsor gets the first warning
 * @param finalExpiryWarning how long before the access end the sponsor gets the last warning
 * @param invitationValidity how long the invitation link (terms and password) stays valid
 * @param maxElevation the longest an extra role may be held
 */
@ConfigurationProperties(prefix = "partner-access.human")
public record HumanAccessProperties(Duration firstExpiryWarning, Duration finalExpiryWarning,
                                    Duration invitationValidity, Duration maxElevation) {
}
