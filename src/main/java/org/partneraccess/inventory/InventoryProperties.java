package org.partneraccess.inventory;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param usageRefresh         how often the partner realm's sign-in and token events are read into last-used times
 * @param usageOverlap         how far back each read starts before the end of the previous one: an event is stamped
 *                             when it happens but stored when its request ends, so a late one is still read
 * @param usageInitialLookback how far back the first read goes (Keycloak keeps events for the realm's event expiration,
 *                             30 days in the shipped realm)
 */
@Validated
@ConfigurationProperties(prefix = "partner-access.inventory")
public record InventoryProperties(
        @NotNull @DefaultValue("60s") Duration usageRefresh,
        @NotNull @DefaultValue("2m") Duration usageOverlap,
        @NotNull @DefaultValue("30d") Duration usageInitialLookback) {
}
