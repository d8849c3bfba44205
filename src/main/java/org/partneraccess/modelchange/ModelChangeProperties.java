package org.partneraccess.modelchange;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param reviewDeadline the security officers' time to decide a model change before it is dropped
 * @param impactWindow   how far back a changed access policy is tried on the recorded policy decisions
 * @param impactLimit    at most this many of them, the newest
 */
@ConfigurationProperties(prefix = "partner-access.model-change")
public record ModelChangeProperties(@DefaultValue("P7D") Duration reviewDeadline,
                                    @DefaultValue("P90D") Duration impactWindow,
                                    @DefaultValue("10000") int impactLimit) {
}
