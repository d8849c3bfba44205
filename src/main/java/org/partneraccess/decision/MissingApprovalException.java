package org.partneraccess.decision;

import org.camunda.bpm.engine.BadUserRequestException;

/**
 * A grant whose approvals are not all in the decision record: nothing is granted. A request error to the engine's API
 * (whoever drove an instance past its approvals, an administrator included, is told so), a failed job otherwise.
 */
public class MissingApprovalException extends BadUserRequestException {

    public MissingApprovalException(String subject, String why) {
        super("Not approved: " + subject + ": " + why);
    }
}
