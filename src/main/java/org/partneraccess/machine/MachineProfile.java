package org.partneraccess.machine;

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
import jakarta.persistence.Version;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.partneraccess.StringSetConverter;
import org.partneraccess.keycloak.PartnerClients;
import org.partneraccess.keycloak.PartnerClients.AuthMethod;
import org.partneraccess.keycloak.PartnerIdentityProviders;

/** What a partner machine is besides its registry row: how it authenticates and the limits the policy set. */
@Entity
@Table(name = "machine_profile")
public class MachineProfile {

    @Id
    @Column(name = "identity_id")
    private String identityId;
    private String machineKind;
    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR)
    private AuthMethod authMethod;
    private String jwksUrl;
    private String jwks;
    /** A federated machine's workload subject, which its partnership's workload issuer vouches for. */
    private String workloadSubject;
    @Convert(converter = StringSetConverter.class)
    private Set<String> dataClasses = new TreeSet<>();
    private int tokenLifespanSeconds;
    private int rotationDays;
    private String riskTier;
    /** The policy requires DPoP-bound access tokens: Keycloak refuses this client a token without a proof. */
    private boolean dpopBoundTokens;
    private Instant activeSince;
    private Instant useConfirmedAt;
    private Instant lastRotatedAt;
    @Convert(converter = StringSetConverter.class)
    private Set<String> elevatedScopes = new TreeSet<>();
    private String elevationReason;
    @Version
    private long version;

    protected MachineProfile() {
    }

    MachineProfile(String identityId, String machineKind, AuthMethod authMethod, String jwksUrl, String jwks,
                   Set<String> dataClasses, int tokenLifespanSeconds, int rotationDays, String riskTier,
                   boolean dpopBoundTokens, String workloadSubject) {
        this.identityId = identityId;
        this.workloadSubject = workloadSubject;
        this.machineKind = machineKind;
        this.authMethod = authMethod;
        this.jwksUrl = jwksUrl;
        this.jwks = jwks;
        this.dataClasses = new TreeSet<>(dataClasses);
        this.tokenLifespanSeconds = tokenLifespanSeconds;
        this.rotationDays = rotationDays;
        this.riskTier = riskTier;
        this.dpopBoundTokens = dpopBoundTokens;
    }

    void activeFrom(Instant at) {
        this.activeSince = at;
    }

    void useConfirmedAt(Instant at) {
        this.useConfirmedAt = at;
    }

    void limits(int tokenLifespanSeconds, int rotationDays, String riskTier, boolean dpopBoundTokens) {
        this.tokenLifespanSeconds = tokenLifespanSeconds;
        this.rotationDays = rotationDays;
        this.riskTier = riskTier;
        this.dpopBoundTokens = dpopBoundTokens;
    }

    void rotatedAt(Instant at) {
        this.lastRotatedAt = at;
    }

    void elevate(Set<String> scopes, String reason) {
        this.elevatedScopes = new TreeSet<>(scopes);
        this.elevationReason = reason;
    }

    void endElevation() {
        this.elevatedScopes = new TreeSet<>();
        this.elevationReason = null;
    }

    public String getIdentityId() { return identityId; }
    public String getMachineKind() { return machineKind; }
    public AuthMethod getAuthMethod() { return authMethod; }
    public String getJwksUrl() { return jwksUrl; }
    public String getJwks() { return jwks; }
    public String getWorkloadSubject() { return workloadSubject; }

    /**
     * How the machine's client authenticates, as provisioning sets it and drift compares it; a federated one names
     * its partnership's identity provider.
     */
    public PartnerClients.Credential credential(String partnershipKey) {
        return new PartnerClients.Credential(authMethod, jwksUrl, jwks,
                authMethod == AuthMethod.FEDERATED ? PartnerIdentityProviders.alias(partnershipKey) : null,
                workloadSubject);
    }
    public Set<String> getDataClasses() { return Set.copyOf(dataClasses); }
    public int getTokenLifespanSeconds() { return tokenLifespanSeconds; }
    public int getRotationDays() { return rotationDays; }
    public String getRiskTier() { return riskTier; }
    public boolean isDpopBoundTokens() { return dpopBoundTokens; }
    public Instant getActiveSince() { return activeSince; }
    public Instant getUseConfirmedAt() { return useConfirmedAt; }
    public Instant getLastRotatedAt() { return lastRotatedAt; }
    public Set<String> getElevatedScopes() { return Set.copyOf(elevatedScopes); }
    public String getElevationReason() { return elevationReason; }
}
