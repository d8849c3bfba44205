package org.partneraccess.expiry;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param sweepInterval the pause between two sweeps for machines past their end date: how late a revocation may start
 * @param concurrency   machines revoked at the same time (Keycloak calls in flight), beside the job executor's and an
 *                      incident's; all share the Keycloak admin client's connection pool
 * @param batchSize     machines one sweep reads at a time (oldest end first); a full batch is followed by the next at once
 * @param backstopDelay how long after its end date a machine's process revokes it itself if no sweep has (the sweeper
 *                      down on every node, or Keycloak refusing the sweeper's calls)
 */
@Validated
@ConfigurationProperties(prefix = "partner-access.expiry")
public record ExpiryProperties(
        @NotNull @DefaultValue("1s") Duration sweepInterval,
        @Min(1) @DefaultValue("8") int concurrency,
        @Min(1) @DefaultValue("1000") int batchSize,
        @NotNull @DefaultValue("5m") Duration backstopDelay) {
}
