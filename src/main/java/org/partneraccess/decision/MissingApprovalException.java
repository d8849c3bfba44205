package org.partneraccess.decision;

import org.camunda.bpm.engine.BadUserRequestException;
import org.partneraccess.Refusal;

/**
 * A grant whose approvals are not all in the decision record: nothing is granted. A refusal to the engine's API
 * (whoever drove an instance past its approvals, an administrator included, or completed a task of an instance
 * tampered with, is told so with 409: the record does not allow it), a failed job otherwise.
 */
public class MissingApprovalException extends BadUserRequestException implements Refusal {

    public MissingApprovalException(String subject, String why) {
        super("Not approved: " + subject + ": " + why);
    }

    @Override
    public Kind kind() {
        return Kind.CONFLICT;
    }
}
