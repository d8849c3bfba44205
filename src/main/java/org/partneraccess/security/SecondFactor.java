package org.partneraccess.security;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;

/**
 * The rule that approvals, reviews, incident reports, terminations and deployments need a second factor: the caller's
 * token or sign-in says the staff realm's second-factor level was reached ({@code acr}) recently enough
 * ({@code auth_time}). Whoever signs in with a password alone reads and requests as before and is stepped up when
 * they act. Machines reporting incidents (client credentials) have no person to step up and are out of scope.
 */
@Component
@EnableConfigurationProperties(SecondFactorProperties.class)
public class SecondFactor {

    /**
     * The people who act on access and policy: the staff realm asks them for the second factor when they act, and their
     * browser is stepped up before the pages where they do.
     */
    public static final Set<String> ACTING_GROUPS = Set.of(StaffGroups.SPONSORS, StaffGroups.SECURITY_OFFICERS,
            StaffGroups.IDENTITY_OWNERS, StaffGroups.PROCESS_OWNERS, StaffGroups.CAMUNDA_ADMIN);

    private final SecondFactorProperties properties;
    private final Clock clock;

    @Autowired
    public SecondFactor(SecondFactorProperties properties) {
        this(properties, Clock.systemUTC());
    }

    SecondFactor(SecondFactorProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
    }

    /** What the current request's caller lacks, if anything: named for the refusal. */
    public Optional<String> missingForCurrentCaller() {
        return missing(SecurityContextHolder.getContext().getAuthentication());
    }

    /** What this caller lacks for an action that needs the second factor; empty when they hold it. */
    public Optional<String> missing(Authentication caller) {
        Context context = context(caller);
        if (context == null) {
            return Optional.of("a sign-in with a second factor (acr " + properties.acr() + "); this caller has none");
        }
        if (!properties.acr().equals(context.acr())) {
            return Optional.of("a sign-in with a second factor (acr " + properties.acr() + "); this one was made with acr "
                    + (context.acr() == null ? "none" : context.acr()));
        }
        if (context.authenticatedAt() == null
                || context.authenticatedAt().plus(properties.maxAge()).isBefore(clock.instant())) {
            return Optional.of("a second factor given within the last " + properties.maxAge().toMinutes()
                    + " minutes (acr " + properties.acr() + "); this one is older");
        }
        return Optional.empty();
    }

    /** Whether this caller is one whom the browser steps up before the pages where they act. */
    public static boolean actsOnAccess(Authentication caller) {
        return caller != null && caller.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .anyMatch(authority -> ACTING_GROUPS.stream().map(StaffGroups::authority).anyMatch(authority::equals));
    }

    public SecondFactorProperties properties() {
        return properties;
    }

    private static Context context(Authentication caller) {
        if (caller instanceof JwtAuthenticationToken token) {
            Jwt jwt = token.getToken();
            return new Context(jwt.getClaimAsString("acr"), jwt.getClaimAsInstant("auth_time"));
        }
        if (caller != null && caller.getPrincipal() instanceof OidcUser user) {
            return new Context(user.getIdToken().getClaimAsString("acr"), user.getIdToken().getAuthenticatedAt());
        }
        return null;
    }

    private record Context(String acr, Instant authenticatedAt) {
    }
}
