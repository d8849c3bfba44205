package org.partneraccess.audit;

import java.time.Instant;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One entry of the append-only audit trail, chained to its predecessor by hash. {@code hashVersion} says what the
 * hash covers: 1 (entries written before the actor kind was recorded) everything but the kind, 2 the kind as well,
 * 3 also the entry's chain (its partnership's) and its position there. Entries of versions 1 and 2 have no chain: they
 * form the closed legacy segment.
 */
@Entity
@Immutable
@Table(name = "audit_event")
public class AuditEvent {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    private Instant occurredAt;
    private String actor;
    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR)
    private ActorKind actorKind;
    private String action;
    private String partnershipKey;
    private String identityId;
    private String detail;
    private String previousHash;
    private String hash;
    private int hashVersion;
    private String chainKey;
    private Long chainPosition;

    protected AuditEvent() {
    }


    public Long getId() { return id; }
    public Instant getOccurredAt() { return occurredAt; }
    public String getActor() { return actor; }
    public ActorKind getActorKind() { return actorKind; }
    public String getAction() { return action; }
    /** Whether this entry records one of these actions (the trail stores their names). */
    public boolean is(AuditAction... actions) {
        return java.util.Arrays.stream(actions).anyMatch(each -> each.name().equals(getAction()));
    }
    public String getPartnershipKey() { return partnershipKey; }
    public String getIdentityId() { return identityId; }
    public String getDetail() { return detail; }
    public String getPreviousHash() { return previousHash; }
    public String getHash() { return hash; }
    public int getHashVersion() { return hashVersion; }
    /** The chain the entry belongs to, null in the legacy segment. */
    public String getChainKey() { return chainKey; }
    /** The entry's position in its chain, from 1; null in the legacy segment. */
    public Long getChainPosition() { return chainPosition; }
}
