package org.partneraccess.modelchange;

import org.camunda.bpm.engine.AuthorizationException;

/**
 * The answer to a process owner's deployment: not deployed, kept for review. A refusal of the direct deployment (403)
 * that names the change, so Modeler and scripts show where it went.
 */
public class ModelChangeSubmittedException extends AuthorizationException {

    public ModelChangeSubmittedException(ModelChange change) {
        super("Not deployed: models change only with a second person's approval. Kept as model change " + change.getId()
                + " for a security officer's review (Tasklist: Review model change); nothing is live until it is approved.");
    }
}
