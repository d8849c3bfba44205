package org.partneraccess.modelchange;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A model change awaiting, or having had, its review: the authority the review acts on (its process carries the id). */
@Entity
@Table(name = "model_change")
public class ModelChange {

    @Id
    @Column(name = "change_id")
    private String id;
    private String deploymentName;
    private String submittedBy;
    private Instant submittedAt;
    private String summary;
    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR)
    private ModelChangeStatus status;
    private String decidedBy;
    private Instant decidedAt;
    private String decisionComment;
    private String deploymentId;
    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "model_change_resource", joinColumns = @JoinColumn(name = "change_id"))
    private List<ModelResource> resources = new ArrayList<>();
    @Version
    private long version;

    protected ModelChange() {
    }

    ModelChange(String id, String deploymentName, String submittedBy, String summary, List<ModelResource> resources) {
        this.id = id;
        this.deploymentName = deploymentName;
        this.submittedBy = submittedBy;
        this.submittedAt = Instant.now();
        this.summary = summary;
        this.status = ModelChangeStatus.PENDING;
        this.resources = new ArrayList<>(resources);
    }

    /** A change is decided once. */
    void decide(ModelChangeStatus outcome, String decidedBy, String comment, String deploymentId) {
        if (status != ModelChangeStatus.PENDING) {
            throw new IllegalStateException("Model change " + id + " is " + status + " already");
        }
        this.status = outcome;
        this.decidedBy = decidedBy;
        this.decidedAt = Instant.now();
        this.decisionComment = comment;
        this.deploymentId = deploymentId;
    }

    public String getId() { return id; }
    public String getDeploymentName() { return deploymentName; }
    public String getSubmittedBy() { return submittedBy; }
    public Instant getSubmittedAt() { return submittedAt; }
    public String getSummary() { return summary; }
    public ModelChangeStatus getStatus() { return status; }
    public String getDecidedBy() { return decidedBy; }
    public Instant getDecidedAt() { return decidedAt; }
    public String getDecisionComment() { return decisionComment; }
    public String getDeploymentId() { return deploymentId; }
    public List<ModelResource> getResources() { return List.copyOf(resources); }
}
