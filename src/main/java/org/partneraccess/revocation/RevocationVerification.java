package org.partneraccess.revocation;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.IdentityProviderRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.partneraccess.audit.AuditLog;
import org.partneraccess.audit.PartnershipAction;
import org.partneraccess.inventory.IdentityRegistry;
import org.partneraccess.keycloak.PartnerClients;
import org.partneraccess.keycloak.PartnerIdentityProviders;
import org.partneraccess.keycloak.PartnerUsers;
import org.partneraccess.trust.WorkloadTrusts;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Checks in Keycloak, not in the registry, that an incident took effect: no user of the partnership is enabled or has a
 * session, no client of it is enabled, its workload trust's identity provider is disabled or gone, and the registry
 * holds nothing open. The result with its timings is evidence.
 */
@Service
public class RevocationVerification {

    /** The partnership's identity provider as Keycloak shows it; {@code NONE}: no trust, no provider. */
    public enum ProviderState { NONE, DISABLED, GONE, ENABLED }

    /** {@code provider}: the alias of the partnership's identity provider, checked whether or not a trust names it. */
    public record Verdict(int users, int usersEnabled, int usersWithSessions, int clients, int clientsEnabled,
                          long registryOpen, long cutOffMillis, long verifiedMillis, String provider,
                          ProviderState providerState) {

        public boolean passed() {
            return usersEnabled == 0 && usersWithSessions == 0 && clientsEnabled == 0 && registryOpen == 0
                    && providerState != ProviderState.ENABLED;
        }

        public String describe() {
            return (passed() ? "verified" : "NOT verified") + ": users=" + users + " (enabled " + usersEnabled
                    + ", with sessions " + usersWithSessions + "); clients=" + clients + " (enabled " + clientsEnabled
                    + "); registry open=" + registryOpen + "; reported to cut off=" + cutOffMillis
                    + " ms; reported to verified=" + verifiedMillis + " ms"
                    // appended, so that readers of the earlier parts keep parsing them
                    + "; identity provider=" + (providerState == ProviderState.NONE ? "none"
                    : provider + " (" + providerState.name().toLowerCase(java.util.Locale.ROOT) + ")");
        }
    }


    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RevocationVerification.class);

    private final PartnerUsers partnerUsers;
    private final PartnerClients partnerClients;
    private final IdentityRegistry identities;
    private final AuditLog audit;
    private final ExecutorService pool;
    private final PartnerIdentityProviders providers;
    private final WorkloadTrusts trusts;

    RevocationVerification(PartnerUsers partnerUsers, PartnerClients partnerClients,
                           IdentityRegistry identities, AuditLog audit,
                           @Qualifier(RevocationConfiguration.POOL) ExecutorService pool,
                           PartnerIdentityProviders providers, WorkloadTrusts trusts) {
        this.partnerUsers = partnerUsers;
        this.partnerClients = partnerClients;
        this.providers = providers;
        this.trusts = trusts;
        this.identities = identities;
        this.audit = audit;
        this.pool = pool;
    }

    /** Records the verdict either way; a failed verification throws, so the engine retries it and Cockpit shows it. */
    @Transactional
    public Verdict verify(String partnershipKey, Instant reportedAt, Instant cutOffAt) {
        Verdict verdict = check(partnershipKey, reportedAt, cutOffAt);
        if (!verdict.passed()) {
            throw new IllegalStateException("Incident revocation of " + partnershipKey + " " + verdict.describe());
        }
        return verdict;
    }

    /**
     * Records the verdict either way and returns it, for a caller with no retry of its own: no transaction of its own, so
     * a failed verification marks none for rollback.
     */
    Verdict check(String partnershipKey, Instant reportedAt, Instant cutOffAt) {
        List<UserRepresentation> users = partnerUsers.findUsersOfPartnership(partnershipKey);
        List<ClientRepresentation> clients = partnerClients.findClientsOfPartnership(partnershipKey);
        List<CompletableFuture<Integer>> sessions = users.stream()
                .map(user -> CompletableFuture.supplyAsync(() -> partnerUsers.sessionCount(user.getId()), pool))
                .toList();
        int usersWithSessions = (int) sessions.stream().map(CompletableFuture::join).filter(count -> count > 0).count();
        String alias = PartnerIdentityProviders.alias(partnershipKey);
        ProviderState providerState = providerState(partnershipKey, alias);
        long open = identities.notEndedOf(partnershipKey).size();
        Instant now = Instant.now();
        Verdict verdict = new Verdict(users.size(), (int) users.stream().filter(UserRepresentation::isEnabled).count(),
                usersWithSessions, clients.size(), (int) clients.stream().filter(ClientRepresentation::isEnabled).count(),
                open, Duration.between(reportedAt, cutOffAt).toMillis(), Duration.between(reportedAt, now).toMillis(),
                alias, providerState);
        audit.record("system", PartnershipAction.INCIDENT_VERIFIED, partnershipKey, null, verdict.describe());
        log.info("Incident revocation of {} {}", partnershipKey, verdict.describe());
        return verdict;
    }

    /**
     * Read by its alias, not through the trust's row: a provider switched on behind the registry's back, or one left
     * of a trust the registry no longer names, still lets the partner's workloads in.
     */
    private ProviderState providerState(String partnershipKey, String alias) {
        return providers.find(alias).map(IdentityProviderRepresentation::isEnabled)
                .map(enabled -> enabled ? ProviderState.ENABLED : ProviderState.DISABLED)
                .orElseGet(() -> trusts.latestFor(partnershipKey).isPresent() ? ProviderState.GONE : ProviderState.NONE);
    }
}
