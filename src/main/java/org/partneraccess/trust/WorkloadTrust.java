package org.partneraccess.trust;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.partneraccess.LifecycleState;
import org.partneraccess.RegistryRecord;
import org.partneraccess.keycloak.PartnerIdentityProviders;

/**
 * A partnership's workload trust: the issuer whose tokens may authenticate the partnership's federated machines.
 * One open (not ended) trust per partnership: {@code openPartnershipKey} holds the key until the trust ends, and the
 * database keeps it unique.
 */
@Entity
@Table(name = "workload_trust")
public class WorkloadTrust extends RegistryRecord {

    @Id
    @Column(name = "trust_id")
    private String id;
    private String partnershipKey;
    private String openPartnershipKey;
    @Enumerated(EnumType.STRING)
    private PartnerIdentityProviders.Kind kind;
    private String issuer;
    private String jwksUrl;
    private String publicKey;
    private String requestedBy;

    protected WorkloadTrust() {
    }

    WorkloadTrust(String id, String partnershipKey, PartnerIdentityProviders.Kind kind, String issuer, String jwksUrl,
                  String requestedBy) {
        this.id = id;
        this.partnershipKey = partnershipKey;
        this.openPartnershipKey = partnershipKey;
        this.kind = kind;
        this.issuer = issuer;
        this.jwksUrl = jwksUrl;
        this.requestedBy = requestedBy;
    }

    /** The revocation drill's trust: its synthetic issuer's public key held inline (Keycloak fetches nothing). */
    static WorkloadTrust withInlineKey(String id, String partnershipKey, String issuer, String publicKey,
                                       String requestedBy) {
        WorkloadTrust trust = new WorkloadTrust(id, partnershipKey, PartnerIdentityProviders.Kind.OIDC, issuer, null,
                requestedBy);
        trust.publicKey = publicKey;
        return trust;
    }

    /** An OIDC issuer registered by its issuer alone: its JWKS URL is read from its discovery document at approval. */
    boolean needsDiscovery() {
        return kind == PartnerIdentityProviders.Kind.OIDC && jwksUrl == null && publicKey == null;
    }

    /** The JWKS URL the issuer's discovery document named when the trust was approved. */
    void discovered(String jwksUrl) {
        this.jwksUrl = jwksUrl;
    }

    @Override
    public void moveTo(LifecycleState newState, String reason) {
        super.moveTo(newState, reason);
        if (newState.isFinal()) {
            // ended: the partnership may ask for another trust
            openPartnershipKey = null;
        }
    }

    /** The issuer as the identity provider of the partner realm is made from it. */
    public PartnerIdentityProviders.WorkloadIssuer workloadIssuer() {
        return new PartnerIdentityProviders.WorkloadIssuer(partnershipKey, id, kind, issuer, jwksUrl, publicKey);
    }

    public String getId() { return id; }
    public String getPartnershipKey() { return partnershipKey; }
    public PartnerIdentityProviders.Kind getKind() { return kind; }
    public String getIssuer() { return issuer; }
    public String getJwksUrl() { return jwksUrl; }
    public String getRequestedBy() { return requestedBy; }
}
