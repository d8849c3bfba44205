package org.partneraccess.security;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** Where each completed user task's decision is appended, with who took it (the decision record). */
public interface TaskDecisionLog {

    void append(String subject, String processInstanceId, String taskKey, String decidedBy, Map<String, Object> fields);

    /**
     * Who last decided {@code earlierTask} in the process instance, unless {@code task} has been decided there since
     * (an earlier round's decider does not bind a later round).
     */
    Optional<String> deciderSince(String processInstanceId, String earlierTask, String task);

    /**
     * Who took the latest task decision in the process instance, as recorded (what a rejection or review is attributed
     * to); {@code otherwise} when nobody has decided there (a deadline decided).
     */
    String lastDecider(String processInstanceId, String otherwise);

    /** For the in-memory process unit tests' engine, which has no registry: kept in memory, the same rules. */
    static TaskDecisionLog inMemory() {
        record Entry(String processInstanceId, String taskKey, String decidedBy) { }
        List<Entry> entries = new CopyOnWriteArrayList<>();
        return new TaskDecisionLog() {
            @Override
            public void append(String subject, String processInstanceId, String taskKey, String decidedBy,
                               Map<String, Object> fields) {
                entries.add(new Entry(processInstanceId, taskKey, decidedBy));
            }

            @Override
            public String lastDecider(String processInstanceId, String otherwise) {
                for (int i = entries.size() - 1; i >= 0; i--) {
                    if (entries.get(i).processInstanceId().equals(processInstanceId)) {
                        return entries.get(i).decidedBy();
                    }
                }
                return otherwise;
            }

            @Override
            public Optional<String> deciderSince(String processInstanceId, String earlierTask, String task) {
                for (int i = entries.size() - 1; i >= 0; i--) {
                    Entry entry = entries.get(i);
                    if (entry.processInstanceId().equals(processInstanceId)) {
                        if (entry.taskKey().equals(earlierTask)) {
                            return Optional.of(entry.decidedBy());
                        }
                        if (entry.taskKey().equals(task)) {
                            return Optional.empty();
                        }
                    }
                }
                return Optional.empty();
            }
        };
    }
}
