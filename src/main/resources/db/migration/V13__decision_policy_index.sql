-- A changed policy is tried on the newest recorded policy decisions (decided_by = 'policy'), newest first.
create index ix_decision_decided_by on decision (decided_by, id);
