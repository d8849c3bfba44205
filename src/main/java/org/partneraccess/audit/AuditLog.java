package org.partneraccess.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Appends audit evidence as a hash chain and verifies that nothing in it was changed or removed. */
@Service
public class AuditLog {

    static final String GENESIS = "0".repeat(64);

    private final AuditEventRepository events;

    AuditLog(AuditEventRepository events) {
        this.events = events;
    }

    @Transactional
    public AuditEvent record(String actor, String action, String partnershipKey, String identityId, String detail) {
        String previous = events.findFirstByOrderByIdDesc().map(AuditEvent::getHash).orElse(GENESIS);
        // the database keeps microseconds; hash what is stored
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        String hash = hash(previous, now, actor, action, partnershipKey, identityId, detail);
        return events.save(new AuditEvent(now, actor, action, partnershipKey, identityId, detail, previous, hash));
    }

    @Transactional(readOnly = true)
    public List<AuditEvent> ofPartnership(String partnershipKey) {
        return events.findByPartnershipKeyOrderById(partnershipKey);
    }

    /** The partnership's newest event of this kind. */
    @Transactional(readOnly = true)
    public java.util.Optional<AuditEvent> latest(String partnershipKey, String action) {
        return events.findFirstByPartnershipKeyAndActionOrderByIdDesc(partnershipKey, action);
    }

    @Transactional(readOnly = true)
    public List<AuditEvent> ofIdentity(String identityId) {
        return events.findByIdentityIdOrderById(identityId);
    }

    /** Walks the whole chain; returns the id of the first entry that does not match, or null when intact. */
    @Transactional(readOnly = true)
    public Long firstBrokenEntry() {
        String previous = GENESIS;
        for (AuditEvent event : events.findAll(org.springframework.data.domain.Sort.by("id"))) {
            String expected = hash(previous, event.getOccurredAt(), event.getActor(), event.getAction(),
                    event.getPartnershipKey(), event.getIdentityId(), event.getDetail());
            if (!event.getPreviousHash().equals(previous) || !event.getHash().equals(expected)) {
                return event.getId();
            }
            previous = event.getHash();
        }
        return null;
    }

    static String hash(String previous, Instant at, String actor, String action, String partnershipKey,
                       String identityId, String detail) {
        String canonical = String.join("\u001f", previous, at.toString(), actor, action,
                String.valueOf(partnershipKey), String.valueOf(identityId), String.valueOf(detail));
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
