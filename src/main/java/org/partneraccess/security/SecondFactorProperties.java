package org.partneraccess.security;

import java.time.Duration;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What counts as a second factor: the staff realm's authentication context for it ({@code acr}, mapped there to the
 * level of authentication that asks for the one-time code) given no longer ago than {@code maxAge} (the token's
 * {@code auth_time}). Keep {@code maxAge} equal to the realm's maximum age of that level, so the realm asks again
 * exactly when the application would refuse.
 */
@Validated
@ConfigurationProperties(prefix = "partner-access.security.second-factor")
public record SecondFactorProperties(
        @NotBlank @DefaultValue("mfa") String acr,
        @NotNull @DefaultValue("PT1H") Duration maxAge) {
}
