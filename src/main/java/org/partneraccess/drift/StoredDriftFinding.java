package org.partneraccess.drift;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

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
import org.partneraccess.drift.DriftFinding.KeycloakObject;
import org.partneraccess.drift.DriftFinding.ObjectType;

/**
 * A drift finding as the reconciliation found it, kept in the registry: the authority its review acts on. The review
 * process carries only the id; the Keycloak object is the one found (by Keycloak's internal id), whatever the process's
 * variables say. The decision is written once, with who took it.
 */
@Entity
@Table(name = "drift_finding")
public class StoredDriftFinding {

    @Id
    @Column(name = "finding_id")
    private String id;
    private String findingKey;
    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR)
    private DriftKind kind;
    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR)
    private ObjectType objectType;
    private String keycloakId;
    private String keycloakName;
    private String identityId;
    private String partnershipKey;
    private String registryState;
    private String expected;
    private String found;
    @Convert(converter = StringSetConverter.class)
    private Set<String> excess = new TreeSet<>();
    private String reviewers;
    private Instant detectedAt;
    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR)
    private DriftFindingStatus status;
    private String reviewProcessId;
    private String decision;
    private String decidedBy;
    private Instant decidedAt;
    private String reviewComment;
    private String outcome;
    private Instant closedAt;
    @Version
    private long version;

    protected StoredDriftFinding() {
    }

    /** A new, open finding with an id assigned here. */
    static StoredDriftFinding of(DriftFinding finding, Instant detectedAt) {
        StoredDriftFinding stored = new StoredDriftFinding();
        stored.id = UUID.randomUUID().toString();
        stored.findingKey = clip(finding.key(), 500);
        stored.kind = finding.kind();
        stored.objectType = finding.object().type();
        stored.keycloakId = finding.object().id();
        stored.keycloakName = clip(finding.object().name(), 255);
        stored.identityId = clip(finding.identityId(), 255);
        stored.partnershipKey = clip(finding.partnershipKey(), 255);
        stored.registryState = clip(finding.registryState(), 100);
        stored.expected = clip(finding.expected(), 2000);
        stored.found = clip(finding.found(), 2000);
        stored.excess = new TreeSet<>(finding.excess());
        stored.reviewers = clip(String.join(",", finding.reviewers()), 1000);
        stored.detectedAt = detectedAt;
        stored.status = DriftFindingStatus.OPEN;
        return stored;
    }

    void reviewOpened(String processInstanceId) {
        this.reviewProcessId = processInstanceId;
    }

    /** The reviewer's decision, once: a second one, or one on a closed finding, is refused. */
    void decide(String decision, String by, Instant at, String comment) {
        if (status != DriftFindingStatus.OPEN || this.decision != null) {
            throw new IllegalStateException("drift finding " + id + " was decided already (" + status
                    + (this.decision == null ? "" : ", " + this.decision + " by " + decidedBy) + ")");
        }
        this.decision = decision;
        this.decidedBy = by;
        this.decidedAt = at;
        this.reviewComment = clip(comment, 1000);
    }

    /** Keycloak was left as it is, or the system corrected it at once (then it is the system's decision). */
    void close(DriftFindingStatus status, String outcome, Instant at) {
        if (this.status != DriftFindingStatus.OPEN) {
            throw new IllegalStateException("drift finding " + id + " is closed already (" + this.status + ")");
        }
        this.status = status;
        this.outcome = clip(outcome, 2000);
        this.closedAt = at;
    }

    /** What happened so far while it stays open, e.g. a correction Keycloak refused for now. */
    void note(String outcome) {
        this.outcome = clip(outcome, 2000);
    }

    /** As it was found, for the audit trail and the review's display. */
    DriftFinding asFound() {
        List<String> named = reviewers == null || reviewers.isBlank() ? List.of()
                : new ArrayList<>(List.of(reviewers.split(",")));
        return new DriftFinding(findingKey, kind, new KeycloakObject(objectType, keycloakName, keycloakId, true),
                identityId, partnershipKey, registryState, expected, found, excess, named, null, id);
    }

    private static String clip(String text, int length) {
        return text == null || text.length() <= length ? text : text.substring(0, length - 1) + "…";
    }

    public String getId() { return id; }
    public String getFindingKey() { return findingKey; }
    public DriftKind getKind() { return kind; }
    public ObjectType getObjectType() { return objectType; }
    public String getKeycloakId() { return keycloakId; }
    public String getKeycloakName() { return keycloakName; }
    public String getIdentityId() { return identityId; }
    public String getPartnershipKey() { return partnershipKey; }
    public String getRegistryState() { return registryState; }
    public String getExpected() { return expected; }
    public String getFound() { return found; }
    public Set<String> getExcess() { return excess; }
    public String getReviewers() { return reviewers; }
    public Instant getDetectedAt() { return detectedAt; }
    public DriftFindingStatus getStatus() { return status; }
    public String getReviewProcessId() { return reviewProcessId; }
    public String getDecision() { return decision; }
    public String getDecidedBy() { return decidedBy; }
    public Instant getDecidedAt() { return decidedAt; }
    public String getReviewComment() { return reviewComment; }
    public String getOutcome() { return outcome; }
    public Instant getClosedAt() { return closedAt; }
}
