package org.partneraccess.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;

/** Each rule of the accepted tokens on its own: one claim changed from a good access token, and it is refused. */
class ApiTokenValidationTest {

    private static final String ISSUER = "http://keycloak.example.org/realms/staff";
    private static final OAuth2TokenValidator<Jwt> VALIDATOR = ApiTokenValidation.validator(ISSUER,
            new ApiTokenProperties("partner-access-api",
                    List.of("partner-access-cli", "partner-access-app", "partner-access-incident-reporter")));

    @Test
    void anAccessTokenOfAListedClientForThisApiIsAccepted() {
        assertThat(VALIDATOR.validate(token(claims -> { })).hasErrors()).isFalse();
        assertThat(VALIDATOR.validate(token(claims -> claims.audience(List.of("account", "partner-access-api"))))
                .hasErrors()).as("other audiences beside this API's").isFalse();
        assertThat(VALIDATOR.validate(token(claims -> claims.claim("azp", "partner-access-incident-reporter")))
                .hasErrors()).isFalse();
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() {
        assertRefused(token(claims -> claims.audience(List.of("account"))), "aud");
        assertRefused(token(claims -> claims.claims(all -> all.remove(JwtClaimNames.AUD))), "aud");
    }

    @Test
    void anIdTokenOrARefreshTokenIsRefused() {
        assertRefused(token(claims -> claims.claim("typ", "ID")), "typ");
        assertRefused(token(claims -> claims.claim("typ", "Refresh")), "typ");
        assertRefused(token(claims -> claims.claims(all -> all.remove("typ"))), "typ");
    }

    @Test
    void aTokenOfAnUnlistedClientIsRefused() {
        assertRefused(token(claims -> claims.claim("azp", "admin-cli")), "azp");
        assertRefused(token(claims -> claims.claim("azp", "partner-access-cli-2")), "azp");
        assertRefused(token(claims -> claims.claim("azp", List.of("partner-access-cli"))), "azp");
        assertRefused(token(claims -> claims.claims(all -> all.remove("azp"))), "azp");
    }

    @Test
    void aTokenThatNamesNoCallerIsRefused() {
        assertRefused(token(claims -> claims.claims(all -> all.remove("preferred_username"))), "preferred_username");
        assertRefused(token(claims -> claims.claim("preferred_username", " ")), "preferred_username");
    }

    @Test
    void anotherIssuerOrAnExpiredTokenIsRefusedAsBefore() {
        assertRefused(token(claims -> claims.issuer("http://keycloak.example.org/realms/partner")), "iss");
        assertRefused(token(claims -> claims.issuedAt(Instant.now().minusSeconds(900))
                .expiresAt(Instant.now().minusSeconds(600))), "expired");
    }

    private static void assertRefused(Jwt jwt, String naming) {
        OAuth2TokenValidatorResult result = VALIDATOR.validate(jwt);
        assertThat(result.hasErrors()).as("refused: " + jwt.getClaims()).isTrue();
        assertThat(result.getErrors()).extracting(OAuth2Error::getDescription).anyMatch(d -> d.contains(naming));
    }

    /** A staff access token of the CLI client as Keycloak issues it, changed by {@code change}. */
    private static Jwt token(Consumer<Jwt.Builder> change) {
        Instant now = Instant.now();
        Jwt.Builder builder = Jwt.withTokenValue("token").header("alg", "RS256").header("typ", "JWT")
                .issuer(ISSUER).subject("f3c1").audience(List.of("partner-access-api"))
                .issuedAt(now).expiresAt(now.plusSeconds(300))
                .claim("typ", "Bearer").claim("azp", "partner-access-cli")
                .claim("preferred_username", "rita.requester").claim("groups", List.of("requesters"));
        change.accept(builder);
        return builder.build();
    }
}
