package org.partneraccess.security;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.partneraccess.audit.ActorKind;
import org.partneraccess.audit.AuditLog;
import org.partneraccess.audit.GovernanceAction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps each staff user name one person. The product compares staff by user name (the engine's user id, the token's
 * {@code preferred_username}); a Keycloak administrator can rename an account or delete one and create another under
 * the same name, which would let a requester approve her own request under a new name, or a newcomer act as a
 * sponsor named long before. So the first time a name acts or is named, it is pinned to its Keycloak account id, and
 * from then on a name presented with another account, or an account presented under another name, is refused and
 * audited. Releasing a pin (after a legitimate rename) is a deliberate act of the operators: removing its row.
 */
@Service
public class StaffPins {


    private static final Logger log = LoggerFactory.getLogger(StaffPins.class);

    private final JdbcTemplate jdbc;
    private final AuditLog audit;
    /** Its own transaction: a pin and a refusal's audit entry hold whatever the caller's transaction does next. */
    private final TransactionTemplate own;
    /** Pairs confirmed already: a pin never changes while the service runs, so a confirmed pair needs no second look. */
    private final Set<Pin> confirmed = ConcurrentHashMap.newKeySet();
    /** Pairs refused and audited already: a client retrying a refused token must not flood the audit trail. */
    private final Set<Pin> refused = ConcurrentHashMap.newKeySet();

    StaffPins(JdbcTemplate jdbc, AuditLog audit, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.own = new TransactionTemplate(transactions);
        this.own.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** The name and the Keycloak account a caller presents, e.g. a token's {@code preferred_username} and {@code sub}. */
    private record Pin(String username, String keycloakId) {
    }

    /**
     * Whether the name and the account are the same person as when the name was first seen; a pair seen for the first
     * time is pinned. A refusal says why.
     */
    public Optional<String> refusal(String username, String keycloakId) {
        if (username == null || username.isBlank() || keycloakId == null || keycloakId.isBlank()) {
            return Optional.of("a staff user needs both a user name and a Keycloak account id");
        }
        Pin pin = new Pin(StaffDirectory.canonical(username), keycloakId);
        if (confirmed.contains(pin)) {
            return Optional.empty();
        }
        Optional<String> refusal = check(pin);
        if (refusal.isEmpty()) {
            confirmed.add(pin);
        } else if (refused.add(pin)) {
            log.warn("Staff account refused: {}", refusal.get());
            own.executeWithoutResult(status -> audit.record(ActorKind.STAFF, pin.username(), GovernanceAction.STAFF_ACCOUNT_REFUSED, null, null,
                    refusal.get()));
        }
        return refusal;
    }

    private Optional<String> check(Pin pin) {
        for (int attempt = 0; ; attempt++) {
            // one statement reads the name's pin and the account's pin together: read one after the other, a pin of
            // this very pair committed by a concurrent request between the two reads looked like a renamed account
            List<Pin> pinned = jdbc.query(
                    "select username, keycloak_id from staff_account_pin where username = ? or keycloak_id = ?",
                    (row, index) -> new Pin(row.getString("username"), row.getString("keycloak_id")),
                    pin.username(), pin.keycloakId());
            Optional<String> pinnedId = first(pinned.stream().filter(found -> found.username().equals(pin.username()))
                    .map(Pin::keycloakId).toList());
            if (pinnedId.isPresent()) {
                return pinnedId.get().equals(pin.keycloakId()) ? Optional.empty()
                        : Optional.of("the name " + pin.username() + " stood for Keycloak account " + pinnedId.get()
                        + "; account " + pin.keycloakId() + " now holds it (deleted and created again?)");
            }
            Optional<String> pinnedName = first(pinned.stream().map(Pin::username).toList());
            if (pinnedName.isPresent()) {
                return Optional.of("Keycloak account " + pin.keycloakId() + " acted as " + pinnedName.get()
                        + " and is now named " + pin.username() + " (renamed?)");
            }
            try {
                own.executeWithoutResult(status -> jdbc.update(
                        "insert into staff_account_pin (username, keycloak_id, pinned_at) values (?, ?, ?)",
                        pin.username(), pin.keycloakId(), Timestamp.from(Instant.now())));
                return Optional.empty();
            } catch (DuplicateKeyException raced) {
                // pinned by a concurrent request meanwhile: read what it pinned
                if (attempt > 0) {
                    throw raced;
                }
            }
        }
    }

    private static Optional<String> first(List<String> values) {
        return values.stream().findFirst();
    }
}
