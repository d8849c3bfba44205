package org.partneraccess.keycloak;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** Connection to Keycloak for provisioning in the partner realm; the secret comes from the environment only. */
@Validated
@ConfigurationProperties(prefix = "partner-access.keycloak")
public record KeycloakProperties(
        @NotBlank String url,
        @NotBlank @DefaultValue("partner") String partnerRealm,
        @NotBlank @DefaultValue("staff") String staffRealm,
        @NotBlank @DefaultValue("partner-access-provisioner") String clientId,
        @NotBlank String clientSecret,
        @NotNull @DefaultValue("2s") Duration connectTimeout,
        @NotNull @DefaultValue("5s") Duration readTimeout,
        // parallel provisioning jobs and an incident's revocation threads share the admin client's connections
        @Min(1) @DefaultValue("20") int connectionPoolSize,
        // how long the realm's client scopes (the permission catalogue) are kept: a change in Keycloak shows after it
        @NotNull @DefaultValue("30s") Duration clientScopesCache) {

    /** The partner realm's address, under which its OpenID Connect endpoints lie. */
    public String partnerRealmUrl() {
        return url + "/realms/" + partnerRealm;
    }

    /** Where partner clients ask for their tokens. */
    public String partnerTokenEndpoint() {
        return partnerRealmUrl() + "/protocol/openid-connect/token";
    }

    // records print every component; keep the secret out of logs and failure analyses
    @Override
    public String toString() {
        return "KeycloakProperties[url=" + url + ", partnerRealm=" + partnerRealm + ", staffRealm=" + staffRealm
                + ", clientId=" + clientId + ", clientSecret=******, connectTimeout=" + connectTimeout
                + ", readTimeout=" + readTimeout + ", connectionPoolSize=" + connectionPoolSize
                + ", clientScopesCache=" + clientScopesCache + "]";
    }
}
