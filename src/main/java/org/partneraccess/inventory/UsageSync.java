package org.partneraccess.inventory;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.partneraccess.keycloak.PartnerRealm;
import org.partneraccess.keycloak.KeycloakRejectedException;
import org.partneraccess.keycloak.KeycloakUnavailableException;
import org.partneraccess.keycloak.TokenProbe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps {@code last_used_at} of every identity from the partner realm's events: a person's sign-in ({@code LOGIN}, by
 * Keycloak user id) or acceptance of the partner terms from the invitation (by user id; no sign-in follows it), and a
 * machine's token ({@code CLIENT_LOGIN}, by client id). A person never seen is shown as "invitation pending". Each run reads the events since the
 * previous run (with an overlap for events stored late) and moves a cursor in the database.
 *
 * <p>A Spring schedule rather than a Camunda timer: this is housekeeping with no business decision, no human step and
 * nothing to retry by hand, so a process instance firing every minute would only fill the engine's history and
 * Cockpit. What a timer job would give, one run at a time across nodes, comes from the cursor row: a run locks it for
 * its transaction, so a second node waits and then finds nothing new. The updates are idempotent (a time only ever
 * moves forward), so a run that fails is simply repeated by the next one; the cursor moves only with a successful run.
 *
 * <p>The first use of an identity is also audit evidence, recorded as the partner's own action.
 */
@Component
@EnableConfigurationProperties(InventoryProperties.class)
public class UsageSync {

    static final String SOURCE = "partner-realm-logins";
    private static final Logger log = LoggerFactory.getLogger(UsageSync.class);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final PartnerRealm partnerRealm;
    private final TokenProbe probe;
    private final IdentityUsage usage;
    private final InventoryProperties properties;
    private final Clock clock;

    UsageSync(JdbcTemplate jdbc, TransactionTemplate transaction, PartnerRealm partnerRealm, TokenProbe probe,
              IdentityUsage usage, InventoryProperties properties) {
        this.probe = probe;
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.partnerRealm = partnerRealm;
        this.usage = usage;
        this.properties = properties;
        this.clock = Clock.systemUTC();
    }

    /** What one run did. */
    public record Run(Instant from, Instant to, long events, int identitiesUpdated) {
    }

    @Scheduled(initialDelayString = "${partner-access.inventory.usage-refresh:60s}",
            fixedDelayString = "${partner-access.inventory.usage-refresh:60s}")
    void scheduled() {
        try {
            Run run = syncNow();
            if (run.identitiesUpdated() > 0) {
                log.info("Usage from {} events between {} and {}: {} identities updated", run.events(), run.from(),
                        run.to(), run.identitiesUpdated());
            }
        } catch (KeycloakUnavailableException | KeycloakRejectedException | DataAccessException e) {
            // the cursor stays; the next run reads the same events again
            log.warn("Could not read usage from the partner realm's events: {}", e.getMessage());
        }
    }

    /** Reads the events since the last run and updates the identities they name, in one transaction. */
    public Run syncNow() {
        return transaction.execute(status -> {
            // one run at a time, across nodes too
            Instant readUntil = jdbc.queryForObject("select read_until from usage_cursor where source = ? for update",
                    (rs, n) -> {
                        OffsetDateTime value = rs.getObject(1, OffsetDateTime.class);
                        return value == null ? null : value.toInstant();
                    }, SOURCE);
            Instant to = clock.instant();
            Instant from = readUntil == null ? to.minus(properties.usageInitialLookback())
                    : readUntil.minus(properties.usageOverlap());
            Map<String, Instant> byUser = new HashMap<>();
            List<PartnerRealm.LoginEvent> clientTokens = new ArrayList<>();
            long events = partnerRealm.forEachLoginEvent(from, to, event -> {
                if ((PartnerRealm.LOGIN.equals(event.type()) || PartnerRealm.TERMS_ACCEPTED.equals(event.type()))
                        && event.userId() != null) {
                    byUser.merge(event.userId(), event.time(), UsageSync::later);
                } else if (PartnerRealm.CLIENT_LOGIN.equals(event.type()) && event.clientId() != null) {
                    clientTokens.add(event);
                }
            });
            // the application's own proof of a cut-off takes a token too: that is not the partner's use
            Set<String> probes = probe.probes(clientTokens.stream().map(PartnerRealm.LoginEvent::tokenId)
                    .filter(java.util.Objects::nonNull).toList());
            Map<String, Instant> byClient = new HashMap<>();
            clientTokens.stream().filter(event -> !probes.contains(event.tokenId()))
                    .forEach(event -> byClient.merge(event.clientId(), event.time(), UsageSync::later));
            int updated = 0;
            for (Map.Entry<String, Instant> use : byUser.entrySet()) {
                updated += recordUse("kind = 'HUMAN' and keycloak_id = ?", use.getKey(), use.getValue());
            }
            for (Map.Entry<String, Instant> use : byClient.entrySet()) {
                updated += recordUse("kind = 'MACHINE' and keycloak_name = ?", use.getKey(), use.getValue());
            }
            jdbc.update("update usage_cursor set read_until = ?, updated_at = ? where source = ?", utc(to),
                    utc(clock.instant()), SOURCE);
            return new Run(from, to, events, updated);
        });
    }

    /**
     * Moves last_used_at forward on the identities that held this Keycloak account at the time of use: a person who
     * returns later gets a new identity for the same account, and the old one keeps its own last use.
     */
    private int recordUse(String account, String value, Instant at) {
        int updated = 0;
        for (String identityId : jdbc.queryForList("select identity_id from partner_identity where " + account
                + " and (revoked_at is null or revoked_at >= ?) and (last_used_at is null or last_used_at < ?)",
                String.class, value, utc(at), utc(at))) {
            usage.recordUse(identityId, at);
            updated++;
        }
        return updated;
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
