package org.partneraccess.partnership;

import java.time.LocalDate;
import java.util.Set;
import java.util.TreeSet;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.partneraccess.RegistryRecord;
import org.partneraccess.StringSetConverter;

/** A partner relationship: who sponsors it, why it exists, what it may reach, and until when. */
@Entity
@Table(name = "partnership")
public class Partnership extends RegistryRecord {

    @Id
    @Column(name = "partnership_key")
    private String key;
    private String legalName;
    private String sponsor;
    private String businessOwner;
    private String technicalOwner;
    private String purpose;
    @Convert(converter = StringSetConverter.class)
    private Set<String> dataClasses = new TreeSet<>();
    @Convert(converter = StringSetConverter.class)
    private Set<String> environments = new TreeSet<>();
    @Convert(converter = StringSetConverter.class)
    private Set<String> clientScopes = new TreeSet<>();
    private LocalDate endDate;
    private String riskTier;
    private String requestedBy;

    protected Partnership() {
    }

    public Partnership(String key, String legalName, String sponsor, String businessOwner, String technicalOwner,
                       String purpose, Set<String> dataClasses, Set<String> environments, Set<String> clientScopes,
                       LocalDate endDate, String requestedBy) {
        this.key = key;
        this.legalName = legalName;
        this.sponsor = sponsor;
        this.businessOwner = businessOwner;
        this.technicalOwner = technicalOwner;
        this.purpose = purpose;
        this.dataClasses = new TreeSet<>(dataClasses);
        this.environments = new TreeSet<>(environments);
        this.clientScopes = new TreeSet<>(clientScopes);
        this.endDate = endDate;
        this.requestedBy = requestedBy;
    }


    public void setRiskTier(String riskTier) {
        this.riskTier = riskTier;
    }

    public void setClientScopes(Set<String> clientScopes) {
        this.clientScopes = new TreeSet<>(clientScopes);
    }

    public void widen(Set<String> clientScopes, Set<String> dataClasses, Set<String> environments) {
        this.clientScopes.addAll(clientScopes);
        this.dataClasses.addAll(dataClasses);
        this.environments.addAll(environments);
    }

    /**
     * Names the successor wherever the departed staff user was sponsor, business owner or technical owner.
     *
     * @return the roles handed over, e.g. [sponsor, technicalOwner]
     */
    public java.util.List<String> handOver(String departed, String successor) {
        java.util.List<String> roles = new java.util.ArrayList<>();
        if (departed.equals(sponsor)) {
            sponsor = successor;
            roles.add("sponsor");
        }
        if (departed.equals(businessOwner)) {
            businessOwner = successor;
            roles.add("businessOwner");
        }
        if (departed.equals(technicalOwner)) {
            technicalOwner = successor;
            roles.add("technicalOwner");
        }
        return roles;
    }

    public String getKey() { return key; }
    public String getLegalName() { return legalName; }
    public String getSponsor() { return sponsor; }
    public String getBusinessOwner() { return businessOwner; }
    public String getTechnicalOwner() { return technicalOwner; }
    public String getPurpose() { return purpose; }
    public Set<String> getDataClasses() { return Set.copyOf(dataClasses); }
    public Set<String> getEnvironments() { return Set.copyOf(environments); }
    public Set<String> getClientScopes() { return Set.copyOf(clientScopes); }
    public LocalDate getEndDate() { return endDate; }
    public String getRiskTier() { return riskTier; }
    public String getRequestedBy() { return requestedBy; }
}
