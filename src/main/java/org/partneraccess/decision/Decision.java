package org.partneraccess.decision;

import java.time.Instant;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;

/** One row of the decision record: written once, never updated (Hibernate ignores changes to an immutable entity). */
@Entity
@Table(name = "decision")
@Immutable
public class Decision {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    private String subject;
    private String processInstanceId;
    private String step;
    private String decidedBy;
    private String outcome;
    private Instant decidedAt;

    protected Decision() {
    }

    Decision(String subject, String processInstanceId, String step, String decidedBy, String outcome, Instant decidedAt) {
        this.subject = subject;
        this.processInstanceId = processInstanceId;
        this.step = step;
        this.decidedBy = decidedBy;
        this.outcome = outcome;
        this.decidedAt = decidedAt;
    }

    public Long getId() { return id; }
    public String getSubject() { return subject; }
    public String getProcessInstanceId() { return processInstanceId; }
    public String getStep() { return step; }
    public String getDecidedBy() { return decidedBy; }
    public String getOutcome() { return outcome; }
    public Instant getDecidedAt() { return decidedAt; }

    /** Taken by the access policy (a DMN table), not by a person. */
    public boolean byPolicy() {
        return Decisions.POLICY.equals(decidedBy);
    }
}
