package org.partneraccess.modelchange;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param reviewDeadline the security officers' time to decide a model change before it is dropped
 * @param bpmnlint       the command that runs bpmnlint on a file (e.g. {@code node_modules/.bin/bpmnlint}); empty: the
 *                       review says bpmnlint was not run
 */
@ConfigurationProperties(prefix = "partner-access.model-change")
public record ModelChangeProperties(@DefaultValue("P7D") Duration reviewDeadline, List<String> bpmnlint) {
}
