package org.partneraccess.audit;

import java.time.Instant;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;

/** One entry of the append-only audit trail, chained to its predecessor by hash. */
@Entity
@Immutable
@Table(name = "audit_event")
public class AuditEvent {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    private Instant occurredAt;
    private String actor;
    private String action;
    private String partnershipKey;
    private String identityId;
    private String detail;
    private String previousHash;
    private String hash;

    protected AuditEvent() {
    }

    AuditEvent(Instant occurredAt, String actor, String action, String partnershipKey, String identityId, String detail,
               String previousHash, String hash) {
        this.occurredAt = occurredAt;
        this.actor = actor;
        this.action = action;
        this.partnershipKey = partnershipKey;
        this.identityId = identityId;
        this.detail = detail;
        this.previousHash = previousHash;
        this.hash = hash;
    }

    public Long getId() { return id; }
    public Instant getOccurredAt() { return occurredAt; }
    public String getActor() { return actor; }
    public String getAction() { return action; }
    public String getPartnershipKey() { return partnershipKey; }
    public String getIdentityId() { return identityId; }
    public String getDetail() { return detail; }
    public String getPreviousHash() { return previousHash; }
    public String getHash() { return hash; }
}
