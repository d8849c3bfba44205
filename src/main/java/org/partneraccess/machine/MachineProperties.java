package org.partneraccess.machine;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits of the machine track that are operations' choice rather than policy: how long a revoked client is kept,
 * when a machine counts as unused, how long a secret hand-over and an elevation may last.
 *
 * @param retention              how long a disabled client stays in Keycloak (for investigation) before it is deleted
 * @param unusedAfter            no token obtained for this long: the owner is asked whether the machine is still needed
 * @param useCheckInterval       how often last use is read from Keycloak's events
 * @param unusedReviewDeadline   the owner's time to answer before the machine is revoked
 * @param secretRetrievalValidity how long a one-time secret hand-over stays open
 * @param maxElevation           the longest time-boxed scope elevation
 * @param loopbackJwksAllowed    accept JWKS URLs on the loopback interface, http too (development only)
 * @param jwksAllowedHosts       JWKS hosts accepted although they are at a private, loopback or link-local address
 * @param minTokenLifespanSeconds the shortest access token lifespan a registration may ask for
 * @param provisioningWait       how long a registration the policy approves waits for its client before it answers
 */
@ConfigurationProperties(prefix = "partner-access.machine")
public record MachineProperties(
        @DefaultValue("P30D") Duration retention,
        @DefaultValue("P30D") Duration unusedAfter,
        @DefaultValue("P1D") Duration useCheckInterval,
        @DefaultValue("P7D") Duration unusedReviewDeadline,
        @DefaultValue("PT24H") Duration secretRetrievalValidity,
        @DefaultValue("PT8H") Duration maxElevation,
        @DefaultValue("false") boolean loopbackJwksAllowed,
        @DefaultValue("30") int minTokenLifespanSeconds,
        @DefaultValue({}) List<String> jwksAllowedHosts,
        @DefaultValue("PT2S") Duration provisioningWait) {
}
