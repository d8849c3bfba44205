package org.partneraccess.security;

import org.camunda.bpm.engine.ProcessEngineException;
import org.partneraccess.Refusal;

/** A decision or request by someone the segregation of duties excludes: refused with 403 by the engine's APIs. */
public class SegregationOfDutiesException extends ProcessEngineException implements Refusal {

    public SegregationOfDutiesException(String message) {
        super(message);
    }

    @Override
    public Kind kind() {
        return Kind.FORBIDDEN;
    }
}
