package org.partneraccess.security;

import java.util.Map;

import org.camunda.bpm.engine.AuthorizationException;

/** Where a staff user's deployment goes instead of the engine: models change only with a second person's approval. */
public interface ModelChangeGate {

    /**
     * Takes the deployment as a proposal for review. Returns what the caller is told (the guard throws it), or null
     * when nothing in it differs from what is deployed, so deploying it changes nothing and may go ahead.
     */
    RuntimeException propose(String deploymentName, Map<String, byte[]> resources, String user);

    /** For an engine without the review (the in-memory test engine): staff deploy nothing. */
    ModelChangeGate REFUSE = (deploymentName, resources, user) ->
            new AuthorizationException("Only Camunda administrators may deploy here");
}
