package org.partneraccess.security;

import java.util.Set;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * The bearer tokens the resource-server chains accept: signed by the staff realm, not expired, and an access token
 * meant for this API. Keycloak signs every token of the realm with the same keys, so a valid signature alone would let
 * in an {@code admin-cli} token, an ID token, or the token of any client someone adds to the realm.
 */
@Configuration(proxyBeanMethods = false)
class ApiTokenValidation {

    /** Keycloak's {@code typ} claim of an access token; ID tokens say {@code ID}, refresh tokens {@code Refresh}. */
    static final String ACCESS_TOKEN_TYPE = "Bearer";
    /** The claim that names the caller; a token without it could not be attributed to anyone. */
    static final String PRINCIPAL_CLAIM = "preferred_username";

    @Bean
    JwtDecoder staffTokenDecoder(@Value("${spring.security.oauth2.resourceserver.jwt.jwk-set-uri}") String jwkSetUri,
                                 @Value("${spring.security.oauth2.resourceserver.jwt.issuer-uri}") String issuer,
                                 ApiTokenProperties api, StaffPins pins) {
        // the keys are fetched on the first token: the application starts while Keycloak is still down
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(jwkSetUri).build();
        OAuth2TokenValidator<Jwt> accepted = validator(issuer, api);
        // only a token accepted otherwise is looked up: a pin is taken from a token meant for this API
        decoder.setJwtValidator(jwt -> {
            OAuth2TokenValidatorResult result = accepted.validate(jwt);
            return result.hasErrors() ? result : pinned(pins).validate(jwt);
        });
        return decoder;
    }

    /** The caller's name still stands for the Keycloak account ({@code sub}) it was pinned to ({@link StaffPins}). */
    static OAuth2TokenValidator<Jwt> pinned(StaffPins pins) {
        return jwt -> pins.refusal(jwt.getClaimAsString(PRINCIPAL_CLAIM), jwt.getSubject())
                .map(problem -> OAuth2TokenValidatorResult.failure(
                        new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, problem, null)))
                .orElseGet(OAuth2TokenValidatorResult::success);
    }

    /** Issuer and lifetime (Spring's defaults), then audience, token type, calling client and user name, all required. */
    static OAuth2TokenValidator<Jwt> validator(String issuer, ApiTokenProperties api) {
        Set<String> clients = Set.copyOf(api.allowedClients());
        return new DelegatingOAuth2TokenValidator<>(
                JwtValidators.createDefaultWithIssuer(issuer),
                new JwtAudienceValidator(api.audience()),
                new JwtClaimValidator<>("typ", ACCESS_TOKEN_TYPE::equals),
                new JwtClaimValidator<>("azp", azp -> azp instanceof String client && clients.contains(client)),
                // the caller as the application records it (engine user, audit actor, triggered by)
                new JwtClaimValidator<>(PRINCIPAL_CLAIM, name -> name instanceof String user && !user.isBlank()));
    }
}
