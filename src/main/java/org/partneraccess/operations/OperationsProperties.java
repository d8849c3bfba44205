package org.partneraccess.operations;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param keycloakHealthTimeout how long the health check waits for the partner realm before it reports DOWN
 * @param metricsRefresh        how often the registry gauges are counted afresh (one grouped query per table)
 * @param expiryWarning         how far ahead an end date counts as an upcoming expiry
 */
@Validated
@ConfigurationProperties(prefix = "partner-access.operations")
public record OperationsProperties(
        @NotNull @DefaultValue("2s") Duration keycloakHealthTimeout,
        @NotNull @DefaultValue("30s") Duration metricsRefresh,
        @NotNull @DefaultValue("14d") Duration expiryWarning) {
}
