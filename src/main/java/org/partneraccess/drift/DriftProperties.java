package org.partneraccess.drift;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param interval       how often the partner realm is reconciled against the registry
 * @param settleTime     a registry row changed this recently is left to the process changing it (a suspension or
 *                       resumption updates Keycloak and the registry one after the other), and so is an end date
 *                       passed this recently (its timer may still be due)
 * @param ignoredClients clients of the partner realm that belong to Keycloak or to this application, never partner
 *                       identities (the application's own client is always ignored)
 * @param ignoredClientScopes client scopes of the partner realm that belong to Keycloak (its built-in ones) or to this
 *                       application; with the realm's permission scopes (attribute {@code partner-access.access}) the
 *                       only client scopes that are no drift
 * @param reviewDeadline how long a review may stay open before the security officers are told (its due date)
 */
@Validated
@ConfigurationProperties(prefix = "partner-access.drift")
public record DriftProperties(
        @NotNull @DefaultValue("1h") Duration interval,
        @NotNull @DefaultValue("5m") Duration settleTime,
        @NotNull @DefaultValue({"account", "account-console", "admin-cli", "admin-permissions", "broker", "realm-management",
                "security-admin-console", "partner-access-introspector"}) List<String> ignoredClients,
        @NotNull @DefaultValue({"acr", "address", "basic", "email", "microprofile-jwt", "offline_access", "organization",
                "phone", "profile", "roles", "service_account", "web-origins", "role_list", "saml_organization",
                "AuthnContextClassRef", "partner-access-introspection"}) List<String> ignoredClientScopes,
        @NotNull @DefaultValue("7d") Duration reviewDeadline) {
}
