package org.partneraccess.security;

import java.util.Map;

/** Where each completed user task's decision is appended, with who took it (the decision record). */
public interface TaskDecisionLog {

    void append(String subject, String processInstanceId, String taskKey, String decidedBy, Map<String, Object> fields);

    /** For the in-memory process unit tests: no registry there, and their delegates are mocks. */
    TaskDecisionLog NOT_KEPT = (subject, processInstanceId, taskKey, decidedBy, fields) -> { };
}
