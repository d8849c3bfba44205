package org.partneraccess;

import java.time.Instant;
import java.util.Set;

import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.PrePersist;
import jakarta.persistence.PreUpdate;
import jakarta.persistence.Version;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** What every registry row carries: its lifecycle state and why, who approved it, and when it changed. */
@MappedSuperclass
public abstract class RegistryRecord {

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR)
    private LifecycleState state = LifecycleState.REQUESTED;
    private String stateReason;
    private String approvedBy;
    private Instant approvedAt;
    private Instant nextReviewAt;
    private Instant createdAt;
    private Instant updatedAt;
    @Version
    private long version;

    @PrePersist
    void onCreate() {
        createdAt = Instant.now();
        updatedAt = createdAt;
    }

    @PreUpdate
    void onUpdate() {
        updatedAt = Instant.now();
    }

    /** Access lasts through its end date. */
    public static Instant endOfDay(java.time.LocalDate date) {
        return date.atTime(java.time.LocalTime.MAX).toInstant(java.time.ZoneOffset.UTC);
    }

    /**
     * The end date as it was entered, for everything people read (API, dashboard, exports, mails): the stored end is
     * the instant access stops, which the database keeps rounded up to the next midnight (UTC).
     */
    public static java.time.LocalDate lastDay(Instant end) {
        return end == null ? null : java.time.LocalDate.ofInstant(end.minusNanos(1), java.time.ZoneOffset.UTC);
    }

    public void approve(String approvers, Instant at) {
        this.approvedBy = approvers;
        this.approvedAt = at;
        moveTo(LifecycleState.APPROVED, null);
    }

    public void moveTo(LifecycleState newState, String reason) {
        if (!state.mayMoveTo(newState)) {
            throw new IllegalTransitionException(getClass().getSimpleName() + " is " + state + " and cannot become " + newState);
        }
        this.state = newState;
        this.stateReason = reason;
    }

    /**
     * Refuses an action on a record in another state, before the action touches anything (Keycloak included): every
     * delegate is a guarded transition, whatever path led the process there.
     */
    public void requireState(String action, Set<LifecycleState> allowed) {
        if (!allowed.contains(state)) {
            throw new IllegalTransitionException(getClass().getSimpleName() + " is " + state + ": no " + action
                    + " (only from " + allowed + ")");
        }
    }

    /**
     * An action the record's state does not allow; the registry and Keycloak stay as they are. A refusal, not a
     * failure: the engine's APIs answer 409 (a step driven onto a record in another state).
     */
    public static class IllegalTransitionException extends IllegalStateException implements Refusal {
        public IllegalTransitionException(String message) {
            super(message);
        }

        @Override
        public Kind kind() {
            return Kind.CONFLICT;
        }
    }

    public void setNextReviewAt(Instant nextReviewAt) {
        this.nextReviewAt = nextReviewAt;
    }

    public LifecycleState getState() { return state; }
    public String getStateReason() { return stateReason; }
    public String getApprovedBy() { return approvedBy; }
    public Instant getApprovedAt() { return approvedAt; }
    public Instant getNextReviewAt() { return nextReviewAt; }
    public Instant getCreatedAt() { return createdAt; }
    public Instant getUpdatedAt() { return updatedAt; }
    /** The optimistic-lock version: every write of the row moves it. */
    public long getVersion() { return version; }
}
