package org.partneraccess.security;

import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Which bearer tokens of the staff realm the APIs ({@code /api}, {@code /engine-rest}, the actuator) accept: access
 * tokens meant for this API, obtained through one of the listed clients.
 *
 * @param audience       the {@code aud} value every accepted token must carry (the staff realm's
 *                       {@code partner-access-api} client scope adds it)
 * @param allowedClients the staff-realm clients ({@code azp}) whose tokens are accepted; a token of any other client of
 *                       the realm, {@code admin-cli} included, is refused
 */
@Validated
@ConfigurationProperties(prefix = "partner-access.security")
public record ApiTokenProperties(
        @NotBlank @DefaultValue("partner-access-api") String audience,
        @NotEmpty @DefaultValue({"partner-access-cli", "partner-access-app", "partner-access-incident-reporter"})
        List<String> allowedClients) {
}
