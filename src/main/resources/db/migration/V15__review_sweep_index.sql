-- The expiry sweep reads the people whose review is overdue by more than the deadline every second: only rows still
-- holding access (ACTIVE, UNDER_REVIEW), by review date, so revoked people's old review dates are never read again.
create index ix_partner_identity_state_next_review on partner_identity (state, next_review_at, identity_id);
