-- The expiry sweep reads the partnerships whose review is overdue by more than the deadline every second: only rows
-- still holding access (ACTIVE, UNDER_REVIEW), by review date, so suspended and ended partnerships are never read again.
create index ix_partnership_state_next_review on partnership (state, next_review_at, partnership_key);
