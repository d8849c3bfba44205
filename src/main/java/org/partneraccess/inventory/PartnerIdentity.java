package org.partneraccess.inventory;

import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.PrePersist;
import jakarta.persistence.PreUpdate;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.partneraccess.LifecycleState;
import org.partneraccess.StringSetConverter;

/**
 * One partner person (a Keycloak user) or partner machine (a Keycloak client) of a partnership.
 * {@code keycloakName} is the username or client id in the partner realm.
 */
@Entity
@Table(name = "partner_identity")
public class PartnerIdentity {

    @Id
    @Column(name = "identity_id")
    private String id;
    private String partnershipKey;
    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR)
    private IdentityKind kind;
    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR)
    private LifecycleState state;
    private String stateReason;
    private String displayName;
    private String keycloakName;
    private String keycloakId;
    private String email;
    private String owner;
    private String purpose;
    private String environment;
    @Convert(converter = StringSetConverter.class)
    private Set<String> clientScopes = new TreeSet<>();
    private Instant endDate;
    private String requestedBy;
    private String approvedBy;
    private Instant approvedAt;
    private Instant nextReviewAt;
    private Instant lastUsedAt;
    private Instant revokedAt;
    private Instant createdAt;
    private Instant updatedAt;
    @Version
    private long version;

    protected PartnerIdentity() {
    }

    public PartnerIdentity(String id, String partnershipKey, IdentityKind kind, String displayName, String keycloakName,
                           String email, String owner, String purpose, String environment, Set<String> clientScopes,
                           Instant endDate, String requestedBy) {
        this.id = id;
        this.partnershipKey = partnershipKey;
        this.kind = kind;
        this.displayName = displayName;
        this.keycloakName = keycloakName;
        this.email = email;
        this.owner = owner;
        this.purpose = purpose;
        this.environment = environment;
        this.clientScopes = clientScopes == null ? new TreeSet<>() : new TreeSet<>(clientScopes);
        this.endDate = endDate;
        this.requestedBy = requestedBy;
        this.state = LifecycleState.REQUESTED;
    }

    @PrePersist
    void onCreate() {
        createdAt = Instant.now();
        updatedAt = createdAt;
    }

    @PreUpdate
    void onUpdate() {
        updatedAt = Instant.now();
    }

    public void approve(String approvers, Instant at) {
        this.approvedBy = approvers;
        this.approvedAt = at;
        moveTo(LifecycleState.APPROVED, null);
    }

    public void provisioned(String keycloakId) {
        this.keycloakId = keycloakId;
        moveTo(LifecycleState.ACTIVE, null);
    }

    public void revoke(String reason, Instant at) {
        this.revokedAt = at;
        moveTo(LifecycleState.REVOKED, reason);
    }

    public void moveTo(LifecycleState newState, String reason) {
        this.state = newState;
        this.stateReason = reason;
    }

    public String getId() { return id; }
    public String getPartnershipKey() { return partnershipKey; }
    public IdentityKind getKind() { return kind; }
    public LifecycleState getState() { return state; }
    public String getStateReason() { return stateReason; }
    public String getDisplayName() { return displayName; }
    public String getKeycloakName() { return keycloakName; }
    public String getKeycloakId() { return keycloakId; }
    public String getEmail() { return email; }
    public String getOwner() { return owner; }
    public String getPurpose() { return purpose; }
    public String getEnvironment() { return environment; }
    public Set<String> getClientScopes() { return Set.copyOf(clientScopes); }
    public Instant getEndDate() { return endDate; }
    public String getRequestedBy() { return requestedBy; }
    public String getApprovedBy() { return approvedBy; }
    public Instant getApprovedAt() { return approvedAt; }
    public Instant getNextReviewAt() { return nextReviewAt; }
    public Instant getLastUsedAt() { return lastUsedAt; }
    public Instant getRevokedAt() { return revokedAt; }
    public Instant getCreatedAt() { return createdAt; }
    public Instant getUpdatedAt() { return updatedAt; }
}
