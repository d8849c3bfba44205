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
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.partneraccess.LifecycleState;
import org.partneraccess.RegistryRecord;
import org.partneraccess.StringSetConverter;

/**
 * One partner person (a Keycloak user) or partner machine (a Keycloak client) of a partnership.
 * {@code keycloakName} is the username or client id in the partner realm.
 */
@Entity
@Table(name = "partner_identity")
public class PartnerIdentity extends RegistryRecord {

    @Id
    @Column(name = "identity_id")
    private String id;
    private String partnershipKey;
    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR)
    private IdentityKind kind;
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
    /**
     * Written only by statements that move it forward ({@link IdentityUsage}), never with the rest of the row.
     */
    @Column(insertable = false, updatable = false)
    private Instant lastUsedAt;
    private Instant revokedAt;

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
    }

    public void provisioned(String keycloakId) {
        this.keycloakId = keycloakId;
        moveTo(LifecycleState.ACTIVE, null);
    }

    /** Keeps only the given scopes (a person's roles); never adds one. */
    public void narrowScopes(Set<String> kept) {
        clientScopes.retainAll(kept);
    }

    /** A new internal owner, when the previous one left. */
    public void handOver(String successor) {
        this.owner = successor;
    }

    public void revoke(String reason, Instant at) {
        this.revokedAt = at;
        moveTo(LifecycleState.REVOKED, reason);
    }


    public String getId() { return id; }
    public String getPartnershipKey() { return partnershipKey; }
    public IdentityKind getKind() { return kind; }
    public String getDisplayName() { return displayName; }
    public String getKeycloakName() { return keycloakName; }
    public String getKeycloakId() { return keycloakId; }
    public String getEmail() { return email; }
    public String getOwner() { return owner; }
    public String getPurpose() { return purpose; }
    public String getEnvironment() { return environment; }
    public Set<String> getClientScopes() { return Set.copyOf(clientScopes); }
    /** When access stops (the timers and the sweep use it); people are shown {@link #getLastDay()}. */
    public Instant getEndDate() { return endDate; }
    public java.time.LocalDate getLastDay() { return lastDay(endDate); }
    public String getRequestedBy() { return requestedBy; }
    public Instant getLastUsedAt() { return lastUsedAt; }
    public Instant getRevokedAt() { return revokedAt; }
}
