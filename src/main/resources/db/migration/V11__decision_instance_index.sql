-- Segregation of duties asks who decided an earlier task of the same process instance.
create index ix_decision_instance on decision (process_instance_id, step, id);
