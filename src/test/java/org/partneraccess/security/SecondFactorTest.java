package org.partneraccess.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/** What counts as a second factor: the acr of the realm's second level, given within the maximum age. */
class SecondFactorTest {

    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    private final SecondFactor rule = new SecondFactor(new SecondFactorProperties("mfa", Duration.ofHours(1)),
            Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aTokenWithTheSecondFactorGivenWithinTheHourHoldsIt() {
        assertThat(rule.missing(token("mfa", NOW.minus(Duration.ofMinutes(59))))).isEmpty();
    }

    @Test
    void aPasswordOnlyTokenLacksItAndSaysWhichItHas() {
        assertThat(rule.missing(token("password", NOW))).hasValueSatisfying(missing ->
                assertThat(missing).contains("acr mfa", "acr password"));
    }

    @Test
    void aSecondFactorOlderThanTheMaximumAgeNoLongerCounts() {
        assertThat(rule.missing(token("mfa", NOW.minus(Duration.ofMinutes(61))))).hasValueSatisfying(missing ->
                assertThat(missing).contains("within the last 60 minutes"));
        assertThat(rule.missing(token("mfa", null))).isPresent();
    }

    @Test
    void aCallerWithoutATokenOrSignInLacksIt() {
        assertThat(rule.missing(null)).isPresent();
        assertThat(rule.missing(new UsernamePasswordAuthenticationToken("sam.sponsor", "demo"))).isPresent();
    }

    @Test
    void theActingGroupsAreSteppedUpAndTheOthersAreNot() {
        assertThat(SecondFactor.actsOnAccess(withGroup(StaffGroups.SPONSORS))).isTrue();
        assertThat(SecondFactor.actsOnAccess(withGroup(StaffGroups.CAMUNDA_ADMIN))).isTrue();
        assertThat(SecondFactor.actsOnAccess(withGroup(StaffGroups.REQUESTERS))).isFalse();
        assertThat(SecondFactor.actsOnAccess(withGroup(StaffGroups.AUDITORS))).isFalse();
        assertThat(SecondFactor.actsOnAccess(null)).isFalse();
    }

    private static JwtAuthenticationToken token(String acr, Instant authTime) {
        Jwt.Builder jwt = Jwt.withTokenValue("t").header("alg", "RS256").subject("sam").claim("acr", acr);
        if (authTime != null) {
            jwt.claim("auth_time", authTime.getEpochSecond());
        }
        return new JwtAuthenticationToken(jwt.build(), List.of());
    }

    private static UsernamePasswordAuthenticationToken withGroup(String group) {
        return new UsernamePasswordAuthenticationToken("someone", null,
                List.of(new SimpleGrantedAuthority(StaffGroups.authority(group))));
    }
}
