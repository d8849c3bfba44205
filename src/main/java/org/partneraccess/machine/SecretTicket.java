package org.partneraccess.machine;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/**
 * One hand-over of a machine's client secret to its owner. Holds the hash of the one-time token mailed to the owner,
 * never the token and never the secret.
 */
@Entity
@Table(name = "machine_secret_ticket")
class SecretTicket {

    enum Purpose { ISSUED, ROTATED, RENEWED }

    @Id
    @Column(name = "ticket_id")
    private String id;
    private String identityId;
    private String tokenHash;
    private String purpose;
    private Instant createdAt;
    private Instant expiresAt;
    private Instant retrievedAt;
    private String retrievedBy;
    private Instant closedAt;
    @Version
    private long version;

    protected SecretTicket() {
    }

    SecretTicket(String id, String identityId, String tokenHash, Purpose purpose, Instant createdAt, Instant expiresAt) {
        this.id = id;
        this.identityId = identityId;
        this.tokenHash = tokenHash;
        this.purpose = purpose.name();
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
    }

    boolean isOpen(Instant now) {
        return retrievedAt == null && closedAt == null && now.isBefore(expiresAt);
    }

    void retrieved(String by, Instant at) {
        this.retrievedBy = by;
        this.retrievedAt = at;
    }

    void close(Instant at) {
        if (closedAt == null && retrievedAt == null) {
            this.closedAt = at;
        }
    }

    String getId() { return id; }
    String getIdentityId() { return identityId; }
    String getPurpose() { return purpose; }
    Instant getExpiresAt() { return expiresAt; }
    Instant getRetrievedAt() { return retrievedAt; }
    Instant getClosedAt() { return closedAt; }
}
