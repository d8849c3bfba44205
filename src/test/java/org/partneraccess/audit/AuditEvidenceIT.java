package org.partneraccess.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.partneraccess.ReceiptVerifier;
import org.partneraccess.support.ItFixtures;
import org.partneraccess.support.PartnerAccessTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The evidence auditors file: who acted and of what kind, the printable page with its hashes and verdict, and a
 * verification that names the entry when one is changed or removed, also from a chain's end once a signed checkpoint
 * covers it, and a forged checkpoint. Tampered rows are put back at once, as other tests of the run verify the same
 * trail.
 */
@PartnerAccessTest
class AuditEvidenceIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    AuditLog audit;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ItFixtures fixtures;
    @Autowired
    AuditCheckpoints checkpoints;
    @Autowired
    PlatformTransactionManager transactions;

    private String identityId;
    private List<AuditEvent> entries;

    @BeforeEach
    void trail() {
        identityId = UUID.randomUUID().toString();
        audit.record("rita.requester", IdentityAction.ACCESS_REQUESTED, "acme", identityId, "person=ada@acme.example");
        audit.record("policy", PolicyAction.POLICY_DECIDED, "acme", identityId, "decision=LOW");
        audit.record("sam.sponsor, sofia.security", IdentityAction.ACCESS_APPROVED, "acme", identityId, null);
        audit.record("system", IdentityAction.IDENTITY_PROVISIONED, "acme", identityId, "keycloak user ada@acme.example");
        audit.record(ActorKind.PARTNER, "ada@acme.example", IdentityAction.IDENTITY_FIRST_USED, "acme", identityId, "first sign-in");
        entries = audit.ofIdentity(identityId);
    }

    @Test
    void partnerStaffSystemAndPolicyActionsAreToldApart() throws Exception {
        HttpResponse<String> response = fixtures.client().get("alice.auditor", "/api/identities/" + identityId + "/evidence");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode evidence = JSON.readTree(response.body());
        assertThat(evidence.findValuesAsText("actorKind")).containsExactly("STAFF", "POLICY", "STAFF", "SYSTEM",
                "PARTNER");
        assertThat(evidence.findValuesAsText("actor")).containsExactly("rita.requester", "policy",
                "sam.sponsor, sofia.security", "system", "ada@acme.example");
        assertThat(evidence.get(4).get("hashVersion").asInt()).isEqualTo(AuditLog.CURRENT_HASH_VERSION);
        assertThat(evidence.get(4).get("previousHash").asText()).hasSize(64);
        assertThat(evidence.get(4).get("hash").asText()).isEqualTo(entries.get(4).getHash());
        // the partnership's own chain, and where in it
        assertThat(evidence.findValuesAsText("chain")).containsOnly("acme");
        assertThat(evidence.get(4).get("chainPosition").asLong()).isEqualTo(entries.get(4).getChainPosition())
                .isEqualTo(entries.get(3).getChainPosition() + 1);
    }

    @Test
    void thePrintablePageListsTheChainWithItsVerdict() throws Exception {
        HttpResponse<String> page = fixtures.client().get("alice.auditor", "/api/identities/" + identityId + "/evidence",
                "text/html");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("default-src 'none'");
        assertThat(page.body()).contains("Audit evidence of identity " + identityId).contains("VERIFIED")
                .contains("PARTNER").contains("ada@acme.example").contains("IDENTITY_FIRST_USED")
                .doesNotContain("<script");
        entries.forEach(entry -> assertThat(page.body()).contains(entry.getHash(), entry.getPreviousHash()));

        HttpResponse<String> byParameter = fixtures.client().get("sofia.security", "/api/identities/" + identityId
                + "/evidence?format=html", "application/json");
        assertThat(byParameter.statusCode()).isEqualTo(200);
        assertThat(byParameter.body()).contains("VERIFIED");

        assertThat(fixtures.client().get("sam.sponsor", "/api/identities/" + identityId + "/evidence", "text/html")
                .statusCode()).isEqualTo(403);
        assertThat(fixtures.client().get("alice.auditor", "/api/identities/" + UUID.randomUUID() + "/evidence", "text/html")
                .body()).contains("No audit entries are recorded for this identity");
    }

    @Test
    void aChangedEntryIsNamedAndThePageSaysBroken() throws Exception {
        AuditEvent changed = entries.get(1);
        try {
            jdbc.update("update audit_event set detail = 'decision=CRITICAL' where id = ?", changed.getId());

            JsonNode verification = verification();
            assertThat(verification.get("intact").asBoolean()).isFalse();
            assertThat(verification.get("firstBrokenEntry").asLong()).isEqualTo(changed.getId());
            assertThat(verification.get("problem").asText()).contains("was changed");
            assertThat(fixtures.client().get("alice.auditor", "/api/identities/" + identityId + "/evidence", "text/html")
                    .body()).contains("BROKEN: entry " + changed.getId() + " content does not match its hash");
        } finally {
            jdbc.update("update audit_event set detail = ? where id = ?", changed.getDetail(), changed.getId());
        }
        assertThat(verification().get("intact").asBoolean()).isTrue();
    }

    @Test
    void aRemovedEntryIsNamedByTheEntryAfterIt() throws Exception {
        AuditEvent removed = entries.get(2);
        Map<String, Object> row = jdbc.queryForMap("select * from audit_event where id = ?", removed.getId());
        try {
            jdbc.update("delete from audit_event where id = ?", removed.getId());
            // the entry after it in its chain, the partnership's
            long next = entries.get(3).getId();

            JsonNode verification = verification();
            assertThat(verification.get("intact").asBoolean()).isFalse();
            assertThat(verification.get("firstBrokenEntry").asLong()).isEqualTo(next);
            assertThat(verification.get("problem").asText()).contains("an entry before it was removed or changed");
            assertThat(fixtures.client().get("alice.auditor", "/api/identities/" + identityId + "/evidence", "text/html")
                    .body()).contains("BROKEN");
        } finally {
            putBack(row);
        }
        assertThat(verification().get("intact").asBoolean()).isTrue();
    }

    @Test
    void entriesRemovedFromAChainsEndBeforeTheCheckpointAreNamedAndTheCheckpointVerifiesOffline() throws Exception {
        String chain = "audit-" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 3; i++) {
            audit.record("system", IdentityAction.IDENTITY_PROVISIONED, chain, identityId, "entry " + i);
        }
        List<AuditEvent> trail = audit.ofPartnership(chain);
        assertThat(trail).extracting(AuditEvent::getChainKey).containsOnly(chain);
        assertThat(trail).extracting(AuditEvent::getChainPosition).containsExactly(1L, 2L, 3L);
        long sequence = checkpoints.checkpoint().orElseThrow();

        // published like a receipt: the file verifies offline with the receipts' public keys, and names our chain's head
        HttpResponse<String> published = fixtures.client().get("alice.auditor", "/api/audit/checkpoint");
        assertThat(published.statusCode()).isEqualTo(200);
        String keys = fixtures.client().get("alice.auditor", "/api/receipts/keys").body();
        assertThat(ReceiptVerifier.verify(published.body(), keys).valid()).isTrue();
        JsonNode statement = JSON.readTree(published.body()).get("receipt");
        assertThat(statement.get("type").asText()).isEqualTo(AuditCheckpoints.TYPE);
        assertThat(statement.get("sequence").asLong()).isEqualTo(sequence);
        assertThat(fixtures.client().get("sam.sponsor", "/api/audit/checkpoint").statusCode()).isEqualTo(403);

        // the tail removed and the chain's head row rewound: the chain alone looks whole, the checkpoint does not
        AuditEvent tail = trail.get(2);
        Map<String, Object> row = jdbc.queryForMap("select * from audit_event where id = ?", tail.getId());
        try {
            jdbc.update("delete from audit_event where id = ?", tail.getId());
            jdbc.update("update audit_chain_head set chain_position = 2, hash = ?, entry_id = ? where chain_key = ?",
                    trail.get(1).getHash(), trail.get(1).getId(), chain);
            JsonNode verification = verification();
            assertThat(verification.get("intact").asBoolean()).isFalse();
            assertThat(verification.get("firstBrokenEntry").asLong()).isEqualTo(tail.getId());
            assertThat(verification.get("problem").asText()).startsWith("entry is gone: the signed checkpoint " + sequence)
                    .contains("head of chain " + chain + " at position 3");
            assertThat(verification.get("checkpoint").asLong()).isEqualTo(sequence);
        } finally {
            putBack(row);
            jdbc.update("update audit_chain_head set chain_position = 3, hash = ?, entry_id = ? where chain_key = ?",
                    tail.getHash(), tail.getId(), chain);
        }
        assertThat(verification().get("intact").asBoolean()).isTrue();
    }

    @Test
    void aForgedCheckpointIsNamed() throws Exception {
        audit.record("system", IdentityAction.IDENTITY_PROVISIONED, "acme", identityId, "moves the head");
        long sequence = checkpoints.checkpoint().orElseThrow();
        AuditEvent head = audit.ofPartnership("acme").get(audit.ofPartnership("acme").size() - 1);
        try {
            // the checkpoint's head of the chain lowered, as someone hiding a removal would
            jdbc.update("update audit_checkpoint_head set chain_position = chain_position - 1 where chain_key = 'acme'");
            JsonNode verification = verification();
            assertThat(verification.get("intact").asBoolean()).isFalse();
            assertThat(verification.get("problem").asText())
                    .contains("the newest checkpoint (" + sequence + ") signed other heads");
            assertThat(fixtures.client().get("alice.auditor", "/api/identities/" + identityId + "/evidence", "text/html")
                    .body()).contains("BROKEN: the audit trail is broken (the newest checkpoint");
        } finally {
            jdbc.update("update audit_checkpoint_head set chain_position = ? where chain_key = 'acme'",
                    head.getChainPosition());
        }
        assertThat(verification().get("intact").asBoolean()).isTrue();
    }

    @Test
    void appendsOfTwoPartnershipsDoNotWaitForEachOtherAndANewChainsFirstAppendsTakeTurns() throws Exception {
        String held = "held-" + UUID.randomUUID().toString().substring(0, 8);
        String other = "other-" + UUID.randomUUID().toString().substring(0, 8);
        TransactionTemplate transaction = new TransactionTemplate(transactions);
        ExecutorService threads = Executors.newCachedThreadPool();
        CountDownLatch appended = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try {
            // the first append of a new chain, held open at its commit with the chain's head row inserted and locked
            Future<?> holding = threads.submit(() -> transaction.executeWithoutResult(status -> {
                audit.record("system", IdentityAction.IDENTITY_PROVISIONED, held, identityId, "held open");
                TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                    @Override
                    public void beforeCommit(boolean readOnly) {
                        appended.countDown();
                        try {
                            release.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                });
            }));
            assertThat(appended.await(30, TimeUnit.SECONDS)).isTrue();
            // another partnership's append commits meanwhile, through the application's own transactions
            threads.submit(() -> audit.record("system", IdentityAction.IDENTITY_PROVISIONED, other, identityId,
                    "not waiting")).get(10, TimeUnit.SECONDS);
            assertThat(audit.ofPartnership(other)).extracting(AuditEvent::getChainPosition).containsExactly(1L);
            // a second first append of the held chain waits, then lands after it (the duplicate head undone)
            Future<?> second = threads.submit(() -> audit.record("system", IdentityAction.IDENTITY_PROVISIONED, held,
                    identityId, "second"));
            // within H2's lock timeout (2 s), which the release must beat
            Thread.sleep(500);
            assertThat(second).isNotDone();
            release.countDown();
            holding.get(30, TimeUnit.SECONDS);
            second.get(30, TimeUnit.SECONDS);
        } finally {
            release.countDown();
            threads.shutdownNow();
        }
        assertThat(audit.ofPartnership(held)).extracting(AuditEvent::getDetail).containsExactly("held open", "second");
        assertThat(audit.ofPartnership(held)).extracting(AuditEvent::getChainPosition).containsExactly(1L, 2L);
        assertThat(verification().get("intact").asBoolean()).isTrue();
    }

    private void putBack(Map<String, Object> row) {
        jdbc.update("insert into audit_event (id, occurred_at, actor, actor_kind, action, partnership_key, identity_id, "
                        + "detail, previous_hash, hash, hash_version, chain_key, chain_position) "
                        + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                row.get("id"), row.get("occurred_at"), row.get("actor"), row.get("actor_kind"), row.get("action"),
                row.get("partnership_key"), row.get("identity_id"), row.get("detail"), row.get("previous_hash"),
                row.get("hash"), row.get("hash_version"), row.get("chain_key"), row.get("chain_position"));
    }

    private JsonNode verification() throws Exception {
        HttpResponse<String> response = fixtures.client().get("alice.auditor", "/api/audit/verification");
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
