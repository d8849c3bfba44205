package org.partneraccess.modelchange;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param reviewDeadline the security officers' time to decide a model change before it is dropped
 * @param bpmnlint       the command that runs bpmnlint on a file (e.g. {@code node_modules/.bin/bpmnlint}); empty: the
 *                       review says bpmnlint was not run
 * @param impactWindow   how far back a changed access policy is tried on the recorded policy decisions
 * @param impactLimit    at most this many of them, the newest
 */
@ConfigurationProperties(prefix = "partner-access.model-change")
public record ModelChangeProperties(@DefaultValue("P7D") Duration reviewDeadline, List<String> bpmnlint,
                                    @DefaultValue("P90D") Duration impactWindow,
                                    @DefaultValue("10000") int impactLimit) {
}
