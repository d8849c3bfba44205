package org.partneraccess.security;

import org.camunda.bpm.engine.ProcessEngineException;

public class SegregationOfDutiesException extends ProcessEngineException {

    public SegregationOfDutiesException(String message) {
        super(message);
    }
}
