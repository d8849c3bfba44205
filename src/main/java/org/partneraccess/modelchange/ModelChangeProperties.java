package org.partneraccess.modelchange;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** @param reviewDeadline the security officers' time to decide a model change before it is dropped */
@ConfigurationProperties(prefix = "partner-access.model-change")
public record ModelChangeProperties(@DefaultValue("P7D") Duration reviewDeadline) {
}
