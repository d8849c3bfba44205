package org.partneraccess.drill;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param interval     how often a revocation drill runs (across all nodes); empty: never
 * @param firstAfter   how long after start-up a node first looks whether a drill is due
 * @param window       how many of the last drills the dashboard's figures (p50, p95) are taken over
 * @param tokenLifespan the access-token lifespan of the drill's machines: they only need to live through one drill
 */
@Validated
@ConfigurationProperties(prefix = "partner-access.drill")
public record DrillProperties(
        Duration interval,
        @NotNull @DefaultValue("1m") Duration firstAfter,
        @Min(1) @Max(1000) @DefaultValue("20") int window,
        @NotNull @DefaultValue("2m") Duration tokenLifespan) {

    public boolean on() {
        return interval != null && !interval.isZero() && !interval.isNegative();
    }
}
